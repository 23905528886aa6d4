import type { ProbeState } from '../probes/types.js';
import type { Severity } from '../rules/types.js';
import type { Verdict } from '../verdict/compute-verdict.js';

/**
 * The symbols and words that carry a state wherever it is shown — terminal UI, Markdown, HTML — so
 * that colour never carries meaning alone and every format reads the same. The TUI's theme adds its
 * colours to these (tui/theme.ts).
 */
export interface Mark {
  readonly symbol: string;
  readonly label: string;
}

/** A finished probe as a matrix cell shows it: filtered splits by whether a named hop blocks it. */
export type ProbeMarkKind = ProbeState | 'blocked-by-hop' | 'aborted' | 'not-probed';

export const PROBE_MARKS: Readonly<Record<ProbeMarkKind, Mark>> = {
  open: { symbol: '●', label: 'open' },
  closed: { symbol: '○', label: 'closed (reaches host)' },
  filtered: { symbol: '✗', label: 'filtered' },
  'blocked-by-hop': { symbol: '⊘', label: 'blocked by a hop' },
  // Half a circle: maybe open (UDP silence, no ICMP refusal). `?` is the TUI's help key and nothing else.
  'open|filtered': { symbol: '◐', label: 'open|filtered (no answer, no refusal)' },
  error: { symbol: '!', label: 'error' },
  aborted: { symbol: '–', label: 'stopped before probing' },
  'not-probed': { symbol: ' ', label: 'not probed on this target' },
};

/** The finished kinds in the order every legend and count line shows them: what reaches the host first. */
export const PROBE_MARK_ORDER: readonly ProbeMarkKind[] = [
  'open',
  'closed',
  'filtered',
  'blocked-by-hop',
  'open|filtered',
  'error',
  'aborted',
];

export const VERDICT_MARKS: Readonly<Record<Verdict, Mark>> = {
  go: { symbol: '✔', label: 'GO' },
  conditional: { symbol: '◆', label: 'CONDITIONAL' },
  'no-go': { symbol: '✖', label: 'NO-GO' },
  // A dotted circle: the answer is not all there.
  incomplete: { symbol: '◌', label: 'INCOMPLETE' },
};

export const SEVERITY_MARKS: Readonly<Record<Severity, Mark>> = {
  'no-go': { symbol: '✖', label: 'NO-GO' },
  incomplete: { symbol: '◌', label: 'INCOMPLETE' },
  condition: { symbol: '◆', label: 'CONDITION' },
  info: { symbol: 'i', label: 'INFO' },
};

/** How a finished probe shows: a filtered probe a named hop stops is told apart from plain silence. */
export function probeMarkKind(probe: {
  readonly state: ProbeState;
  readonly reason: string;
  readonly blockedBy?: string | null;
}): ProbeMarkKind {
  if (probe.reason === 'aborted') return 'aborted';
  if (probe.state === 'filtered' && isHop(probe.blockedBy)) return 'blocked-by-hop';
  return probe.state;
}

/** A hop address (not the destination itself, not "could not tell"). */
export function isHop(blockedBy: string | null | undefined): blockedBy is string {
  return typeof blockedBy === 'string' && blockedBy !== '' && blockedBy !== 'destination';
}

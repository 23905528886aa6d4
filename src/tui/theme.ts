import type { Severity } from '../rules/types.js';
import type { Verdict } from '../verdict/compute-verdict.js';

/** What a matrix cell shows: a probe state, or where the probe is in its life. */
export type CellKind =
  | 'pending'
  | 'in-flight'
  | 'open'
  | 'closed'
  | 'filtered'
  | 'blocked-by-hop'
  | 'open|filtered'
  | 'error'
  | 'aborted'
  | 'not-probed';

/** Ink colour names; undefined means the terminal's default (and is all we use under NO_COLOR). */
export type Colour = 'green' | 'cyan' | 'red' | 'yellow' | 'magenta' | 'gray' | 'white' | 'blue';

export interface Style {
  readonly symbol: string;
  readonly colour: Colour | undefined;
  readonly label: string;
}

const CELL_STYLES: Readonly<Record<CellKind, Style>> = {
  pending: { symbol: '·', colour: 'gray', label: 'waiting' },
  'in-flight': { symbol: '…', colour: 'white', label: 'in flight' },
  open: { symbol: '●', colour: 'green', label: 'open' },
  closed: { symbol: '○', colour: 'cyan', label: 'closed (reaches host)' },
  filtered: { symbol: '✗', colour: 'red', label: 'filtered' },
  'blocked-by-hop': { symbol: '⊘', colour: 'red', label: 'blocked by a hop' },
  // Half a circle: maybe open (UDP silence, no ICMP refusal). `?` is the help key and nothing else.
  'open|filtered': { symbol: '◐', colour: 'yellow', label: 'open|filtered (no answer, no refusal)' },
  error: { symbol: '!', colour: 'magenta', label: 'error' },
  aborted: { symbol: '–', colour: 'gray', label: 'stopped before probing' },
  'not-probed': { symbol: ' ', colour: undefined, label: 'not probed on this target' },
};

const VERDICT_STYLES: Readonly<Record<Verdict, Style>> = {
  go: { symbol: '✔', colour: 'green', label: 'GO' },
  conditional: { symbol: '◆', colour: 'yellow', label: 'CONDITIONAL' },
  'no-go': { symbol: '✖', colour: 'red', label: 'NO-GO' },
  // A dotted circle: the answer is not all there.
  incomplete: { symbol: '◌', colour: 'magenta', label: 'INCOMPLETE' },
};

const SEVERITY_STYLES: Readonly<Record<Severity, Style>> = {
  'no-go': { symbol: '✖', colour: 'red', label: 'NO-GO' },
  incomplete: { symbol: '◌', colour: 'magenta', label: 'INCOMPLETE' },
  condition: { symbol: '◆', colour: 'yellow', label: 'CONDITION' },
  info: { symbol: 'i', colour: 'blue', label: 'INFO' },
};

/** Every colour and symbol the screen uses, so NO_COLOR is decided in one place. */
export interface Theme {
  readonly colour: boolean;
  cell(kind: CellKind): Style;
  verdict(verdict: Verdict): Style;
  severity(severity: Severity): Style;
  /** Accent for titles, the cursor and dialogs. */
  readonly accent: Colour | undefined;
  readonly muted: Colour | undefined;
}

function withoutColour(style: Style): Style {
  return { ...style, colour: undefined };
}

/** The theme; without colour every symbol stays, so state is readable on any terminal. */
export function createTheme(options: { readonly colour: boolean }): Theme {
  const pick = (style: Style) => (options.colour ? style : withoutColour(style));
  return {
    colour: options.colour,
    cell: (kind) => pick(CELL_STYLES[kind]),
    verdict: (verdict) => pick(VERDICT_STYLES[verdict]),
    severity: (severity) => pick(SEVERITY_STYLES[severity]),
    accent: options.colour ? 'cyan' : undefined,
    muted: options.colour ? 'gray' : undefined,
  };
}

/** https://no-color.org: present and not empty disables colour. */
export function colourWanted(env: Readonly<Record<string, string | undefined>>): boolean {
  const noColor = env.NO_COLOR;
  return noColor === undefined || noColor === '';
}

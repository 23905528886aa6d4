import { PROBE_MARK_ORDER } from '../../report/marks.js';
import { Box, Text } from 'ink';
import type { ScanPhase } from '../../run/scan.js';
import { formatSeconds } from '../describe.js';
import { useTheme } from '../hooks/use-theme.js';
import { truncate } from '../layout.js';
import type { progressOf } from '../state/selectors.js';
import type { CellKind } from '../theme.js';

export interface ProgressLineProps {
  /** state/selectors.ts progressOf: a stopped scan is never shown as done. */
  readonly progress: ReturnType<typeof progressOf>;
  /** The phase while running; null before the first phase starts. */
  readonly phase: ScanPhase | null;
  readonly etaSeconds: number | null;
  readonly counts: Readonly<Partial<Record<CellKind, number>>>;
  readonly width: number;
}

/** Order of the counts line: what reaches the host, then what does not, then the unknowns. */
const COUNTED: readonly CellKind[] = [...PROBE_MARK_ORDER, 'in-flight'];

const PHASE_NAMES: Readonly<Record<ScanPhase, string>> = {
  resolve: 'resolving names',
  connect: 'probing ports',
  responder: 'asking the responders for proofs',
  icmp: 'ICMP echo',
  path: 'locating blocks on the path',
  application: 'HTTP/TLS checks',
  recheck: 'asking again where ports were stopped',
};

/** `4 of 10 probes done · stopped, 6 not sent`: what the line says after the bar. */
function progressText(progress: ProgressLineProps['progress'], phase: ScanPhase | null): string {
  const { status, done, total, notSent } = progress;
  const of = `${done}/${total} probes`;
  switch (status) {
    case 'done':
      return `${of} · done`;
    case 'stopped':
      return `STOPPED · ${done} of ${total} probes done, ${notSent} not done`;
    case 'stopping':
      return `stopping… ${done} of ${total} probes done`;
    case 'failed':
      return `failed · ${done} of ${total} probes done`;
    case 'starting':
      return `${of} · starting`;
    case 'running':
      return `${of} · ${phase ? PHASE_NAMES[phase] : 'starting'}`;
  }
}

export function ProgressLine({ progress, phase, etaSeconds, counts, width }: ProgressLineProps) {
  const theme = useTheme();
  const barWidth = Math.max(10, Math.min(30, width - 60));
  const { done, total, status } = progress;
  const filled = total === 0 ? 0 : Math.round((done / total) * barWidth);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}`;
  const eta = etaSeconds === null ? '' : ` · ETA ${formatSeconds(etaSeconds)}`;
  const stopped = status === 'stopped' || status === 'stopping' || status === 'failed';
  const shown = COUNTED.filter((kind) => (counts[kind] ?? 0) > 0);
  return (
    <Box flexDirection="column" width={width}>
      <Text>
        <Text color={stopped ? theme.verdict('incomplete').colour : theme.accent}>{bar}</Text>
        <Text bold={stopped}>{truncate(` ${progressText(progress, phase)}${eta}`, width - barWidth)}</Text>
      </Text>
      <Text wrap="truncate-end">
        {shown.length === 0 && <Text color={theme.muted}>no probe finished yet</Text>}
        {shown.length > 0 && <Text>{'probes: '}</Text>}
        {shown.map((kind) => {
          const style = theme.cell(kind);
          return (
            <Text key={kind} color={style.colour}>
              {`${style.symbol} ${counts[kind]} ${shortLabel(kind)}  `}
            </Text>
          );
        })}
      </Text>
    </Box>
  );
}

/** Short enough that all eight fit in 80 columns. */
function shortLabel(kind: CellKind): string {
  const labels: Partial<Record<CellKind, string>> = {
    'blocked-by-hop': 'blocked',
    'open|filtered': 'open|filt',
    aborted: 'not done',
    'in-flight': 'in flight',
  };
  return labels[kind] ?? kind;
}

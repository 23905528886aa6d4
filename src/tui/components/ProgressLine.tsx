import { Box, Text } from 'ink';
import type { ScanPhase } from '../../run/scan.js';
import { formatSeconds } from '../describe.js';
import { useTheme } from '../hooks/use-theme.js';
import { truncate } from '../layout.js';
import type { CellKind } from '../theme.js';

export interface ProgressLineProps {
  readonly done: number;
  readonly total: number;
  /** `done` once the report is in; null before the first phase starts. */
  readonly phase: ScanPhase | 'done' | null;
  readonly etaSeconds: number | null;
  readonly counts: Readonly<Partial<Record<CellKind, number>>>;
  readonly width: number;
}

/** Order of the counts line: what reaches the host, then what does not, then the unknowns. */
const COUNTED: readonly CellKind[] = [
  'open',
  'closed',
  'filtered',
  'blocked-by-hop',
  'open|filtered',
  'error',
  'aborted',
  'in-flight',
];

const PHASE_NAMES: Readonly<Record<ScanPhase | 'done', string>> = {
  done: 'done',
  resolve: 'resolving names',
  connect: 'probing ports',
  responder: 'asking the responders for proofs',
  icmp: 'ICMP echo',
  path: 'locating blocks on the path',
  application: 'HTTP/TLS checks',
  recheck: 'asking again where ports were stopped',
};

export function ProgressLine({ done, total, phase, etaSeconds, counts, width }: ProgressLineProps) {
  const theme = useTheme();
  const barWidth = Math.max(10, Math.min(30, width - 50));
  const filled = total === 0 ? 0 : Math.round((done / total) * barWidth);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}`;
  const phaseText = phase ? PHASE_NAMES[phase] : 'starting';
  const eta = etaSeconds === null ? '' : ` · ETA ${formatSeconds(etaSeconds)}`;
  const shown = COUNTED.filter((kind) => (counts[kind] ?? 0) > 0);
  return (
    <Box flexDirection="column" width={width}>
      <Text>
        <Text color={theme.accent}>{bar}</Text>
        {truncate(` ${done}/${total} · ${phaseText}${eta}`, width - barWidth)}
      </Text>
      <Text wrap="truncate-end">
        {shown.length === 0 && <Text color={theme.muted}>no probe finished yet</Text>}
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
    aborted: 'stopped',
    'in-flight': 'in flight',
  };
  return labels[kind] ?? kind;
}

import { Box, Text } from 'ink';
import { useTheme } from '../hooks/use-theme.js';
import { truncate } from '../layout.js';
import type { CellKind } from '../theme.js';

export interface HelpOverlayProps {
  readonly width: number;
}

const KEYS: readonly (readonly [string, string])[] = [
  ['↑ ↓  j k', 'move through findings, then probes'],
  ['Enter', 'details: evidence, path, fix'],
  ['Esc', 'close details'],
  ['e', 'export the report'],
  ['r', 're-run the check'],
  ['f', 'filter findings by severity'],
  ['?', 'this help'],
  ['Ctrl-C', 'stop the scan (or quit)'],
  ['q', 'quit'],
];

const LEGEND: readonly CellKind[] = [
  'in-flight',
  'open',
  'closed',
  'filtered',
  'blocked-by-hop',
  'open|filtered',
  'error',
  'aborted',
  'pending',
];

/** Keys on the left, what the matrix symbols mean on the right; any key closes it. */
export function HelpOverlay({ width }: HelpOverlayProps) {
  const theme = useTheme();
  const half = Math.floor((width - 4) / 2);
  return (
    <Box borderStyle="round" borderColor={theme.accent} width={width} paddingX={1}>
      <Box flexDirection="column" width={half}>
        <Text bold>Keys</Text>
        {KEYS.map(([key, what]) => (
          <Text key={key}>{truncate(`${key.padEnd(9)} ${what}`, half - 1)}</Text>
        ))}
      </Box>
      <Box flexDirection="column" width={half}>
        <Text bold>Symbols</Text>
        {LEGEND.map((kind) => {
          const style = theme.cell(kind);
          return (
            <Text key={kind}>
              <Text color={style.colour}>{style.symbol}</Text>
              {truncate(`  ${style.label}`, half - 2)}
            </Text>
          );
        })}
      </Box>
    </Box>
  );
}

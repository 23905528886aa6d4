import { Box, Text } from 'ink';
import type { Verdict } from '../../verdict/compute-verdict.js';
import { useTheme } from '../hooks/use-theme.js';
import { truncate } from '../layout.js';

export interface VerdictBannerProps {
  /** Null while there is no verdict yet (scanning), or when the run failed. */
  readonly verdict: Verdict | null;
  readonly failed: boolean;
  /** The main reason in one line (state/selectors.ts mainReason). */
  readonly reason: string;
  readonly width: number;
}

export function VerdictBanner({ verdict, failed, reason, width }: VerdictBannerProps) {
  const theme = useTheme();
  const style = verdict
    ? theme.verdict(verdict)
    : failed
      ? { symbol: '!', colour: theme.cell('error').colour, label: 'FAILED' }
      : { symbol: '…', colour: theme.accent, label: 'CHECKING' };
  const head = `${style.symbol} ${style.label}`;
  return (
    <Box borderStyle="round" borderColor={style.colour} width={width}>
      <Text color={style.colour} bold>
        {head}
      </Text>
      <Text>{truncate(`  ${reason}`, width - 2 - head.length)}</Text>
    </Box>
  );
}

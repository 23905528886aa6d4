import { Text } from 'ink';
import { useTheme } from '../hooks/use-theme.js';
import { truncate } from '../layout.js';

export interface KeyHintsProps {
  readonly scanning: boolean;
  readonly notice: string | null;
  readonly width: number;
}

export function KeyHints({ scanning, notice, width }: KeyHintsProps) {
  const theme = useTheme();
  if (notice) return <Text color={theme.severity('condition').colour}>{truncate(notice, width)}</Text>;
  const stop = scanning ? '^C stop  ' : '';
  return (
    <Text color={theme.muted}>
      {truncate(`${stop}↑↓/jk move  ⏎ details  e export  r re-run  f filter  ? help  q quit`, width)}
    </Text>
  );
}

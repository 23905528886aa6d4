import { Text } from 'ink';
import { useTheme } from '../hooks/use-theme.js';
import { truncate } from '../layout.js';
import type { SearchState } from '../state/types.js';

export interface KeyHintsProps {
  readonly scanning: boolean;
  readonly detailsOpen: boolean;
  readonly search: SearchState | null;
  readonly notice: string | null;
  readonly width: number;
}

/** The bottom line: the search being typed, else a notice, else the keys that act now. */
export function KeyHints({ scanning, detailsOpen, search, notice, width }: KeyHintsProps) {
  const theme = useTheme();
  if (search?.editing) {
    return (
      <Text>
        <Text color={theme.accent}>{truncate(`/${search.query}`, width - 1)}</Text>
        <Text inverse> </Text>
      </Text>
    );
  }
  if (notice) return <Text color={theme.severity('condition').colour}>{truncate(notice, width)}</Text>;
  const stop = scanning ? '^C stop  ' : '';
  const keys = detailsOpen
    ? '↑↓ scroll  [ ] prev/next  c copy fix  C copy all  Esc close  ? help'
    : '↑↓ move  ⏎ details  / find  c copy  e export  g group  r re-run  ? help  q quit';
  return <Text color={theme.muted}>{truncate(`${stop}${keys}`, width)}</Text>;
}

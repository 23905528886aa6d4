import { Box, Text } from 'ink';
import { useTheme } from '../hooks/use-theme.js';
import { offsetWindow, truncate } from '../layout.js';

export interface DetailsPanelProps {
  /** Already wrapped to `width - 2` (layout.ts wrapLines): the panel never cuts a line. */
  readonly lines: readonly string[];
  /** First line shown (clamped here too, so a stale scroll never leaves the panel half empty). */
  readonly scroll: number;
  /** Lines of text on screen, without the border and the position line. */
  readonly page: number;
  readonly width: number;
}

/** Lines the panel takes besides its text: the border and the position line. */
export const DETAILS_CHROME = 3;

/** The selected finding or probe in full, wrapped by display width and scrolled with ↑↓/PgUp/PgDn/Home/End. */
export function DetailsPanel({ lines, scroll, page, width }: DetailsPanelProps) {
  const theme = useTheme();
  const window = offsetWindow(lines.length, scroll, page);
  const position =
    lines.length <= page
      ? `all ${lines.length} lines`
      : `lines ${window.start + 1}–${window.end} of ${lines.length}${window.below > 0 ? ' · ↓ more' : ' · end'}`;
  return (
    <Box flexDirection="column" borderStyle="single" borderColor={theme.accent} width={width}>
      {lines.slice(window.start, window.end).map((line, index) => (
        <Text key={window.start + index}>{line}</Text>
      ))}
      <Text color={theme.muted}>{truncate(`${position} (↑↓ PgUp PgDn Home End)`, width - 2)}</Text>
    </Box>
  );
}

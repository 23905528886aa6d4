import { Box, Text } from 'ink';
import { useTheme } from '../hooks/use-theme.js';
import { truncate } from '../layout.js';

export interface DetailsPanelProps {
  readonly lines: readonly string[];
  /** Lines including the border. */
  readonly maxLines: number;
  readonly width: number;
}

/** The selected finding or probe in full; one item per line, cut to the width rather than wrapped. */
export function DetailsPanel({ lines, maxLines, width }: DetailsPanelProps) {
  const theme = useTheme();
  const room = Math.max(1, maxLines - 2);
  const shown =
    lines.length > room ? [...lines.slice(0, room - 1), `… ${lines.length - room + 1} more lines`] : lines;
  return (
    <Box flexDirection="column" borderStyle="single" borderColor={theme.accent} width={width}>
      {shown.map((line, index) => (
        <Text key={index}>{truncate(line, width - 2)}</Text>
      ))}
    </Box>
  );
}

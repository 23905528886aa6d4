import { Box, Text } from 'ink';
import { useTheme } from '../hooks/use-theme.js';
import { truncate } from '../layout.js';
import type { ExportDialogState } from '../state/types.js';

export interface ExportDialogProps {
  readonly dialog: ExportDialogState;
  readonly width: number;
}

/** Format choice and file path of `e`; the result (or the one-line error) stays until the next edit. */
export function ExportDialog({ dialog, width }: ExportDialogProps) {
  const theme = useTheme();
  const inner = width - 4;
  const status =
    dialog.status === 'writing'
      ? { text: 'writing…', colour: theme.accent }
      : dialog.status === 'written'
        ? { text: `✔ wrote ${dialog.message ?? ''}`, colour: theme.verdict('go').colour }
        : dialog.status === 'failed'
          ? { text: `✖ ${dialog.message ?? ''}`, colour: theme.verdict('no-go').colour }
          : { text: 'Enter writes · Tab changes the format · Esc closes', colour: theme.muted };
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.accent} width={width} paddingX={1}>
      <Text bold>Export the report</Text>
      <Text>
        {'format: '}
        {dialog.formats.map((format, index) => (
          <Text key={format} inverse={index === dialog.formatIndex} bold={index === dialog.formatIndex}>
            {index === dialog.formatIndex ? `[${format}]` : ` ${format} `}
          </Text>
        ))}
      </Text>
      <Text>{truncate(`file: ${dialog.path}▏`, inner)}</Text>
      <Text color={status.colour}>{truncate(status.text, inner)}</Text>
    </Box>
  );
}

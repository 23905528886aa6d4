import { Box, Text } from 'ink';
import { exportFiles, extensionOf } from '../export-names.js';
import { useTheme } from '../hooks/use-theme.js';
import type { ExportDialogState } from '../state/types.js';

export interface ExportDialogProps {
  readonly dialog: ExportDialogState;
  readonly width: number;
}

/** Formats to write (several at once), the file name, and what happened; asks before replacing a file. */
export function ExportDialog({ dialog, width }: ExportDialogProps) {
  const theme = useTheme();
  const extensions = exportFiles(dialog).map((file) => extensionOf(file.format));
  const status =
    dialog.status === 'checking' || dialog.status === 'writing'
      ? { text: 'writing…', colour: theme.accent }
      : dialog.status === 'confirm-overwrite'
        ? {
            text: `${dialog.files.join(', ')} exist${dialog.files.length === 1 ? 's' : ''}: y replaces, any other key goes back`,
            colour: theme.severity('condition').colour,
          }
        : dialog.status === 'written'
          ? { text: `✔ wrote ${dialog.files.join(', ')}`, colour: theme.verdict('go').colour }
          : dialog.status === 'failed'
            ? { text: `✖ ${dialog.message ?? ''}`, colour: theme.verdict('no-go').colour }
            : { text: 'Enter writes · ←/→ pick · Space ticks a format · Esc closes', colour: theme.muted };
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.accent} width={width} paddingX={1}>
      <Text bold>Export the report</Text>
      <Text wrap="wrap">
        {'formats: '}
        {dialog.formats.map((format, index) => {
          const focused = index === dialog.focus;
          const tick = dialog.chosen.includes(format) ? '[x]' : '[ ]';
          return (
            <Text key={format} inverse={focused} bold={focused}>
              {`${focused ? '▸' : ' '}${tick} ${format} `}
            </Text>
          );
        })}
      </Text>
      <Text wrap="wrap">{`file: ${dialog.base}▏ ${extensions.length > 0 ? `+ ${extensions.join(' ')}` : ''}`}</Text>
      <Text color={status.colour} wrap="wrap">
        {status.text}
      </Text>
    </Box>
  );
}

import { Box, Text } from 'ink';
import { useTheme } from '../hooks/use-theme.js';
import { truncate } from '../layout.js';
import {
  CHECK_FORM_DEFAULTS,
  CHECK_FORM_FIELDS,
  CHECK_FORM_LABELS,
  checkFormErrors,
  HOSTS_EXAMPLE,
  type CheckFormState,
} from '../state/check-form.js';

export interface CheckFormProps {
  readonly form: CheckFormState;
  readonly width: number;
}

/**
 * The first-run questions. An empty port field shows its default as it will be used (plain, marked
 * "default"); the empty hosts field shows an example, dimmed and in italics, which is never used.
 */
export function CheckForm({ form, width }: CheckFormProps) {
  const theme = useTheme();
  const errors = checkFormErrors(form);
  return (
    <Box flexDirection="column" width={width}>
      <Text bold color={theme.accent}>
        {truncate('portflight · which site systems and ports?', width)}
      </Text>
      {CHECK_FORM_FIELDS.map((field, index) => {
        const focused = index === form.focus;
        const value = form.values[field];
        const error = form.touched.has(field) ? errors[field] : undefined;
        const label = `${focused ? '›' : ' '} ${CHECK_FORM_LABELS[field]}: `;
        return (
          <Box key={field} flexDirection="column">
            <Text>
              <Text bold={focused}>{label}</Text>
              {value === '' && CHECK_FORM_DEFAULTS[field] !== '' ? (
                <Text>
                  {CHECK_FORM_DEFAULTS[field]}
                  <Text color={theme.muted}> (default)</Text>
                </Text>
              ) : value === '' ? (
                <Text color={theme.muted} dimColor italic>
                  {truncate(HOSTS_EXAMPLE, Math.max(1, width - label.length - 1))}
                </Text>
              ) : (
                <Text>{truncate(value, Math.max(1, width - label.length - 1))}</Text>
              )}
              {focused && <Text inverse> </Text>}
            </Text>
            {error && <Text color={theme.verdict('no-go').colour}>{truncate(`    ✖ ${error}`, width)}</Text>}
            {focused && form.refused && (
              <Text color={theme.severity('condition').colour}>{truncate(`    ${form.refused}`, width)}</Text>
            )}
          </Box>
        );
      })}
      <Text color={theme.muted}>
        {truncate('Tab/↓ next · Shift-Tab/↑ back · Enter next, then check · Esc cancels', width)}
      </Text>
    </Box>
  );
}

import { Box, Text } from 'ink';
import { useTheme } from '../hooks/use-theme.js';
import { truncate } from '../layout.js';
import {
  CHECK_FORM_DEFAULTS,
  CHECK_FORM_FIELDS,
  CHECK_FORM_LABELS,
  checkFormErrors,
  type CheckFormState,
} from '../state/check-form.js';

export interface CheckFormProps {
  readonly form: CheckFormState;
  readonly width: number;
}

/** The first-run questions; an empty port field shows its default dimmed and means it. */
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
              {value === '' ? (
                <Text color={theme.muted} dimColor>
                  {CHECK_FORM_DEFAULTS[field] || 'mp01.corp.example, dp02.corp.example'}
                </Text>
              ) : (
                <Text>{truncate(value, Math.max(1, width - label.length - 1))}</Text>
              )}
              {focused && <Text inverse> </Text>}
            </Text>
            {error && <Text color={theme.verdict('no-go').colour}>{truncate(`    ✖ ${error}`, width)}</Text>}
          </Box>
        );
      })}
      <Text color={theme.muted}>
        {truncate('Tab/↓ next · Shift-Tab/↑ back · Enter next, then check · Esc cancels', width)}
      </Text>
    </Box>
  );
}

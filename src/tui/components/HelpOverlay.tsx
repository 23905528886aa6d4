import { PROBE_MARK_ORDER } from '../../report/marks.js';
import { Box, Text } from 'ink';
import type { Verdict } from '../../verdict/compute-verdict.js';
import { useTheme } from '../hooks/use-theme.js';
import { offsetWindow, wrapLines } from '../layout.js';
import type { CellKind, Theme } from '../theme.js';

export interface HelpOverlayProps {
  /** Already wrapped (helpLines): the help never cuts its own words. */
  readonly lines: readonly HelpLine[];
  readonly scroll: number;
  readonly page: number;
  readonly width: number;
}

/** A line of help and the colour of its symbol, if it starts with one. */
export interface HelpLine {
  readonly text: string;
  readonly colour?: string | undefined;
  readonly bold?: boolean;
}

const KEYS: readonly (readonly [string, string])[] = [
  ['↑ ↓  j k', 'move through findings, then probes (PgUp PgDn Home End)'],
  ['← →  h l', 'next cell of the matrix, or scroll its port columns'],
  ['Enter', 'details: evidence, path, fix; ↑↓ PgUp PgDn Home End scroll them, [ ] previous/next'],
  ['Esc', 'close details, or the search'],
  ['/', 'search hosts, addresses, ports, sites, roles, rules and messages; n N next/previous'],
  ['c  C', 'copy the remediation (c) or all the details (C) to the clipboard (OSC 52)'],
  ['w', 'write what was copied to a file, for a terminal without OSC 52'],
  ['g', 'group rows alike in site, roles and states'],
  ['e', 'export the report (several formats at once)'],
  ['r', 're-run the check'],
  ['f', 'filter findings by severity'],
  ['?', 'this help (any key closes it)'],
  ['Ctrl-C', 'stop the scan, keeping what it found (again: quit)'],
  ['q', 'quit (asks once if the report is not exported)'],
];

const CELLS: readonly CellKind[] = ['pending', 'in-flight', ...PROBE_MARK_ORDER];
const VERDICTS: readonly Verdict[] = ['go', 'conditional', 'no-go', 'incomplete'];

/** Lines the overlay takes besides its text: the border and the scroll line. */
export const HELP_CHROME = 3;

/**
 * The help as lines wrapped to `width` (the overlay's inside): keys with their descriptions wrapped
 * under themselves, then every symbol the matrix, findings and banner use, one meaning each.
 */
export function helpLines(theme: Theme, width: number): readonly HelpLine[] {
  const lines: HelpLine[] = [{ text: 'Keys', bold: true }];
  const indent = 10;
  for (const [key, what] of KEYS) {
    wrapLines([what], width - indent).forEach((part, index) =>
      lines.push({ text: `${(index === 0 ? key : '').padEnd(indent - 1)} ${part}` }),
    );
  }
  lines.push({ text: 'Matrix cells', bold: true });
  for (const kind of CELLS) {
    const style = theme.cell(kind);
    lines.push({ text: `${style.symbol}  ${style.label}`, colour: style.colour });
  }
  lines.push({ text: 'Verdict and findings', bold: true });
  for (const verdict of VERDICTS) {
    const style = theme.verdict(verdict);
    lines.push({ text: `${style.symbol}  ${style.label}`, colour: style.colour });
  }
  const condition = theme.severity('condition');
  const info = theme.severity('info');
  lines.push({
    text: `${condition.symbol}  CONDITION (a finding of a CONDITIONAL verdict)`,
    colour: condition.colour,
  });
  lines.push({ text: `${info.symbol}  INFO`, colour: info.colour });
  return lines.flatMap((line) => wrapLines([line.text], width).map((text) => ({ ...line, text })));
}

/** Keys, then what each symbol means; scrolls when it does not fit; any other key closes it. */
export function HelpOverlay({ lines, scroll, page, width }: HelpOverlayProps) {
  const theme = useTheme();
  const window = offsetWindow(lines.length, scroll, page);
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.accent} width={width} paddingX={1}>
      {lines.slice(window.start, window.end).map((line, index) => (
        <Text key={window.start + index} bold={line.bold} color={line.colour as never}>
          {line.text}
        </Text>
      ))}
      {window.above + window.below > 0 && (
        <Text
          color={theme.muted}
        >{`lines ${window.start + 1}–${window.end} of ${lines.length} · ↑↓ scroll`}</Text>
      )}
    </Box>
  );
}

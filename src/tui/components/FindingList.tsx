import { Box, Text } from 'ink';
import { humanSubject, type SubjectContext } from '../../report/human-subject.js';
import type { Finding, Severity } from '../../rules/types.js';
import { useTheme } from '../hooks/use-theme.js';
import { scrollWindow, truncate } from '../layout.js';
import type { SeverityFilter } from '../state/types.js';

export interface FindingListProps {
  /** Already filtered and ordered worst first. */
  readonly findings: readonly Finding[];
  /** Index into `findings`, or -1 when the cursor is on the matrix. */
  readonly selected: number;
  readonly filter: SeverityFilter;
  /** False until the report arrives: findings come from the rules, after the probes. */
  readonly ready: boolean;
  readonly maxLines: number;
  readonly width: number;
  /** Words the subjects (secondary site codes). */
  readonly subjects?: SubjectContext;
}

type Line =
  | { readonly kind: 'heading'; readonly severity: Severity; readonly count: number }
  | { readonly kind: 'finding'; readonly finding: Finding; readonly index: number };

/** Findings under a heading per severity; waived ones say so and no longer set the verdict. */
export function FindingList({
  findings,
  selected,
  filter,
  ready,
  maxLines,
  width,
  subjects = {},
}: FindingListProps) {
  const theme = useTheme();
  const title = `${findings.length} finding${findings.length === 1 ? '' : 's'}${filter === 'all' ? '' : ` (filter: ${filter})`}`;
  if (!ready) {
    return (
      <Box flexDirection="column">
        <Text bold>{truncate(title, width)}</Text>
        <Text color={theme.muted}>{truncate('the rules run once the probes are done', width)}</Text>
      </Box>
    );
  }
  const lines = linesOf(findings);
  const focus = lines.findIndex((line) => line.kind === 'finding' && line.index === selected);
  const window = scrollWindow(lines.length, focus, maxLines - 1);
  // Counted in findings, not screen lines: headings are not findings.
  const shownFindings = lines.slice(window.start, window.end).filter((line) => line.kind === 'finding');
  const first = shownFindings[0]?.kind === 'finding' ? shownFindings[0].index + 1 : 0;
  const scrolled =
    window.above + window.below > 0 && shownFindings.length > 0
      ? ` · showing ${first}–${first + shownFindings.length - 1}`
      : '';
  return (
    <Box flexDirection="column">
      <Text bold>{truncate(`${title}${scrolled}`, width)}</Text>
      {lines.length === 0 && <Text color={theme.muted}>none</Text>}
      {lines.slice(window.start, window.end).map((line) => {
        if (line.kind === 'heading') {
          const style = theme.severity(line.severity);
          return (
            <Text key={`h-${line.severity}`} color={style.colour} bold>
              {truncate(`${style.symbol} ${style.label} (${line.count})`, width)}
            </Text>
          );
        }
        const isSelected = line.index === selected;
        const waived = line.finding.waived ? '[waived] ' : '';
        const subject = humanSubject(line.finding.subject, subjects);
        const text = `${isSelected ? '›' : ' '} ${waived}${subject}: ${line.finding.message}`;
        return (
          <Text key={`f-${line.index}`} inverse={isSelected} dimColor={line.finding.waived !== undefined}>
            {truncate(text, width)}
          </Text>
        );
      })}
    </Box>
  );
}

function linesOf(findings: readonly Finding[]): readonly Line[] {
  const lines: Line[] = [];
  findings.forEach((finding, index) => {
    if (findings[index - 1]?.severity !== finding.severity) {
      const count = findings.filter((other) => other.severity === finding.severity).length;
      lines.push({ kind: 'heading', severity: finding.severity, count });
    }
    lines.push({ kind: 'finding', finding, index });
  });
  return lines;
}

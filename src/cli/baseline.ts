import { diffReports } from '../report/diff-reports.js';
import type { Report } from '../report/index.js';
import { readReportFile, type ReportSource } from '../report/read-report.js';
import { renderDiffText } from '../report/render-diff.js';

/** `--baseline REPORT`, read before the scan: a bad baseline is an input error before any packet. */
export async function loadBaseline(file: string | undefined): Promise<ReportSource | undefined> {
  return file === undefined ? undefined : readReportFile(file);
}

/** What changed since the baseline, for the summary on stderr (after the change: did it work?). */
export function baselineSummary(baseline: ReportSource, report: Report): string {
  const diff = diffReports(baseline.report, report, { old: baseline.file, new: 'this run' });
  const body = renderDiffText(diff)
    .trimEnd()
    .split('\n')
    .map((line) => `portflight:   ${line}`)
    .join('\n');
  return `portflight: compared with the baseline ${baseline.file}:\n${body}\n`;
}

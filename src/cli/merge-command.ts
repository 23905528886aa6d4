import { mergeReports } from '../report/merge-reports.js';
import { readReportFile } from '../report/read-report.js';
import { REPORT_RENDERERS, type Report } from '../report/index.js';
import { PORTFLIGHT_VERSION } from '../shared/version.js';
import { EXIT_CODE_OF_VERDICT } from '../verdict/index.js';
import type { MergeFlags } from './program.js';
import { summaryLine } from './unattended.js';
import { resolveOutputTarget, writeReport } from './write-output.js';

/** The merged report of `files`: the one place a combined report is made (and later sealed). */
export async function mergedReportOf(files: readonly string[], flags: MergeFlags): Promise<Report> {
  const sources = [];
  // One after the other: a merge of many large reports must not hold every file's text at once.
  for (const file of files) sources.push(await readReportFile(file));
  return mergeReports(sources, {
    allowDifferentPlans: flags.allowDifferentPlans ?? false,
    today: new Date(),
    toolVersion: PORTFLIGHT_VERSION,
  });
}

/** `portflight merge`: report on stdout or --output, one summary line on stderr, exit by the verdict. */
export async function runMerge(files: readonly string[], flags: MergeFlags): Promise<number> {
  const output = await resolveOutputTarget(flags.output);
  const report = await mergedReportOf(files, flags);
  await writeReport(output, REPORT_RENDERERS[flags.format](report));
  const where = output.kind === 'stdout' ? '' : ` (report: ${output.shownAs})`;
  const perVantage = (report.vantages ?? [])
    .map((vantage) => `${vantage.name} ${vantage.verdict.toUpperCase()}`)
    .join(', ');
  process.stderr.write(`${summaryLine(report)}; merged from ${perVantage}${where}\n`);
  return EXIT_CODE_OF_VERDICT[report.verdict];
}

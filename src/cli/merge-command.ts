import { mergeReports } from '../report/merge-reports.js';
import { readReportFile } from '../report/read-report.js';
import type { Report } from '../report/index.js';
import { PORTFLIGHT_VERSION } from '../shared/version.js';
import { EXIT_CODE_OF_VERDICT } from '../verdict/index.js';
import type { MergeFlags } from './program.js';
import { summaryLine } from './unattended.js';
import { resolveReportOutputs, writeReports, writtenPhrase } from './report-outputs.js';

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
  const outputs = await resolveReportOutputs(flags);
  const report = await mergedReportOf(files, flags);
  const written = await writeReports(outputs, report);
  const where = writtenPhrase(written);
  const perVantage = (report.vantages ?? [])
    .map((vantage) => `${vantage.name} ${vantage.verdict.toUpperCase()}`)
    .join(', ');
  process.stderr.write(`${summaryLine(report)}; merged from ${perVantage}${where}\n`);
  return EXIT_CODE_OF_VERDICT[report.verdict];
}

import { mergeReports } from '../report/merge-reports.js';
import { MAX_REPORT_BYTES, readReportFile } from '../report/read-report.js';
import { verifyReportBytes } from '../report/verify-report.js';
import { UserError } from '../shared/errors.js';
import { ExitCode } from '../shared/exit-codes.js';
import { readInputBytes } from '../shared/read-input-file.js';
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
  for (const file of files) {
    await refuseBrokenSeal(file);
    sources.push(await readReportFile(file));
  }
  return mergeReports(sources, {
    allowDifferentPlans: flags.allowDifferentPlans ?? false,
    today: new Date(),
    toolVersion: PORTFLIGHT_VERSION,
  });
}

/**
 * A sealed report must still be what was sealed: an edited run (a probe turned open, a finding
 * dropped) would otherwise make the merge. Reports from before reports were sealed have no seal to
 * check; their own verdicts and counts are still checked against their findings (read-report.ts).
 */
async function refuseBrokenSeal(file: string): Promise<void> {
  const bytes = await readInputBytes(file, MAX_REPORT_BYTES);
  // The top-level key, as the YAML and JSON renderers write it.
  if (!/^integrity:|^ {2}"integrity": /m.test(bytes.toString('utf8'))) return;
  const outcome = verifyReportBytes(bytes, file);
  if (outcome.ok) return;
  const at = outcome.position ? `:${outcome.position.line}:${outcome.position.col}` : '';
  throw new UserError(
    `${file}${at}: ${outcome.problem}; merge takes reports only as they were sealed (portflight verify says the same)`,
    ExitCode.invalidInput,
  );
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

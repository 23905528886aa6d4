import { InputError, type InputProblem } from '../shared/errors.js';
import { readInputFile } from '../shared/read-input-file.js';
import { parseYamlSource, type YamlPath } from '../shared/yaml-input.js';
import { computeVerdict, countSeverities } from '../verdict/compute-verdict.js';
import type { Report } from './model.js';
import { reportSchema } from './report-schema.js';

/** A report read back from a file, with where it came from for messages. */
export interface ReportSource {
  readonly file: string;
  readonly report: Report;
}

/** A scan of 100 000 probes writes about 60 MB of YAML; anything larger is not a report. */
export const MAX_REPORT_BYTES = 128 * 1024 * 1024;

/**
 * Reads a YAML or JSON report (JSON is YAML, so one parser gives positions for both) and checks that
 * it holds together: its verdicts and counts must follow from its own findings. A report whose
 * verdict says less than its findings (edited, or cut off) would otherwise make a merge optimistic.
 * Problems are `file:line:col: path: message`, exit 65.
 */
export async function readReportFile(file: string): Promise<ReportSource> {
  return parseReportText(await readInputFile(file, MAX_REPORT_BYTES), file);
}

export function parseReportText(text: string, file: string): ReportSource {
  const source = firstProblemOnly(() => parseYamlSource(text, file, reportSchema));
  const report: Report = source.data;
  const problem = (path: YamlPath, message: string) =>
    new InputError([{ position: source.positionOf(path), message: `${path.join('.')}: ${message}` }]);
  const unwaived = report.findings.filter((finding) => finding.waived === undefined);
  const checks: readonly [string, string, string][] = [
    ['verdict', report.verdict, computeVerdict(unwaived)],
    ['verdictWithoutWaivers', report.verdictWithoutWaivers, computeVerdict(report.findings)],
  ];
  for (const [path, stated, followed] of checks) {
    if (stated !== followed)
      throw problem(
        [path],
        `${stated} does not follow from the report's findings (${followed}): the report was edited or is damaged`,
      );
  }
  const counts = countSeverities(report.findings);
  for (const severity of ['no-go', 'incomplete', 'condition', 'info'] as const) {
    if (report.counts[severity] !== counts[severity])
      throw problem(
        ['counts', severity],
        `${report.counts[severity]}, but the report holds ${counts[severity]} such finding(s): the report was edited or is damaged`,
      );
  }
  if (report.scan.probes !== report.probes.length)
    throw problem(
      ['scan', 'probes'],
      `${report.scan.probes}, but the report holds ${report.probes.length} probe record(s): the report was edited or is damaged`,
    );
  return { file, report };
}

/**
 * One line per bad report: a file that is not a report at all (a plan, a truncated copy) would
 * otherwise list every key it lacks. Not being a portflight report is said first.
 */
function firstProblemOnly<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof InputError) || error.problems.length <= 1) throw error;
    const notReport = error.problems.find((problem) => problem.message.startsWith('portflight: '));
    throw new InputError([notReport ?? (error.problems[0] as InputProblem)]);
  }
}

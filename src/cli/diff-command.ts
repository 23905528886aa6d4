import { diffReports } from '../report/diff-reports.js';
import { readReportFile } from '../report/read-report.js';
import { DIFF_RENDERERS } from '../report/render-diff.js';
import { ExitCode } from '../shared/exit-codes.js';
import type { DiffFlags } from './program.js';
import { writeStdout } from './stdout.js';

/** `portflight diff OLD NEW`: the changes on stdout; exit 0 when there is none, 1 when there are (like diff(1)). */
export async function runDiff(oldFile: string, newFile: string, flags: DiffFlags): Promise<number> {
  const before = await readReportFile(oldFile);
  const after = await readReportFile(newFile);
  const diff = diffReports(before.report, after.report, { old: oldFile, new: newFile });
  await writeStdout(DIFF_RENDERERS[flags.format](diff));
  return diff.changed ? ExitCode.changed : ExitCode.unchanged;
}

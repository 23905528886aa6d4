import { stat, writeFile } from 'node:fs/promises';
import { buildAdhocSpec, type AdhocOptions } from '../plan/index.js';
import { REPORT_FORMATS, REPORT_RENDERERS, sealReport, type Report } from '../report/index.js';
import { describeErrno } from '../shared/errno-text.js';
import { UserError } from '../shared/errors.js';
import { ExitCode } from '../shared/exit-codes.js';
import { promptForCheck, runInteractiveUi } from '../tui/index.js';
import type { InteractiveSession } from '../tui/session.js';
import type { RunFlags } from './program.js';
import { baselineSummary, loadBaseline } from './baseline.js';
import { loadRulePacks } from './rule-packs.js';
import { runCheck } from './run-check.js';
import type { CheckRun } from './run-mode.js';
import { resolveReportOutputs, writeReports, type ReportOutputs } from './report-outputs.js';
import { writeOutputFile } from './write-output.js';

/**
 * The interactive pre-change check. Loaded only by a dynamic import from main.ts, so unattended runs
 * never load Ink or React. The UI reads results; running and writing stay here.
 */
export async function runInteractive(
  run: CheckRun,
  flags: RunFlags & { offline?: boolean },
): Promise<number> {
  const rules = await loadRulePacks(flags.rules);
  const outputs = await resolveReportOutputs(flags);
  const baseline = await loadBaseline(flags.baseline);
  let last: Report | undefined;
  let running: Promise<Report> | undefined;
  // SIGTERM/SIGHUP (a closed SSH session, a service stop) and SIGINT from outside: stop the scan,
  // wait for its (incomplete) report, close the screen and write that report; a second one quits.
  const stopped = new AbortController();
  const onSignal = () => {
    if (stopped.signal.aborted) process.exit(130);
    stopped.abort();
  };
  const session: InteractiveSession = {
    title: run.title,
    sites: run.spec.primarySites.flatMap((site) => [site.siteCode, ...site.secondarySiteCodes]),
    change: run.spec.change,
    targets: run.spec.targets,
    formats: REPORT_FORMATS,
    run: ({ signal, onEvent }) => {
      running = runCheck(run.spec, {
        signal: AbortSignal.any([signal, stopped.signal]),
        onEvent,
        offline: flags.offline ?? false,
        rules,
        ...(run.responderToken ? { responderToken: run.responderToken } : {}),
        waivers: run.waivers,
        planName: run.planName,
      }).then((report) => (last = report));
      return running;
    },
    exportReport: (report, format, path) =>
      writeOutputFile(path, REPORT_RENDERERS[format](sealReport(report, outputs.signingKey))),
    existingFiles: async (paths) => {
      const found = await Promise.all(
        paths.map((path) =>
          stat(path).then(
            () => path,
            () => null,
          ),
        ),
      );
      return found.filter((path): path is string => path !== null);
    },
    writeText: async (path, text) => {
      try {
        await writeFile(path, text, { flag: 'wx' });
      } catch (error) {
        throw new UserError(
          `cannot write ${path}: ${describeErrno((error as NodeJS.ErrnoException).code ?? '')}`,
          ExitCode.usage,
        );
      }
    },
    savedOnQuit: savedOnQuitOf(outputs),
  };
  // Ink reads Ctrl-C as a key in raw mode: these signals come from outside the keyboard.
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal).on('SIGHUP', onSignal);
  const closed = new AbortController();
  stopped.signal.addEventListener('abort', () => {
    void running?.catch(() => undefined).finally(() => closed.abort());
    if (!running) closed.abort();
  });
  try {
    const exitCode = await runInteractiveUi(session, {}, closed.signal);
    // A scheduled wrapper may still want the file: --output gets the last report, as in unattended
    // mode; after a signal the partial report goes to stdout when there is no --output.
    const toStdout = outputs.kind === 'single' && outputs.target.kind === 'stdout';
    if (last && (!toStdout || stopped.signal.aborted)) await writeReports(outputs, last);
    // The screen is gone: what changed since the baseline stays in the terminal.
    if (last && baseline) process.stderr.write(baselineSummary(baseline, last));
    return exitCode;
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal).off('SIGHUP', onSignal);
  }
}

/** `portflight check` with no host in a terminal: ask for the site systems and ports, then check. */
export async function promptAndRun(
  base: Omit<AdhocOptions, 'hosts' | 'http' | 'https' | 'currentHttp' | 'currentHttps'>,
  flags: RunFlags,
  responder: Pick<CheckRun, 'responderToken'> = {},
): Promise<number> {
  const answers = await promptForCheck();
  if (!answers) return ExitCode.usage;
  const spec = buildAdhocSpec({
    ...base,
    hosts: answers.hosts,
    currentHttp: answers.currentHttp,
    http: answers.candidateHttp,
    currentHttps: answers.currentHttps,
    https: answers.candidateHttps,
  });
  return runInteractive(
    { spec, title: `check ${answers.hosts.join(' ')}`, waivers: [], planName: null, ...responder },
    flags,
  );
}

/** Where the report goes when the UI closes (`--output` or `--output-dir`), for the quit question. */
function savedOnQuitOf(outputs: ReportOutputs): string | null {
  if (outputs.kind === 'folder') return outputs.dir;
  return outputs.target.kind === 'stdout' ? null : outputs.target.shownAs;
}

import { buildAdhocSpec, type AdhocOptions } from '../plan/index.js';
import { REPORT_FORMATS, REPORT_RENDERERS, type Report } from '../report/index.js';
import { ExitCode } from '../shared/exit-codes.js';
import { promptForCheck, runInteractiveUi } from '../tui/index.js';
import type { InteractiveSession } from '../tui/session.js';
import type { RunFlags } from './program.js';
import { loadRulePacks } from './rule-packs.js';
import { runCheck } from './run-check.js';
import type { CheckRun } from './run-mode.js';
import { resolveOutputTarget, writeOutputFile, writeReport } from './write-output.js';

/**
 * The interactive pre-change check. Loaded only by a dynamic import from main.ts, so unattended runs
 * never load Ink or React. The UI reads results; running and writing stay here.
 */
export async function runInteractive(
  run: CheckRun,
  flags: RunFlags & { offline?: boolean },
): Promise<number> {
  const rules = await loadRulePacks(flags.rules);
  const output = await resolveOutputTarget(flags.output);
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
      }).then((report) => (last = report));
      return running;
    },
    exportReport: (report, format, path) => writeOutputFile(path, REPORT_RENDERERS[format](report)),
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
    if (last && (output.kind !== 'stdout' || stopped.signal.aborted))
      await writeReport(output, REPORT_RENDERERS[flags.format](last));
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
    { spec, title: `check ${answers.hosts.join(' ')}`, waivers: [], ...responder },
    flags,
  );
}

import type { Report } from '../report/index.js';
import type { ScanEvent } from '../run/index.js';
import { EXIT_CODE_OF_VERDICT } from '../verdict/index.js';
import { debugTimingOn } from '../shared/debug-timing.js';
import type { RunFlags } from './program.js';
import { loadRulePacks } from './rule-packs.js';
import { runCheck, type StageTimer } from './run-check.js';
import type { CheckRun } from './run-mode.js';
import { resolveReportOutputs, writeReports, writtenPhrase } from './report-outputs.js';

/** Scheduled jobs and pipelines: report on stdout or --output, one summary line on stderr. */
export async function runUnattended(run: CheckRun, flags: RunFlags & { offline?: boolean }): Promise<number> {
  // Rule files before any packet: a bad rule pack is an input error (exit 65), like a bad plan.
  const rules = await loadRulePacks(flags.rules);
  const outputs = await resolveReportOutputs(flags);
  // The report reader (and its schema) loads only for --baseline.
  const baselines = flags.baseline === undefined ? undefined : await import('./baseline.js');
  const baseline = await baselines?.loadBaseline(flags.baseline);
  const controller = new AbortController();
  // First Ctrl-C stops probing and still writes an (incomplete) report; a second one quits at once.
  // Building the report of a large plan keeps the event loop busy for seconds, so a listener could not
  // run: the first signal hands the signals back to the system's default action instead (the process
  // ends at once, exit status 128 + signal number as the shell reports it).
  const onSignal = (signal: NodeJS.Signals) => {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal).off('SIGHUP', onSignal);
    process.stderr.write(`\nportflight: ${signal}: stopping; the report will say the scan is incomplete\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal).on('SIGHUP', onSignal);
  try {
    const report = await runCheck(run.spec, {
      signal: controller.signal,
      onEvent: progressPrinter(),
      offline: flags.offline ?? false,
      rules,
      waivers: run.waivers,
      planName: run.planName,
      ...(run.responderToken ? { responderToken: run.responderToken } : {}),
      ...(debugTimingOn() ? { time: timedStage } : {}),
    });
    const written = await writeReports(outputs, report);
    debugTiming('report written');
    const where = writtenPhrase(written);
    process.stderr.write(`${summaryLine(report)}${where}\n`);
    if (baseline && baselines) process.stderr.write(baselines.baselineSummary(baseline, report));
    return EXIT_CODE_OF_VERDICT[report.verdict];
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal).off('SIGHUP', onSignal);
  }
}

export function summaryLine(report: Report): string {
  const { counts } = report;
  const waived = report.findings.filter((finding) => finding.waived !== undefined).length;
  const expired = report.waivers.filter((waiver) => waiver.status === 'expired').length;
  // After the change the verdict answers another question: did it work?
  const verdict =
    report.scan.phase === 'verify'
      ? `${report.verdict.toUpperCase()} (verify: ${report.verdict === 'go' ? 'the change worked' : 'the change is not proven to work'})`
      : report.verdict.toUpperCase();
  return (
    `portflight: ${verdict} — ${report.scan.probes} probes; ` +
    `${counts['no-go']} no-go, ${counts.incomplete} incomplete, ${counts.condition} condition, ${counts.info} info` +
    (waived > 0 ? `; ${waived} waived (${report.verdictWithoutWaivers.toUpperCase()} without waivers)` : '') +
    (expired > 0 ? `; ${expired} waiver(s) expired` : '')
  );
}

/** With PORTFLIGHT_DEBUG=timing: when a stage started and the memory in use then. */
function debugTiming(what: string): void {
  if (!debugTimingOn()) return;
  const rss = Math.round(process.memoryUsage().rss / 1e6);
  process.stderr.write(`portflight: ${what} at ${Math.round(performance.now())} ms, rss ${rss} MB\n`);
}

/** With PORTFLIGHT_DEBUG=timing: how long each stage after the scan took. */
const timedStage: StageTimer = (stage, run) => {
  const started = performance.now();
  const result = run();
  debugTiming(`${stage} done in ${Math.round(performance.now() - started)} ms`);
  return result;
};

/**
 * A single self-overwriting progress line, only for a person watching a terminal; with
 * PORTFLIGHT_DEBUG=timing, when each scan phase started (for tuning and bug reports).
 */
function progressPrinter(): ((event: ScanEvent) => void) | undefined {
  if (debugTimingOn()) {
    let started = 0;
    return (event) => {
      if (event.type === 'phase') debugTiming(`phase ${event.phase}`);
      else if (event.type === 'planned') debugTiming('scan planned');
      else if (event.type === 'probe-started' && (started += 1) % 500 === 0)
        debugTiming(`${started} probes started`);
      else if (event.type === 'probe-finished' && (event.done % 500 === 0 || event.done === event.total))
        debugTiming(`${event.done} of ${event.total} probes done`);
    };
  }
  if (!process.stderr.isTTY) return undefined;
  return (event) => {
    if (event.type === 'probe-finished') {
      process.stderr.write(`\r\x1b[Kprobing ${event.done}/${event.total}`);
      if (event.done === event.total) process.stderr.write('\r\x1b[K');
    }
  };
}

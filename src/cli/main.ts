#!/usr/bin/env node
import { CommanderError } from 'commander';
import { fileURLToPath } from 'node:url';
import {
  buildAdhocSpec,
  loadPlanFile,
  resolvePlan,
  type AdhocOptions,
  type LoadedPlan,
  type ScanSpec,
} from '../plan/index.js';
import { REPORT_RENDERERS, type Report } from '../report/index.js';
import type { ScanEvent } from '../run/index.js';
import type { Waiver } from '../verdict/index.js';
import { UserError } from '../shared/errors.js';
import { ExitCode } from '../shared/exit-codes.js';
import { collectEvidence } from '../evidence/collect.js';
import { startDemoSite } from './demo-site.js';
import { EXIT_CODE_OF_VERDICT } from './exit-code-of-verdict.js';
import { buildProgram, type CheckFlags, type RunFlags } from './program.js';
import { findRule, loadRulePacks, renderRuleExplanation, renderRuleTable } from './rule-packs.js';
import { runCheck } from './run-check.js';
import { writeFileAtomic } from './write-output.js';

const DEMO_PLAN = fileURLToPath(new URL('../../samples/demo/plan.yaml', import.meta.url));

/** Composition root: argv → command → pipeline → report → exit code. Results on stdout, the rest on stderr. */
export async function main(argv: readonly string[]): Promise<number> {
  let exitCode: number = ExitCode.go;
  const program = buildProgram({
    check: async (hosts, flags) => {
      exitCode = await scanAndReport(
        { spec: buildAdhocSpec(adhocOptions(hosts, flags)), waivers: [] },
        flags,
      );
    },
    scan: async (planPath, flags) => {
      exitCode = await scanAndReport(planRun(await loadPlanFile(planPath)), flags);
    },
    collect: async (outputDir) => {
      const results = await collectEvidence(outputDir);
      for (const result of results) {
        process.stderr.write(
          `portflight: ${result.ok ? 'wrote' : 'skipped'} ${result.file}${result.detail ? ` (${result.detail})` : ''}\n`,
        );
      }
      exitCode = results.some((result) => result.ok) ? ExitCode.go : ExitCode.incomplete;
    },
    demo: async (flags) => {
      const run = planRun(await loadPlanFile(DEMO_PLAN));
      const site = await startDemoSite(run.spec);
      site.notes.forEach((note) => process.stderr.write(`portflight: ${note}\n`));
      try {
        const verdictExit = await scanAndReport(run, flags);
        process.stderr.write(
          `portflight: demo done (a real scan would exit ${verdictExit}); try: portflight scan ${DEMO_PLAN}\n`,
        );
      } finally {
        await site.close();
      }
    },
    rulesList: async (flags) => {
      process.stdout.write(renderRuleTable(await loadRulePacks(flags.rules)));
    },
    rulesExplain: async (id, flags) => {
      process.stdout.write(renderRuleExplanation(findRule(await loadRulePacks(flags.rules), id)));
    },
  });
  program.configureOutput({ writeErr: (text) => process.stderr.write(text) });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportError(error);
  }
}

/** What one scan needs besides its flags: the spec, and the plan's waivers (none ad hoc). */
interface ScanRun {
  readonly spec: ScanSpec;
  readonly waivers: readonly Waiver[];
}

function planRun(loaded: LoadedPlan): ScanRun {
  return { spec: resolvePlan(loaded), waivers: loaded.plan.waivers };
}

async function scanAndReport(run: ScanRun, flags: RunFlags & { offline?: boolean }): Promise<number> {
  // Rule files before any packet: a bad rule pack is an input error (exit 65), like a bad plan.
  const rules = await loadRulePacks(flags.rules);
  const controller = new AbortController();
  // First Ctrl-C stops probing and still writes an (incomplete) report; a second one quits at once.
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write(`\nportflight: ${signal}: stopping; the report will say the scan is incomplete\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  try {
    const report = await runCheck(run.spec, {
      signal: controller.signal,
      onEvent: progressPrinter(),
      offline: flags.offline ?? false,
      rules,
      waivers: run.waivers,
    });
    const text = REPORT_RENDERERS[flags.format](report);
    if (flags.output) await writeFileAtomic(flags.output, text);
    else process.stdout.write(text);
    process.stderr.write(`${summaryLine(report)}${flags.output ? ` (report: ${flags.output})` : ''}\n`);
    return EXIT_CODE_OF_VERDICT[report.verdict];
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  }
}

function summaryLine(report: Report): string {
  const { counts } = report;
  const waived = report.findings.filter((finding) => finding.waived !== undefined).length;
  const expired = report.waivers.filter((waiver) => waiver.status === 'expired').length;
  return (
    `portflight: ${report.verdict.toUpperCase()} — ${report.scan.probes} probes; ` +
    `${counts['no-go']} no-go, ${counts.incomplete} incomplete, ${counts.condition} condition, ${counts.info} info` +
    (waived > 0 ? `; ${waived} waived (${report.verdictWithoutWaivers.toUpperCase()} without waivers)` : '') +
    (expired > 0 ? `; ${expired} waiver(s) expired` : '')
  );
}

/** A single self-overwriting progress line, only for a person watching a terminal. */
function progressPrinter(): ((event: ScanEvent) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (event) => {
    if (event.type === 'probe-finished') {
      process.stderr.write(`\r\x1b[Kprobing ${event.done}/${event.total}`);
      if (event.done === event.total) process.stderr.write('\r\x1b[K');
    }
  };
}

function adhocOptions(hosts: string[], flags: CheckFlags): AdhocOptions {
  return {
    hosts,
    http: flags.http,
    https: flags.https,
    altHttp: flags.altHttp,
    altHttps: flags.altHttps,
    currentHttp: flags.currentHttp,
    currentHttps: flags.currentHttps,
    ports: flags.ports,
    evidence: flags.evidence,
    customWebsite: flags.customWebsite,
    probe: {
      timeoutMs: flags.timeout,
      minTimeoutMs: flags.minTimeout,
      retries: flags.retries,
      concurrency: flags.concurrency,
      ratePerSecond: flags.rate,
      deadlineMs: flags.deadline,
      hostDeadlineMs: flags.hostDeadline,
      pathProbing: flags.path,
      icmpEcho: flags.icmp,
      appProbes: flags.app,
      expectedTlsIssuer: flags.expectedIssuer,
    },
  };
}

function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander already printed its message; help and version are not errors.
    const benign = ['commander.helpDisplayed', 'commander.version', 'commander.help'];
    return benign.includes(error.code) ? ExitCode.go : ExitCode.usage;
  }
  if (error instanceof UserError) {
    const prefixed = error.message
      .split('\n')
      .map((line) => (/^\S+:\d+:\d+: /.test(line) ? line : `portflight: ${line}`));
    process.stderr.write(`${prefixed.join('\n')}\n`);
    return error.exitCode;
  }
  process.stderr.write(
    `portflight: internal error (a bug, please report it):\n${(error as Error)?.stack ?? String(error)}\n`,
  );
  return ExitCode.internal;
}

const invokedDirectly =
  process.argv[1] !== undefined && fileURLToPath(import.meta.url) === (await realPath(process.argv[1]));
if (invokedDirectly) {
  process.exitCode = await main(process.argv.slice(2));
}

async function realPath(path: string): Promise<string> {
  const { realpath } = await import('node:fs/promises');
  return realpath(path).catch(() => path);
}

// The CLI's composition root. Users start it through src/cli/launcher.ts (dist/cli/main.js), which
// loads the bundle of this module (dist/cli/portflight.cjs) and calls runCli; tests import main.
import { CommanderError, type Command } from 'commander';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AdhocOptions, LoadedPlan } from '../plan/index.js';
import { escapeControlCharacters, UserError, usageError } from '../shared/errors.js';
import { ExitCode } from '../shared/exit-codes.js';
import { buildProgram, type CheckFlags, type RunFlags } from './program.js';
import { wantsInteractive, type CheckRun } from './run-mode.js';
import { describeErrno } from '../shared/errno-text.js';
import { packagePath, RUNNING_AS_EXECUTABLE } from '../shared/package-files.js';
import { guardStdout, writeStdout } from './stdout.js';

// Start-up is on the path of every command: this module loads only the argument parser. Each handler
// imports what it needs (plans and schemas, rules, the scan pipeline, the terminal UI) when it runs;
// in the bundle those modules are initialised, and compiled, only then (scripts/build.mjs).

const DEMO_PLAN = packagePath('samples/demo/plan.yaml');

/** Composition root: argv → command → pipeline → report → exit code. Results on stdout, the rest on stderr. */
export async function main(argv: readonly string[]): Promise<number> {
  guardStdout();
  // Node opens its inspector on SIGUSR1 (Node 20 has no --disable-sigusr1), which would let another
  // local process run code in a probe running as root; a listener of its own takes the signal.
  process.on('SIGUSR1', () => undefined);
  let exitCode: number = ExitCode.go;
  const program = buildProgram({
    check: async (hosts, flags) => {
      // The token file is read first: a bad one is an input error before any prompt or packet.
      const responderToken = await responderTokenOf(flags.responderTokenFile);
      if (hosts.length === 0 && wantsInteractive(flags)) {
        const { promptAndRun } = await import('./interactive.js');
        exitCode = await promptAndRun(adhocOptions([], flags), flags, responderToken);
        return;
      }
      // adhoc.js alone, not plan/index.js: `check` reads no plan, so it never builds the plan schema.
      const { buildAdhocSpec } = await import('../plan/adhoc.js');
      const spec = buildAdhocSpec(adhocOptions(hosts, flags));
      exitCode = await execute(
        { spec, title: `check ${hosts.join(' ')}`, waivers: [], planName: null, ...responderToken },
        flags,
      );
    },
    scan: async (planPath, flags) => {
      const run = await planRun(planPath);
      const { applyCommandLineOverrides } = await import('../plan/index.js');
      const spec = applyCommandLineOverrides(run.spec, { probe: flags.probe, evidence: flags.evidence });
      const { listenCommandLines } = await import('./listen-hints.js');
      if (!flags.offline)
        for (const line of listenCommandLines(spec, flags.responderTokenFile))
          process.stderr.write(`portflight: ${line}\n`);
      exitCode = await execute(
        {
          ...run,
          spec: { ...spec, phase: flags.phase },
          ...(await responderTokenOf(flags.responderTokenFile)),
        },
        flags,
      );
    },
    listen: async (flags) => {
      const { runListen } = await import('./listen-command.js');
      exitCode = await runListen(flags);
    },
    collect: async (outputDir) => {
      const { collectEvidence } = await import('../evidence/collect.js');
      const results = await collectEvidence(outputDir);
      for (const result of results) {
        process.stderr.write(
          `portflight: ${result.ok ? 'wrote' : 'skipped'} ${result.file}${result.detail ? ` (${result.detail})` : ''}\n`,
        );
      }
      exitCode = results.some((result) => result.ok) ? ExitCode.go : ExitCode.incomplete;
    },
    demo: async (flags) => {
      const run = await planRun(DEMO_PLAN);
      const { startDemoSite } = await import('./demo-site.js');
      const site = await startDemoSite(run.spec);
      site.notes.forEach((note) => process.stderr.write(`portflight: ${note}\n`));
      try {
        const verdictExit = await execute(run, flags);
        process.stderr.write(
          `portflight: demo done (a real scan would exit ${verdictExit}); try: portflight scan ${DEMO_PLAN}\n`,
        );
      } finally {
        await site.close();
      }
    },
    rulesList: async (flags) => {
      const { loadRulePacks, renderRuleList } = await import('./rule-packs.js');
      await writeStdout(renderRuleList(await loadRulePacks(flags.rules), flags.format));
    },
    keygen: async (flags) => {
      const { writeKeyPair } = await import('./signing-keys.js');
      const pair = await writeKeyPair(flags.out);
      process.stderr.write(
        `portflight: wrote ${pair.privateFile} (private: --sign-key; keep it secret) and ${pair.publicFile} (for verify --public-key)\n`,
      );
      await writeStdout(`${pair.keyId}\n`);
    },
    verify: async (report, flags) => {
      const { verifyReportFile } = await import('./verify-command.js');
      exitCode = await verifyReportFile(report, flags.publicKey);
    },
    rulesExplain: async (id, flags) => {
      const { findRule, loadRulePacks } = await import('./rule-packs.js');
      const { renderRuleExplanation } = await import('./explain-rule.js');
      await writeStdout(renderRuleExplanation(findRule(await loadRulePacks(flags.rules), id)));
    },
    merge: async (reports, flags) => {
      const { runMerge } = await import('./merge-command.js');
      exitCode = await runMerge(reports, flags);
    },
    diff: async (oldReport, newReport, flags) => {
      const { runDiff } = await import('./diff-command.js');
      exitCode = await runDiff(oldReport, newReport, flags);
    },
  });
  // Commander repeats a refused argument whole ('argument '…' is invalid'): cut like echoed input.
  const cutArguments = (text: string) => text.replace(/'([^'\n]{60})[^'\n]+'/g, "'$1…'");
  const output = {
    writeErr: (text: string) => process.stderr.write(escapeControlCharacters(cutArguments(text))),
  };
  // Subcommands copy their parent's output settings only when added after them: set on each.
  const withSubcommands = (command: Command): Command[] => [
    command,
    ...command.commands.flatMap(withSubcommands),
  ];
  for (const command of withSubcommands(program)) command.configureOutput(output);
  if (argv.length === 0) {
    // Nothing asked: the help, on stderr, as a usage error (a script that lost its arguments fails).
    program.outputHelp({ error: true });
    return ExitCode.usage;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportError(error);
  }
}

/** The responders' token from `--responder-token-file` (files only: a command line is visible to all). */
async function responderTokenOf(path: string | undefined): Promise<{ responderToken?: Uint8Array }> {
  if (path === undefined) return {};
  const { readTokenFile } = await import('../responder/token-file.js');
  const { token, warning } = await readTokenFile(path);
  if (warning) process.stderr.write(`portflight: warning: ${warning}\n`);
  return { responderToken: token };
}

/** Reads, checks and resolves a plan file. */
async function planRun(planPath: string): Promise<CheckRun> {
  const { loadPlanFile, resolvePlan } = await import('../plan/index.js');
  const loaded: LoadedPlan = await loadPlanFile(planPath);
  const title = loaded.plan.name ?? `scan ${loaded.source}`;
  return {
    spec: resolvePlan(loaded),
    title,
    waivers: loaded.plan.waivers,
    planName: loaded.plan.name ?? null,
  };
}

/**
 * The terminal UI for a person watching (it pulls in Ink and React), else unattended; either is
 * loaded only here, and the probes load the raw-socket addon only when they open a raw socket.
 */
async function execute(run: CheckRun, flags: RunFlags & { offline?: boolean }): Promise<number> {
  if (!wantsInteractive(flags)) {
    const { runUnattended } = await import('./unattended.js');
    return runUnattended(run, flags);
  }
  if (flags.interactive === true) {
    if (!process.stdin.isTTY || !process.stdout.isTTY)
      throw usageError(
        '--interactive needs a terminal (stdin and stdout); use --no-interactive for a report',
      );
    // Ink draws only the final frame when it sees CI variables; --interactive asks for the live screen.
    delete process.env.CI;
    delete process.env.CONTINUOUS_INTEGRATION;
  }
  const { runInteractive } = await import('./interactive.js');
  return runInteractive(run, flags);
}

/** What `check`'s flags ask of the ad-hoc scan (flag names → plan settings); exported for the argv fuzz test. */
export function adhocOptions(hosts: string[], flags: CheckFlags): AdhocOptions {
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
    phase: flags.phase,
    responder: flags.responderTokenFile !== undefined,
    probe: flags.probe,
  };
}

function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander already printed its message; help and version are not errors.
    const benign = ['commander.helpDisplayed', 'commander.version', 'commander.help'];
    return benign.includes(error.code) ? ExitCode.go : ExitCode.usage;
  }
  if (error instanceof UserError) {
    // Whatever an input put in the message, it reaches the terminal as plain text.
    const prefixed = escapeControlCharacters(error.message)
      .split('\n')
      .map((line) => (/^\S+:\d+:\d+: /.test(line) ? line : `portflight: ${line}`));
    process.stderr.write(`${prefixed.join('\n')}\n`);
    return error.exitCode;
  }
  const environmentProblem = userCausedSystemError(error);
  if (environmentProblem) {
    process.stderr.write(`portflight: ${environmentProblem}\n`);
    return ExitCode.usage;
  }
  process.stderr.write(
    `portflight: internal error (a bug, please report it):\n${(error as Error)?.stack ?? String(error)}\n`,
  );
  return ExitCode.internal;
}

/**
 * System errors a user causes (a path that does not exist or is not a directory, no permission, a
 * working directory that was removed) reaching the top level: one line with the path, not a bug.
 */
function userCausedSystemError(error: unknown): string | undefined {
  const { code, path, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  if (syscall === 'uv_cwd') return 'the current directory no longer exists; cd to another one';
  if (code === undefined || path === undefined || !USER_ERRNO.has(code)) return undefined;
  return `${path}: ${describeErrno(code)} (${code})`;
}

const USER_ERRNO = new Set(['ENOENT', 'ENOTDIR', 'EACCES', 'EPERM', 'ENAMETOOLONG', 'ELOOP', 'EISDIR']);

/** Runs the CLI on `argv` and sets the process's exit code: the launcher's and the executable's entry. */
export function runCli(argv: readonly string[]): void {
  void main(argv).then((code) => {
    process.exitCode = code;
  });
}

// The single executable runs this bundle as its main script (scripts/package.mjs); `tsx
// src/cli/main.ts` runs this file. No top-level await: the bundle is CommonJS.
if (RUNNING_AS_EXECUTABLE || isThisModule(process.argv[1])) runCli(process.argv.slice(2));

function isThisModule(scriptPath: string | undefined): boolean {
  if (scriptPath === undefined) return false;
  try {
    return fileURLToPath(import.meta.url) === realpathSync(scriptPath);
  } catch {
    return false;
  }
}

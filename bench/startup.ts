// Benchmark: start-up time of the built CLI (dist/cli/main.js) on the commands that send no probe.
// Runs each command N times (after warm-ups) as a fresh `node` process, prints the median and p90
// wall time, and PASS/FAIL against the targets: --version under 100 ms, the others under 200 ms
// (judged on the median; exit 1 on FAIL). `node -e 0` is timed too, as the floor no CLI can go under.
// The CLI is started as users start it, through its launcher line (`#!/usr/bin/env node …`), so any
// Node flag written there is measured too; on Windows, which has no launcher lines, by `node`.
// Build first (`npm run build`; `npm run bench` does).
//
// NODE_EXTRA_CA_CERTS is taken out of the measured runs' environment (lib/node-env.ts says why), and
// the output says so; --keep-env measures with it.
//
//   npx tsx bench/startup.ts [--runs 20] [--warmups 2] [--keep-env] [--cli dist/cli/main.js]
//
// --cli measures another build (e.g. an older checkout's, to compare); paths such as
// samples/demo/plan.yaml are read from this checkout.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dropStartupTax } from './lib/node-env.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = resolve(optionText('--cli') ?? fileURLToPath(new URL('../dist/cli/main.js', import.meta.url)));

interface StartupCase {
  readonly name: string;
  /** The CLI's arguments; none for the baseline, which is `node -e 0`. */
  readonly argv?: readonly string[];
  /** PASS when the median is under this; none for the baseline. */
  readonly targetMs?: number;
  /** Exit codes that mean the command did its job (an offline verdict is NO-GO or INCOMPLETE). */
  readonly exitCodes: readonly number[];
}

const offline = ['--offline', '--no-interactive', '-f', 'json'];
const CASES: readonly StartupCase[] = [
  { name: 'node -e 0 (baseline)', exitCodes: [0] },
  { name: '--version', argv: ['--version'], targetMs: 100, exitCodes: [0] },
  { name: '--help', argv: ['--help'], targetMs: 200, exitCodes: [0] },
  { name: 'rules list', argv: ['rules', 'list'], targetMs: 200, exitCodes: [0] },
  {
    name: 'check --offline (demo evidence)',
    argv: ['check', '127.0.0.1', '--http', '8080', '--https', '8443'].concat(
      ['--evidence', 'samples/demo/evidence-p01'],
      offline,
    ),
    targetMs: 200,
    exitCodes: [2, 3],
  },
  {
    name: 'scan --offline (demo plan)',
    argv: ['scan', 'samples/demo/plan.yaml', ...offline],
    targetMs: 200,
    exitCodes: [2, 3],
  },
];

function optionText(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function optionValue(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} needs a whole number`);
  return value;
}

/** The program and arguments of a case: the CLI through its launcher line, or `node -e 0`. */
function commandOf(entry: StartupCase): [string, readonly string[]] {
  if (entry.argv === undefined) return [process.execPath, ['-e', '0']];
  return process.platform === 'win32' ? [process.execPath, [CLI, ...entry.argv]] : [CLI, entry.argv];
}

/** Wall time of one run, from spawn to exit, in ms. */
function runOnce(entry: StartupCase, env: NodeJS.ProcessEnv): number {
  const started = process.hrtime.bigint();
  const [file, args] = commandOf(entry);
  const result = spawnSync(file, args, {
    cwd: ROOT,
    encoding: 'utf8',
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status === null || !entry.exitCodes.includes(result.status)) {
    const got = result.status ?? result.signal;
    const expected = entry.exitCodes.join(' or ');
    throw new Error(`${entry.name} exited ${got}, expected ${expected}:\n${result.stderr}`);
  }
  return wallMs;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? Number.NaN;
}

function main(): number {
  if (!existsSync(CLI)) {
    console.error(`bench/startup: ${CLI} not found: build the CLI first (npm run build)`);
    return 1;
  }
  const runs = Math.max(1, optionValue('--runs', 20));
  const warmups = optionValue('--warmups', 2);
  const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true', NO_COLOR: '1' };
  const note: string[] = [];
  const tax = dropStartupTax(env, process.argv);
  if (tax) note.push(tax);
  console.log(
    `startup: node ${process.version}, ${runs} runs after ${warmups} warm-ups, wall ms` +
      (note.length > 0 ? `; ${note.join('; ')}` : ''),
  );
  let failed = false;
  for (const entry of CASES) {
    for (let i = 0; i < warmups; i++) runOnce(entry, env);
    const times = Array.from({ length: runs }, () => runOnce(entry, env)).sort((a, b) => a - b);
    const median = percentile(times, 50);
    const p90 = percentile(times, 90);
    const pass = entry.targetMs === undefined || median < entry.targetMs;
    failed ||= !pass;
    const verdict = entry.targetMs === undefined ? '    ' : pass ? 'PASS' : 'FAIL';
    const target = entry.targetMs === undefined ? '' : `  (target < ${entry.targetMs})`;
    console.log(
      `${verdict}  ${entry.name.padEnd(32)}  median ${median.toFixed(1).padStart(6)}` +
        `  p90 ${p90.toFixed(1).padStart(6)}${target}`,
    );
  }
  return failed ? 1 : 0;
}

process.exitCode = main();

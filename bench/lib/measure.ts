// Runs a command inside a namespace of the bench topology and measures it the same way for every
// tool: wall time from spawn to exit (process.hrtime), and peak RSS from GNU time's %M, which
// reads the child's rusage (Node cannot: process.resourceUsage() covers only its own process).
//
// Each measured command runs in a process group of its own, so that `killMeasured()` (on Ctrl-C,
// SIGTERM or a timeout) kills GNU time *and* the tool under it: killing time alone would leave the
// tool running inside a namespace the bench is about to delete.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChainTopology, ExecResult } from '../../test/net/topology.js';

export const GNU_TIME = '/usr/bin/time';

export interface Measured {
  readonly result: ExecResult;
  readonly wallMs: number;
  /** Peak resident set of the measured process in MB; null without GNU time. */
  readonly peakRssMb: number | null;
}

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const running = new Set<ChildProcess>();
let stopped = false;

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Kills every command `measure` is running (their whole process groups); later calls throw. */
export function killMeasured(): void {
  stopped = true;
  for (const child of running) killGroup(child);
}

function run(argv: readonly string[], timeoutMs: number): Promise<ExecResult> {
  const [command = '', ...args] = argv;
  return new Promise((resolve, reject) => {
    if (stopped) throw new Error('the bench is stopping');
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    running.add(child);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const timer = setTimeout(() => killGroup(child), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.once('error', (error) => {
      clearTimeout(timer);
      running.delete(child);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(stdout).toString(),
        stderr: Buffer.concat(stderr).toString(),
      });
    });
  });
}

/** Runs `argv` in `node`'s namespace, through GNU time when it is installed. */
export async function measure(
  topology: ChainTopology,
  node: string,
  argv: readonly string[],
  timeoutMs: number,
): Promise<Measured> {
  const withTime = isExecutable(GNU_TIME);
  const directory = await mkdtemp(join(tmpdir(), 'portflight-bench-'));
  const rssFile = join(directory, 'maxrss-kb');
  try {
    // -o keeps time's line out of the command's own stderr; `ip netns exec` execs, so time's child
    // is the measured program itself.
    const wrapped = withTime ? [GNU_TIME, '-o', rssFile, '-f', '%M', ...argv] : [...argv];
    const started = process.hrtime.bigint();
    const result = await run(['ip', 'netns', 'exec', topology.ns(node), ...wrapped], timeoutMs);
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    let peakRssMb: number | null = null;
    if (withTime) {
      const text = await readFile(rssFile, 'utf8').catch(() => '');
      const kilobytes = Number(text.trim().split('\n').pop());
      if (text.trim() !== '' && Number.isFinite(kilobytes)) peakRssMb = kilobytes / 1024;
    }
    return { result, wallMs, peakRssMb };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

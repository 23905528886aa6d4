// Runs a command inside a namespace of the bench topology and measures it the same way for every
// tool: wall time from spawn to exit (process.hrtime), and peak RSS from GNU time's %M, which
// reads the child's rusage (Node cannot: process.resourceUsage() covers only its own process).
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
    const result = await topology.exec(node, wrapped, { timeoutMs });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    let peakRssMb: number | null = null;
    if (withTime) {
      const kilobytes = Number((await readFile(rssFile, 'utf8')).trim().split('\n').pop());
      if (Number.isFinite(kilobytes)) peakRssMb = kilobytes / 1024;
    }
    return { result, wallMs, peakRssMb };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../support/cli.js';

// 10,000 site systems on loopback addresses nobody listens on (127.1.0.1 …): the scan is long
// enough to be interrupted in its connect phase, and its report is large to build.
const SYSTEMS = 10_000;
// Today's and the candidate HTTP and HTTPS ports of a management point, and client notification (10123).
const PORTS_PER_SYSTEM = 5;

let dir: string;
let plan: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'portflight-signals-'));
  plan = join(dir, 'plan.yaml');
  const systems = Array.from(
    { length: SYSTEMS },
    (_, i) => `        - { host: 127.1.${Math.floor(i / 250)}.${1 + (i % 250)}, roles: [management-point] }`,
  );
  await writeFile(
    plan,
    [
      'portflight: 1',
      'name: ten thousand systems',
      'hierarchy:',
      '  primarySites:',
      '    - siteCode: P01',
      '      systems:',
      ...systems,
      'change:',
      '  clientRequest:',
      '    http: { current: 80, candidate: 8080 }',
      '    https: { current: 443, candidate: 8443 }',
      'probe: { timeoutMs: 1000, concurrency: 64, ratePerSecond: 1000, pathProbing: false, icmpEcho: false, appProbes: false }',
      '',
    ].join('\n'),
  );
});

afterAll(() => rm(dir, { recursive: true, force: true }));

interface SignalledRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  /** When the first signal was sent (ms since the epoch). */
  readonly signalledAt: number;
  readonly exitedAt: number;
}

/** Runs a scan of the plan and sends `signals` (ms apart) once the connect phase has begun. */
function scanAndSignal(signals: readonly NodeJS.Signals[], gapMs: number): Promise<SignalledRun> {
  const child = spawn(process.execPath, [CLI, 'scan', plan, '--format', 'json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORTFLIGHT_DEBUG: 'timing' },
  });
  let stdout = '';
  let stderr = '';
  let signalledAt = 0;
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (signalledAt === 0 && stderr.includes('phase connect')) {
      signalledAt = -1;
      setTimeout(() => {
        signalledAt = Date.now();
        signals.forEach((signal, i) => setTimeout(() => child.kill(signal), i * gapMs));
      }, 1000);
    }
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, signalledAt, exitedAt: Date.now() }));
  });
}

describe('signals on a 10,000-system plan', () => {
  // SIGTERM and SIGHUP take the same path (test/cli/cli.test.ts sends each on a small scan).
  it('stops probing at once on SIGINT and reports every planned probe exactly once (exit 3)', async () => {
    const run = await scanAndSignal(['SIGINT'], 0);
    expect(run.code).toBe(3);
    const report = JSON.parse(run.stdout);
    expect(report.verdict).toBe('incomplete');
    expect(report.scan).toMatchObject({ complete: false, interruption: 'signal' });
    // Before: every queued probe still waited for its turn (28 s on such a plan).
    expect(Date.parse(report.finishedAt) - run.signalledAt).toBeLessThan(3000);
    const keys = report.probes.map((p: { target: string; protocol: string; port: number }) =>
      [p.target, p.protocol, p.port].join(' '),
    );
    expect(keys).toHaveLength(SYSTEMS * PORTS_PER_SYSTEM);
    expect(new Set(keys).size).toBe(keys.length);
    const states = new Set(report.probes.map((p: { state: string }) => p.state));
    expect([...states].sort()).toEqual(['closed', 'error']); // error: aborted, never run
  }, 120_000);

  it('ends at once on a second signal, even while the report is being built', async () => {
    // The second signal lands while building the 50,000-probe report keeps the event loop busy.
    const run = await scanAndSignal(['SIGINT', 'SIGINT'], 300);
    expect(run.signal).toBe('SIGINT');
    expect(run.exitedAt - run.signalledAt).toBeLessThan(2000);
  }, 120_000);
});

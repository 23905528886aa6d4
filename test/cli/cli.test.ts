import { createSocket } from 'node:dgram';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli, type CliOptions } from '../support/cli.js';

let listening = 0;
let closed = 0;
let server: Server;
let dir = '';

beforeAll(async () => {
  server = createServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  listening = (server.address() as AddressInfo).port;
  const released = createServer();
  await new Promise<void>((resolve) => released.listen(0, '127.0.0.1', resolve));
  closed = (released.address() as AddressInfo).port;
  await new Promise((resolve) => released.close(resolve));
  dir = await mkdtemp(join(tmpdir(), 'portflight-cli-'));
});
afterAll(() => server.close());

describe('portflight check on loopback', () => {
  it('reports a listening and a closed port in valid YAML', async () => {
    const run = await runCli(['check', '127.0.0.1', '--ports', `${listening},${closed}`, '--format', 'yaml']);
    const report = parse(run.stdout);
    expect(report.portflight).toBe(1);
    expect(
      report.probes.map((p: { port: number; state: string; reason: string }) => [p.port, p.state, p.reason]),
    ).toEqual(
      [
        [listening, 'open', 'syn-ack'],
        [closed, 'closed', 'conn-refused'],
      ].sort((a, b) => (a[0] as number) - (b[0] as number)),
    );
    expect(report.verdict).toBe('go');
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/portflight: GO — 2 probes/);
  });

  it('treats a closed candidate port as reaching the host: go, with a note to bind IIS', async () => {
    const run = await runCli([
      'check',
      '127.0.0.1',
      '--current-http',
      String(listening),
      '--http',
      String(closed),
      '--format',
      'json',
    ]);
    const report = JSON.parse(run.stdout);
    expect(report.verdict).toBe('go');
    expect(report.findings.map((f: { rule: string }) => f.rule)).toEqual(['PF-CANDIDATE-NOT-LISTENING']);
    expect(report.probes.find((p: { port: number }) => p.port === closed).role).toBe('candidate-http');
    expect(run.code).toBe(0);
  });

  it('writes the report atomically to --output and prints nothing on stdout', async () => {
    const output = join(dir, 'report.yaml');
    await writeFile(output, 'previous report\n');
    const run = await runCli(['check', '127.0.0.1', '--ports', String(listening), '-o', output]);
    expect(run.stdout).toBe('');
    expect(parse(await readFile(output, 'utf8')).probes).toHaveLength(1);
    expect((await readdir(dir)).filter((name) => name.startsWith('.portflight-tmp'))).toEqual([]);
  });

  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)(
    'stops on %s, still writes the report, and calls the partial scan incomplete (exit 3)',
    async (signal) => {
      const silent = createSocket('udp4');
      await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
      const run = await runCli(
        [
          'check',
          '127.0.0.1',
          '--ports',
          `udp:${silent.address().port},${listening}`,
          '--timeout',
          '20000',
          '--min-timeout',
          '20000',
          '--format',
          'json',
          '--concurrency',
          '1',
        ],
        signalOnceProbing(signal),
      );
      silent.close();
      const report = JSON.parse(run.stdout);
      expect(report.scan.complete).toBe(false);
      expect(report.verdict).toBe('incomplete');
      expect(report.findings.map((f: { rule: string }) => f.rule)).toContain('PF-SCAN-INTERRUPTED');
      expect(run.code).toBe(3);
    },
  );

  it('does not open the Node inspector on SIGUSR1', async () => {
    const silent = createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    const args = ['check', '127.0.0.1', '--ports', `udp:${silent.address().port}`, '--timeout', '1500'];
    const run = await runCli([...args, '--min-timeout', '1500', '--format', 'json'], {
      onSpawn: (pid) => setTimeout(() => signalIfRunning(pid, 'SIGUSR1'), 500),
    });
    silent.close();
    expect(run.stderr).not.toMatch(/Debugger listening|inspector/i);
    expect(run.signal).toBeNull();
    expect(JSON.parse(run.stdout).scan.complete).toBe(true);
  });
});

describe('bad input', () => {
  it('gives a one-line positioned error and exit 65 for a malformed plan', async () => {
    const plan = join(dir, 'bad-plan.yaml');
    await writeFile(
      plan,
      'portflight: 1\nhierarchy:\n  primarySites:\n    - siteCode: P01\n      sytems: []\nchange: {clientRequest: {http: {current: 80, candidate: 8080}}}\n',
    );
    const run = await runCli(['scan', plan]);
    expect(run.code).toBe(65);
    expect(run.stderr).toBe(`${plan}:5:7: hierarchy.primarySites[0].sytems: unknown key "sytems"\n`);
    expect(run.stdout).toBe('');
  });

  it('gives a positioned error for broken YAML', async () => {
    const plan = join(dir, 'broken.yaml');
    await writeFile(plan, 'portflight: 1\nhierarchy: {primarySites: [\n');
    const run = await runCli(['scan', plan]);
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(
      new RegExp(`^${plan.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: .+\\n$`),
    );
  });

  it.each([
    [['check', '127.0.0.1', '--http', '70000'], /port 70000 is out of range/],
    [['check', '127.0.0.1', '--ports', 'udp:abc'], /not a port/],
    [['check'], /name at least one host/],
    [['frobnicate'], /unknown command/],
    [
      ['check', '127.0.0.1', '--http', '8080', '--format', 'xml'],
      /"xml" is not a format \(choose from yaml, json, markdown, html, junit\)/,
    ],
    [['check', '127.0.0.1', '--http', '8080', '--format', 'yaml,html'], /several formats need --output-dir/],
  ])('exits 64 on usage error %j', async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 65 for a plan file that does not exist', async () => {
    const run = await runCli(['scan', join(dir, 'missing.yaml')]);
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(/missing\.yaml: cannot read: no such file or directory \(ENOENT\)\n$/);
  });

  it('prints the version and exits 0', async () => {
    const run = await runCli(['--version']);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(run.code).toBe(0);
  });
});

describe('portflight demo', () => {
  it('prints a real verdict for the sample plan against loopback listeners', async () => {
    const run = await runCli(['demo', '--format', 'json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.verdict).toBe('conditional');
    expect(report.plan.path).toMatch(/samples\/demo\/plan\.yaml$/);
    expect(report.probes.filter((p: { state: string }) => p.state === 'open').length).toBeGreaterThan(0);
    expect(report.findings.map((f: { rule: string }) => f.rule)).toContain('CM-CLIENTS-MUST-REINSTALL');
    expect(run.stderr).toMatch(/CONDITIONAL/);
  });
});

/** Sends `signal` once the CLI reports its connect phase (its handlers are in place by then). */
function signalOnceProbing(signal: NodeJS.Signals): CliOptions {
  let pid = 0;
  let sent = false;
  return {
    env: { PORTFLIGHT_DEBUG: 'timing' },
    onSpawn: (spawned) => (pid = spawned),
    onStderr: (text) => {
      if (sent || !text.includes('phase connect')) return;
      sent = true;
      setTimeout(() => signalIfRunning(pid, signal), 300);
    },
  };
}

function signalIfRunning(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone: the assertions on its report will say why.
  }
}

// End to end: the built CLI, run inside the client namespace, probes a real server through a
// real nftables firewall (with a router behind it, so firewalking can name it), and the report, verdict and exit code say what a user would see.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeNetns } from '../net/require-root.js';
import { CLI } from '../support/cli.js';
import { createChainTopology, firewallRuleset, nftRule, type ChainTopology } from '../net/topology.js';

interface ProbeRecord {
  readonly address: string | null;
  readonly protocol: 'tcp' | 'udp';
  readonly port: number;
  readonly role: string;
  readonly roles: readonly string[];
  readonly state: string;
  readonly reason: string;
  readonly rttMs: number | null;
  readonly blockedBy?: string | null;
}

interface Report {
  readonly portflight: number;
  readonly verdict: string;
  readonly probes: readonly ProbeRecord[];
  readonly findings: readonly { rule: string; severity: string; message: string; subject: string }[];
}

const CHECK_ARGS = ['--http', '8080', '--https', '8443', '--ports', '80,443,8081,udp:9,udp:10'];

const probeKey = (probe: Pick<ProbeRecord, 'protocol' | 'port'>) => `${probe.protocol}/${probe.port}`;

describeNetns('portflight check through client → fw → r2 → server', () => {
  let topology: ChainTopology;
  let server: string;

  async function runCheck(): Promise<{
    exitCode: number | null;
    report: Report;
    probes: Map<string, ProbeRecord>;
  }> {
    const argv = [
      process.execPath,
      CLI,
      'check',
      server,
      ...CHECK_ARGS,
      '--timeout',
      '1500',
      '--format',
      'json',
    ];
    const result = await topology.exec('client', argv, { timeoutMs: 90_000 });
    let report: Report;
    try {
      report = JSON.parse(result.stdout) as Report;
    } catch {
      throw new Error(
        `exit ${result.code}, stdout is not JSON:\n${result.stdout}\nstderr:\n${result.stderr}`,
      );
    }
    return {
      exitCode: result.code,
      report,
      probes: new Map(report.probes.map((probe) => [probeKey(probe), probe])),
    };
  }

  beforeAll(async () => {
    topology = await createChainTopology(['client', 'fw', 'r2', 'server']);
    server = topology.addr('server');
    await topology.serve('server', { tcp: [80, 443], udpEcho: [9] });
  });
  afterAll(async () => {
    await topology?.destroy();
  });
  afterEach(() => topology.nft('fw', firewallRuleset('forward', [])));

  it('is no-go (exit 2) when the firewall blocks the candidate HTTP port and lets the current one through', async () => {
    await topology.nft(
      'fw',
      firewallRuleset('forward', [nftRule.dropTcp(8080), nftRule.rejectTcpAdminProhibited(8443)]),
    );

    const { exitCode, report, probes } = await runCheck();

    expect(report.portflight).toBe(1);
    const outcomes = Object.fromEntries(
      [...probes].map(([key, probe]) => [key, `${probe.state}/${probe.reason}`]),
    );
    expect(outcomes).toMatchObject({
      'tcp/80': 'open/syn-ack',
      'tcp/443': 'open/syn-ack',
      'tcp/8081': 'closed/conn-refused',
      'tcp/8080': 'filtered/no-response',
      'tcp/8443': 'filtered/admin-prohibited',
      'udp/9': 'open/udp-response',
      'udp/10': 'closed/port-unreach',
    });
    expect(report.probes.every((probe) => probe.address === server)).toBe(true);
    expect(probes.get('tcp/8080')).toMatchObject({ role: 'candidate-http' });
    // Path probing (CI runs as root) names the firewall as the device that stops both ports.
    const firewall = topology.addr('fw');
    expect(probes.get('tcp/8080')).toMatchObject({ blockedBy: firewall });
    expect(probes.get('tcp/8443')).toMatchObject({ blockedBy: firewall });
    expect(probes.get('tcp/80')?.blockedBy).toBeUndefined();
    expect(probes.get('tcp/8080')?.roles).toContain('candidate-http');
    expect(probes.get('tcp/8443')?.roles).toContain('candidate-https');
    // The admin-prohibited reject answers at once; only the dropped port waits for the timeout.
    expect(probes.get('tcp/8443')?.rttMs).toBeLessThan(1_000);
    expect(probes.get('tcp/80')?.rttMs).toEqual(expect.any(Number));

    expect(report.verdict).toBe('no-go');
    expect(exitCode).toBe(2);
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        rule: expect.stringContaining('CANDIDATE'),
        severity: 'no-go',
        subject: expect.stringContaining('8080'),
      }),
    );
  });

  it('is incomplete (exit 3) when the firewall drops everything to the server', async () => {
    await topology.nft('fw', firewallRuleset('forward', [nftRule.dropAllTo(server)]));

    const { exitCode, report, probes } = await runCheck();

    expect(probes.size).toBeGreaterThanOrEqual(7);
    for (const probe of report.probes) {
      expect(`${probeKey(probe)} ${probe.state}/${probe.reason}`).toBe(
        `${probeKey(probe)} ${probe.protocol === 'tcp' ? 'filtered' : 'open|filtered'}/no-response`,
      );
    }
    expect(report.verdict).toBe('incomplete');
    expect(exitCode).toBe(3);
  });
});

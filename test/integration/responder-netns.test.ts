// Two-sided proof across a firewall: `portflight listen` on the server, `portflight check
// --responder-token-file` on the client. Every candidate port ends proved, refuted as a middlebox,
// or silent and localised.
//
//   client → r1 → fw → r2 → server (responder, token A, identity "server")
//   fw:  DNAT server:8443 → r2:8443 (r2 runs its own responder: token B, identity "r2")
//        DNAT server:8444 → r2:8444 (a plain listener with a banner, no responder)
//        redirect server:8081 → fw itself (a silent listener on the firewall)
//   server's own firewall (input): drops tcp 8082 and udp 25537
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeNetns } from '../net/require-root.js';
import { createFirewallChain, runCheck, type CheckRun, type ReportProbe } from '../net/localisation.js';
import { natRule, natRuleset, nftRule } from '../net/nft-rules.js';
import { startListen, writeTokenFile, type RunningResponder } from '../net/responder.js';
import { firewallRuleset, type ChainTopology } from '../net/topology.js';
import { runCli } from '../support/cli.js';

const TOKEN_A = 'a1'.repeat(32);
const TOKEN_B = 'b2'.repeat(32);
const SERVER_PORTS = ['8080', '8443', '8444', '8081', '8082', 'udp:9', 'udp:25536', 'udp:25537'];
const CHECK_PORTS = SERVER_PORTS.map((port) => (port.startsWith('udp:') ? port : `tcp:${port}`));

type WithResponder = ReportProbe & {
  readonly responder?: { outcome: string; identity?: string; reachedAt?: string; banner?: string };
};

describeNetns('two-sided proof with a responder on the server', () => {
  let topology: ChainTopology;
  let server: string;
  let tokenA: string;
  let tokenB: string;
  let serverResponder: RunningResponder;
  let right: CheckRun;
  let wrong: CheckRun;
  const probe = (run: CheckRun, port: string) => run.probe(server, port) as WithResponder;

  beforeAll(async () => {
    topology = await createFirewallChain();
    server = topology.addr('server');
    const r2 = topology.addr('r2');
    [tokenA, tokenB] = await Promise.all([writeTokenFile(TOKEN_A), writeTokenFile(TOKEN_B)]);
    await topology.nft(
      'fw',
      natRuleset({
        prerouting: [
          natRule.dnatTcp(server, 8443, r2),
          natRule.dnatTcp(server, 8444, r2),
          natRule.redirectTcp(server, 8081),
        ],
      }),
    );
    await topology.nft('server', firewallRuleset('input', [nftRule.dropTcp(8082), nftRule.dropUdp(25537)]));
    await topology.serve('fw', { tcp: [8081] });
    const banner = topology.spawn('r2', [
      process.execPath,
      '-e',
      "require('net').createServer((s) => s.end('SSH-2.0-portflight-test\\r\\n')).listen(8444, () => console.log('READY'))",
    ]);
    await new Promise((resolve) => banner.stdout?.once('data', resolve));
    const listen = (tokenFile: string, identity: string, ports: string) =>
      ['--ports', ports, '--for', '3m', '--token-file', tokenFile, '--identity', identity] as const;
    serverResponder = await startListen(topology, 'server', listen(tokenA, 'server', SERVER_PORTS.join(',')));
    await startListen(topology, 'r2', listen(tokenB, 'r2', '8443'));
    right = await runCheck(topology, [server], CHECK_PORTS, ['--responder-token-file', tokenA]);
    wrong = await runCheck(topology, [server], CHECK_PORTS, ['--responder-token-file', tokenB]);
  }, 240_000);
  afterAll(async () => {
    await topology?.destroy();
  });

  it('(a) proves the plain path: the server itself answered under the token', () => {
    expect(probe(right, 'tcp/8080')).toMatchObject({
      state: 'open',
      reason: 'responder',
      responder: { outcome: 'proved', identity: 'server', reachedAt: server },
    });
    const finding = right.report.findings.find(
      (f) => f.rule === 'PF-RESPONDER-PROVED' && f.subject.endsWith('tcp/8080'),
    );
    expect(finding?.severity).toBe('info');
  });

  it('(b) refutes a DNAT to another host, with its own responder or none, as a middlebox', () => {
    expect(probe(right, 'tcp/8443')).toMatchObject({
      state: 'open',
      reason: 'middlebox',
      responder: { outcome: 'middlebox', identity: 'r2', reachedAt: topology.addr('r2') },
    });
    expect(probe(right, 'tcp/8444')).toMatchObject({
      state: 'open',
      reason: 'middlebox',
      responder: { outcome: 'middlebox', banner: 'SSH-2.0-portflight-test\\x0d\\x0a' },
    });
    // Under r2's own token, its proof verifies, but names the address it was reached at: still not the server.
    expect(probe(wrong, 'tcp/8443')).toMatchObject({ reason: 'middlebox', responder: { identity: 'r2' } });
  });

  it('(c) refutes a redirect to a listener on the firewall as a middlebox', () => {
    expect(probe(right, 'tcp/8081')).toMatchObject({ state: 'open', reason: 'middlebox' });
    expect(probe(right, 'tcp/8081').detail).toMatch(/answered without a proof: nothing/);
    const middleboxes = right.report.findings.filter((f) => f.rule === 'PF-RESPONDER-MIDDLEBOX');
    expect(middleboxes.map((f) => f.subject).sort()).toEqual(
      [`${server}:tcp/8081`, `${server}:tcp/8443`, `${server}:tcp/8444`].sort(),
    );
    expect(middleboxes.every((f) => f.severity === 'no-go')).toBe(true);
    expect(right.report.verdict).toBe('no-go');
  });

  it("(d) the server's host firewall dropping a port: silent, localised to the destination", () => {
    expect(probe(right, 'tcp/8082')).toMatchObject({
      state: 'filtered',
      reason: 'no-response',
      blockedBy: 'destination',
      responder: { outcome: 'silent' },
    });
    // UDP silence where the responder listens is a drop, not "open|filtered".
    expect(probe(right, 'udp/25537')).toMatchObject({
      state: 'filtered',
      responder: { outcome: 'silent' },
    });
  });

  it('(e) proves UDP 9 and 25536 across the firewall', () => {
    for (const port of ['udp/9', 'udp/25536'])
      expect(probe(right, port), port).toMatchObject({
        state: 'open',
        reason: 'responder',
        responder: { outcome: 'proved', identity: 'server' },
      });
  });

  it('(g) reports a wrong token as such, not as a middlebox', () => {
    for (const port of ['tcp/8080', 'udp/9', 'udp/25536'])
      expect(probe(wrong, port), port).toMatchObject({
        state: 'open',
        reason: 'responder-token-mismatch',
        responder: { outcome: 'token-mismatch', identity: 'server' },
      });
    const findings = wrong.report.findings.filter((f) => f.rule === 'PF-RESPONDER-TOKEN-MISMATCH');
    expect(findings.map((f) => f.subject).sort()).toEqual(
      [`${server}:tcp/8080`, `${server}:udp/25536`, `${server}:udp/9`].sort(),
    );
    expect(findings.every((f) => f.severity === 'incomplete')).toBe(true);
  });

  it('logs each proof it served, one line each, never the token; reports carry no token', () => {
    const log = serverResponder.stderr();
    expect(log).toContain(`proof tcp/8080 to ${topology.addr('client')} (reached at ${server})`);
    expect(log).toContain(`proof udp/9 to ${topology.addr('client')} (reached at ${server})`);
    for (const text of [log, JSON.stringify(right.report), JSON.stringify(wrong.report)]) {
      expect(text).not.toContain(TOKEN_A);
      expect(text).not.toContain(TOKEN_B);
    }
  });

  describe('a plan with a responder system', () => {
    it('prints the listen command for the ports the server must answer on, then proves them', async () => {
      const plan = join(dirname(tokenA), 'plan.yaml');
      await writeFile(
        plan,
        [
          'portflight: 1',
          'hierarchy:',
          '  primarySites:',
          '    - siteCode: P01',
          '      systems:',
          `        - { host: '${server}', roles: [management-point], responder: true }`,
          'change:',
          '  clientRequest:',
          '    http: { current: 80, candidate: 8080 }',
          '    https: { current: 443, candidate: 8443 }',
          '',
        ].join('\n'),
      );
      const run = await runCli(
        ['scan', plan, '--format', 'json', '--no-interactive', '--responder-token-file', tokenA],
        { prefix: ['ip', 'netns', 'exec', topology.ns('client')] },
      );
      expect(run.stderr).toContain(
        `portflight:   on ${server}: portflight listen --ports 8080,8443 --for 15m --token-file ${tokenA}`,
      );
      const report = JSON.parse(run.stdout) as { probes: WithResponder[] };
      const of = (port: number) => report.probes.find((p) => p.protocol === 'tcp' && p.port === port);
      expect(of(8080)).toMatchObject({ reason: 'responder' });
      expect(of(8443)).toMatchObject({ reason: 'middlebox' });
      // Today's ports are IIS's: no responder is expected there.
      expect(of(80)?.responder).toBeUndefined();
    }, 120_000);
  });
});

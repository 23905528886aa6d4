// End to end on client → r1 → fw → r2 → server: connect-phase probes, then raw TTL-limited probes
// from the client namespace, and what they say about who blocks each port.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ProbeRecord } from '../../../src/probes/types.js';
import { describeNetns } from '../../net/require-root.js';
import { createChainTopology, firewallRuleset, nftRule, type ChainTopology } from '../../net/topology.js';
import { runHarness } from './run-harness.js';

interface RefineOutput {
  readonly connect: ProbeRecord[];
  readonly refined: ProbeRecord[];
  readonly refineMs: number;
}

const PORTS = [
  { protocol: 'tcp', port: 80 },
  { protocol: 'tcp', port: 443 },
  { protocol: 'tcp', port: 8080 }, // dropped by fw
  { protocol: 'tcp', port: 8443 }, // rejected by fw with ICMP admin-prohibited
  { protocol: 'tcp', port: 8081 }, // reset by fw
  { protocol: 'tcp', port: 8082 }, // really closed on the server
  { protocol: 'tcp', port: 8444 }, // dropped by the server's own input chain
  { protocol: 'udp', port: 9 }, // echo
  { protocol: 'udp', port: 9999 }, // dropped by fw
] as const;

describeNetns('raw-socket path probing through client → r1 → fw → r2 → server', () => {
  let topology: ChainTopology;
  let output: RefineOutput;
  const refined = (protocol: string, port: number) => {
    const record = output.refined.find((r) => r.protocol === protocol && r.port === port);
    if (!record) throw new Error(`no record for ${protocol}/${port}`);
    return record;
  };
  const hopAddresses = (record: ProbeRecord) => (record.path ?? []).map((hop) => hop.address);

  beforeAll(async () => {
    topology = await createChainTopology(['client', 'r1', 'fw', 'r2', 'server']);
    await topology.serve('server', { tcp: [80, 443], udpEcho: [9] });
    await topology.nft(
      'fw',
      firewallRuleset('forward', [
        nftRule.dropTcp(8080),
        nftRule.rejectTcpAdminProhibited(8443),
        nftRule.rejectTcpReset(8081),
        nftRule.dropUdp(9999),
      ]),
    );
    await topology.nft('server', firewallRuleset('input', [nftRule.dropTcp(8444)]));
    output = await runHarness<RefineOutput>(
      { mode: 'refine', address: topology.addr('server'), ports: PORTS, timeoutMs: 1000 },
      { topology, node: 'client' },
    );
  });
  afterAll(async () => {
    await topology?.destroy();
  });

  it('attributes every answer of the connect phase to its sender, with its TTL', () => {
    const connect = (port: number) => output.connect.find((r) => r.protocol === 'tcp' && r.port === port);
    // Linux starts at TTL 64; three routers decrement it on the way back from the server.
    expect(connect(80)).toMatchObject({ state: 'open', replyFrom: topology.addr('server'), replyTtl: 61 });
    expect(connect(8082)).toMatchObject({
      state: 'closed',
      replyFrom: topology.addr('server'),
      replyTtl: 61,
    });
    // The kernel folds admin-prohibited into EHOSTUNREACH; the raw socket saw the ICMP and its sender.
    expect(connect(8443)).toMatchObject({
      state: 'filtered',
      reason: 'admin-prohibited',
      replyFrom: topology.addr('fw'),
      blockedBy: topology.addr('fw'),
      localisation: 'probed',
    });
  });

  it('leaves open ports as they are', () => {
    expect(refined('tcp', 80)).toEqual(output.connect.find((r) => r.protocol === 'tcp' && r.port === 80));
    expect(refined('tcp', 80).answeredCloser).toBeUndefined();
    expect(refined('udp', 9)).toMatchObject({ state: 'open', reason: 'udp-response' });
    expect(refined('udp', 9).blockedBy).toBeUndefined();
  });

  it('names the firewall as the device that drops TCP 8080, with the hops before it', () => {
    expect(refined('tcp', 8080)).toMatchObject({
      state: 'filtered',
      reason: 'no-response',
      blockedBy: topology.addr('fw'),
      localisation: 'probed',
    });
    expect(hopAddresses(refined('tcp', 8080))).toEqual([topology.addr('r1'), topology.addr('fw')]);
  });

  it('tells an admin-prohibited reject (TCP 8443) from host-unreachable, and who sent it', () => {
    expect(refined('tcp', 8443)).toMatchObject({
      state: 'filtered',
      reason: 'admin-prohibited',
      blockedBy: topology.addr('fw'),
    });
    expect(hopAddresses(refined('tcp', 8443))).toEqual([topology.addr('r1'), topology.addr('fw')]);
  });

  it('finds the reset forged by the firewall (TCP 8081): closer than the server, at the fw hop', () => {
    expect(output.connect.find((r) => r.port === 8081)).toMatchObject({
      state: 'closed',
      reason: 'conn-refused',
    });
    const record = refined('tcp', 8081);
    expect(record).toMatchObject({
      state: 'filtered',
      reason: 'reset-injected',
      blockedBy: topology.addr('fw'),
    });
    // The fw is hop 2 of 4: its forged RST arrives with 64 - 1, the server's with 64 - 3.
    expect(record.replyTtl).toBe(63);
    // The RST to the TTL-3 SYN carries the server's address: the path stops at the hop that forged it.
    expect(hopAddresses(record)).toEqual([topology.addr('r1'), topology.addr('fw')]);
  });

  it('keeps a really closed port (TCP 8082) closed: its RST has the server TTL', () => {
    expect(refined('tcp', 8082)).toMatchObject({ state: 'closed', reason: 'conn-refused', replyTtl: 61 });
    expect(refined('tcp', 8082).blockedBy).toBeUndefined();
  });

  it('says the destination itself drops TCP 8444 when every network hop passes it', () => {
    const record = refined('tcp', 8444);
    expect(record).toMatchObject({ state: 'filtered', reason: 'no-response', blockedBy: 'destination' });
    expect(hopAddresses(record)).toEqual([topology.addr('r1'), topology.addr('fw'), topology.addr('r2')]);
  });

  it('finds the firewall dropping UDP 9999 and, since r2 answers for other ports, calls it filtered', () => {
    expect(output.connect.find((r) => r.port === 9999)).toMatchObject({ state: 'open|filtered' });
    expect(refined('udp', 9999)).toMatchObject({
      state: 'filtered',
      reason: 'no-response',
      blockedBy: topology.addr('fw'),
    });
    expect(hopAddresses(refined('udp', 9999)).slice(0, 2)).toEqual([
      topology.addr('r1'),
      topology.addr('fw'),
    ]);
  });

  it('falls back to an ICMP traceroute reference when no probed port reaches the server', async () => {
    const only = await runHarness<RefineOutput>(
      {
        mode: 'refine',
        address: topology.addr('server'),
        ports: PORTS.filter((p) => [8080, 8081, 8444].includes(p.port)),
        timeoutMs: 1000,
      },
      { topology, node: 'client' },
    );
    const byPort = new Map(only.refined.map((r) => [r.port, r]));
    expect(byPort.get(8080)).toMatchObject({ blockedBy: topology.addr('fw') });
    expect(byPort.get(8444)).toMatchObject({ blockedBy: 'destination' });
    expect(hopAddresses(byPort.get(8444) as ProbeRecord)).toEqual([
      topology.addr('r1'),
      topology.addr('fw'),
      topology.addr('r2'),
    ]);
    // Without a SYN-ACK TTL to compare with, the forged RST is still caught: it answers a SYN
    // whose TTL (3) cannot reach the server (4 hops away).
    expect(byPort.get(8081)).toMatchObject({ reason: 'reset-injected', blockedBy: topology.addr('fw') });
  });

  it.skipIf(!hasNmap() && process.env.CI !== 'true')(
    'agrees with nmap -sS --reason on the firewall cases',
    async () => {
      const result = await topology.exec(
        'client',
        ['nmap', '-sS', '-Pn', '-n', '--reason', '-p', '80,8081,8082,8443', topology.addr('server')],
        { timeoutMs: 60_000 },
      );
      const line = (port: number) => result.stdout.split('\n').find((l) => l.startsWith(`${port}/tcp`)) ?? '';
      expect(line(80)).toMatch(/open\s.*syn-ack ttl 61/);
      expect(line(8082)).toMatch(/closed\s.*reset ttl 61/);
      expect(line(8081)).toMatch(/closed\s.*reset ttl 63/);
      expect(line(8443)).toMatch(
        new RegExp(`filtered\\s.*admin-prohibited from ${topology.addr('fw').replaceAll('.', '\\.')}`),
      );
      expect(refined('tcp', 8081).replyTtl).toBe(63);
      expect(refined('tcp', 8082).replyTtl).toBe(61);
    },
  );
});

function hasNmap(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v nmap'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

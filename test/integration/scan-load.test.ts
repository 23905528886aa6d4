// 10,000 probes through a real firewall, in the default mode (path localisation on): the scan
// completes, reports every planned probe exactly once with the state the topology gives it, and
// stays within a bounded memory.
//
//   client → r1 → fw → r2 → server (198.19.1.1 … .250)
//   tcp 9000-9009 listen · 9010-9019 nothing listens · fw drops 9020-9029 · fw rejects 9030-9039
//   with ICMP admin-prohibited
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeNetns } from '../net/require-root.js';
import { addServerAddresses, createFirewallChain, runCheck, type CheckRun } from '../net/localisation.js';
import { firewallRuleset, nftRule } from '../net/nft-rules.js';
import type { ChainTopology } from '../net/topology.js';

const ADDRESSES = 250;
const range = (first: number) => Array.from({ length: 10 }, (_, i) => first + i);
const LISTENING = range(9000);
const CLOSED = range(9010);
const DROPPED = range(9020);
const REJECTED = range(9030);
const PORTS = [...LISTENING, ...CLOSED, ...DROPPED, ...REJECTED];

describeNetns('a 10,000-probe scan through a firewall', () => {
  let topology: ChainTopology;
  let addresses: string[];
  let run: CheckRun;
  let peakRssMb: number;

  beforeAll(async () => {
    topology = await createFirewallChain();
    addresses = await addServerAddresses(topology, '198.19.1', ADDRESSES);
    await topology.serve('server', { tcp: LISTENING });
    await topology.nft(
      'fw',
      firewallRuleset('forward', [
        ...DROPPED.map(nftRule.dropTcp),
        ...REJECTED.map(nftRule.rejectTcpAdminProhibited),
      ]),
    );
    const rss: number[] = [];
    run = await runCheck(
      topology,
      addresses,
      PORTS.map((port) => `tcp:${port}`),
      ['--no-app'],
      {
        env: { PORTFLIGHT_DEBUG: 'timing' },
        onStderr: (text) => {
          for (const match of text.matchAll(/rss (\d+) MB/g)) rss.push(Number(match[1]));
        },
      },
    );
    peakRssMb = Math.max(...rss);
    console.log(`10,000 probes: ${run.durationMs} ms, rss at most ${peakRssMb} MB at the stage marks`);
  }, 300_000);
  afterAll(async () => {
    await topology?.destroy();
  });

  it('reports every planned probe exactly once', () => {
    const keys = run.report.probes.map((probe) => `${probe.address} ${probe.protocol}/${probe.port}`);
    expect(keys).toHaveLength(ADDRESSES * PORTS.length);
    expect(new Set(keys).size).toBe(keys.length);
    expect(run.report.scan).toMatchObject({ complete: true, probes: ADDRESSES * PORTS.length });
  });

  it('gives each probe the state the topology gives its port', () => {
    // The firewall's unreachables share the kernel's ICMP rate limit: most rejects arrive as silence.
    const expected = (port: number): readonly string[] =>
      LISTENING.includes(port)
        ? ['open syn-ack']
        : CLOSED.includes(port)
          ? ['closed conn-refused']
          : DROPPED.includes(port)
            ? ['filtered no-response']
            : ['filtered admin-prohibited', 'filtered no-response'];
    const wrong = run.report.probes
      .filter((probe) => !expected(probe.port).includes(`${probe.state} ${probe.reason}`))
      .map((probe) => `${probe.address} ${probe.port}: ${probe.state} ${probe.reason}`);
    expect(wrong).toEqual([]);
    const rejected = run.report.probes.filter((probe) => REJECTED.includes(probe.port));
    expect(rejected.filter((probe) => probe.reason === 'admin-prohibited').length).toBeGreaterThan(0);
  });

  it('never names another device than the firewall for the dropped and rejected ports', () => {
    const blockers = new Set(
      run.report.probes
        .filter(
          (probe) => probe.state === 'filtered' && probe.blockedBy !== undefined && probe.blockedBy !== null,
        )
        .map((probe) => probe.blockedBy),
    );
    expect([...blockers]).toEqual([topology.addr('fw')]);
  });

  it('finds every address still there when it asks again at the end', () => {
    expect(run.report.findings.filter((finding) => finding.rule === 'PF-HOST-VANISHED')).toEqual([]);
  });

  it('stays within bounded memory', () => {
    expect(peakRssMb).toBeLessThan(200);
  });
});

// UDP behind routers that rate-limit their ICMP (the kernel default: a burst of 6, then about one
// a second toward one client). Silence on UDP proves nothing by itself: a dropped port, and a
// closed port whose port-unreachable was rate limited, both look like it. A drop the path probing
// proves is `filtered` with the firewall as blocker; what it cannot prove stays `open|filtered`,
// never a wrong device, and a closed port is never called filtered.
//
//   client → r1 → fw (drops udp 9) → r2 → server (198.19.3.1 … .12)
//   server: udp echo on 25536 (open), nothing on udp 9999 (closed: port-unreachable, rate
//   limited by the server itself: 12 addresses, one client), tcp 80 open
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeNetns } from '../net/require-root.js';
import {
  addServerAddresses,
  createFirewallChain,
  icmpSent,
  reachedProblems,
  runCheck,
  tallyBlocks,
  type CheckRun,
  type IcmpSent,
} from '../net/localisation.js';
import { nftRule } from '../net/nft-rules.js';
import { firewallRuleset, type ChainTopology } from '../net/topology.js';

const COUNT = 12;

describeNetns('UDP behind ICMP rate-limited routers', () => {
  let topology: ChainTopology;
  let addresses: string[];
  let run: CheckRun;
  let serverIcmp: IcmpSent;

  beforeAll(async () => {
    topology = await createFirewallChain();
    // Addresses first: the UDP echo binds one socket per local address.
    addresses = await addServerAddresses(topology, '198.19.3', COUNT);
    await topology.serve('server', { tcp: [80], udpEcho: [25536] });
    await topology.nft('fw', firewallRuleset('forward', [nftRule.dropUdp(9)]));
    run = await runCheck(topology, addresses, ['tcp:80', 'udp:9', 'udp:25536', 'udp:9999']);
    serverIcmp = await icmpSent(topology, 'server');
    const fwIcmp = await icmpSent(topology, 'fw');
    console.log(`check of ${COUNT} addresses × 4 ports: ${run.durationMs} ms`);
    console.log(
      `ICMP sent (held back by the rate limit): server ${serverIcmp.destUnreachs} unreachable` +
        ` (${serverIcmp.rateLimitedHost}), fw ${fwIcmp.timeExcds} time-exceeded (${fwIcmp.rateLimitedHost})`,
    );
  }, 120_000);
  afterAll(async () => {
    await topology?.destroy();
  });

  it('reports the echo port open and tcp 80 open, with no blocker', () => {
    expect([
      ...reachedProblems(run, addresses, 'udp/25536', 'open'),
      ...reachedProblems(run, addresses, 'tcp/80', 'open'),
    ]).toEqual([]);
  });

  it('names the firewall for udp 9, or leaves it open|filtered: never another device', () => {
    const tally = tallyBlocks(
      run,
      'udp/9',
      { blocker: topology.addr('fw'), group: addresses },
      { openFilteredIsUnknown: true },
    );
    console.log(`udp/9: ${tally.probed} probed, ${tally.inferred} inferred, ${tally.unknown} unknown`);
    expect(tally.problems).toEqual([]);
  });

  it('reports udp 9999 closed (port-unreachable from the address itself) or, rate limited, open|filtered', () => {
    const probes = run.probesOf('udp/9999');
    const closed = probes.filter((probe) => probe.state === 'closed');
    console.log(`udp/9999: ${closed.length} of ${COUNT} closed`);
    const problems = probes.flatMap((probe) => {
      const found = `${probe.address}: ${probe.state}/${probe.reason}, replyFrom ${String(probe.replyFrom)}, blockedBy ${String(probe.blockedBy)}`;
      const isClosed =
        probe.state === 'closed' &&
        probe.reason === 'port-unreach' &&
        probe.replyFrom === probe.address &&
        probe.blockedBy === undefined;
      const isSilent =
        probe.state === 'open|filtered' &&
        probe.reason === 'no-response' &&
        (probe.blockedBy === undefined || probe.blockedBy === null);
      return isClosed || isSilent ? [] : [found];
    });
    expect(probes).toHaveLength(COUNT);
    // Ground truth: every address's 9999 made the server answer port-unreachable or hold it back.
    expect(serverIcmp.destUnreachs + serverIcmp.rateLimitedHost).toBeGreaterThanOrEqual(COUNT);
    expect(problems).toEqual([]);
    // The server's burst of 6 port-unreachables reaches the client, at the least.
    expect(closed.length).toBeGreaterThanOrEqual(6);
  });
});

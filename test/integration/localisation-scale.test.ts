// 120 addresses behind one dropping firewall: path probing cannot trace every address through
// routers that send about one time-exceeded a second, so it localises a sample of each group
// (same path, protocol and port) and infers the rest. Every `blockedBy` must be the firewall, or
// be labelled inferred from a probed address of the same group, or unknown: never another device.
//
//   client → r1 → fw → r2 → server (198.19.1.1 … .120, listening on tcp 80 and 8443)
//   fw (forward): tcp 8080 dropped for all 120; tcp 8443 dropped for .1 … .60 only
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
} from '../net/localisation.js';
import { nftRule } from '../net/nft-rules.js';
import { firewallRuleset, type ChainTopology } from '../net/topology.js';

const COUNT = 120;
const DROPPED_8443 = 60;

describeNetns('localisation at scale: 120 addresses behind a dropping firewall', () => {
  let topology: ChainTopology;
  let addresses: string[];
  let run: CheckRun;

  beforeAll(async () => {
    topology = await createFirewallChain();
    addresses = await addServerAddresses(topology, '198.19.1', COUNT);
    await topology.serve('server', { tcp: [80, 8443] });
    await topology.nft(
      'fw',
      firewallRuleset('forward', [
        nftRule.dropTcp(8080),
        nftRule.dropTcpTo(addresses.slice(0, DROPPED_8443), 8443),
      ]),
    );
    run = await runCheck(topology, addresses, ['tcp:80', 'tcp:8080', 'tcp:8443']);
    const fw = await icmpSent(topology, 'fw');
    console.log(
      `check of ${COUNT} addresses × 3 ports: ${run.durationMs} ms;` +
        ` fw sent ${fw.timeExcds} time-exceeded, its rate limit held back ${fw.rateLimitedHost}`,
    );
  }, 150_000);
  afterAll(async () => {
    await topology?.destroy();
  });

  it('reports every open port open, without a blocker', () => {
    expect(run.report.probes).toHaveLength(3 * COUNT);
    expect([
      ...reachedProblems(run, addresses, 'tcp/80', 'open'),
      ...reachedProblems(run, addresses.slice(DROPPED_8443), 'tcp/8443', 'open'),
    ]).toEqual([]);
  });

  it.each([
    { port: 'tcp/8080', dropped: COUNT },
    { port: 'tcp/8443', dropped: DROPPED_8443 },
  ])(
    'names the firewall for $port on all $dropped dropped addresses, or says it does not know',
    ({ port, dropped }) => {
      const group = addresses.slice(0, dropped);
      for (const address of group) {
        expect(run.probe(address, port), `${address} ${port}`).toMatchObject({
          state: 'filtered',
          reason: 'no-response',
        });
      }
      const tally = tallyBlocks(run, port, { blocker: topology.addr('fw'), group });
      console.log(`${port}: ${tally.probed} probed, ${tally.inferred} inferred, ${tally.unknown} unknown`);
      expect(tally.problems).toEqual([]);
      expect(tally.probed).toBeGreaterThanOrEqual(2);
      expect(tally.probed + tally.inferred + tally.unknown).toBe(dropped);
    },
  );
});

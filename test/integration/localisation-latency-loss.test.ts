// A long, lossy path: 150 ms each way and 5% of the packets lost at random, both ways. A lost
// SYN-ACK or RST must not turn an open or closed port into `filtered`, and a lost time-exceeded
// must not move the blame to another hop: the firewall, or unknown.
//
//   client → r1 (delay hop: +150 ms each way, 5% loss) → fw (drops tcp 8080) → r2 → server
//   server: 198.19.4.1 … .4, listening on tcp 80 and 443; nothing on 8530 (closed)
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addDelayHop, type DelayHop, type DelayHopStats } from '../net/delay-hop.js';
import { describeNetns } from '../net/require-root.js';
import {
  addServerAddresses,
  createFirewallChain,
  reachedProblems,
  runCheck,
  tallyBlocks,
  type CheckRun,
} from '../net/localisation.js';
import { nftRule } from '../net/nft-rules.js';
import { firewallRuleset, type ChainTopology } from '../net/topology.js';

const ONE_WAY_MS = 150;
const LOSS_PERCENT = 5;
/**
 * A fixed seed: the same sequence of draws on every run (which packet meets which draw still
 * varies). With this one, any 30 or more packets lose between 2.6% and 8.5% of them.
 */
const SEED = 20_240_615;

describeNetns(
  `localisation over ${2 * ONE_WAY_MS} ms round trips with ${LOSS_PERCENT}% loss each way`,
  () => {
    let topology: ChainTopology;
    let addresses: string[];
    let hop: DelayHop;
    let run: CheckRun;
    let stats: DelayHopStats;

    beforeAll(async () => {
      topology = await createFirewallChain();
      addresses = await addServerAddresses(topology, '198.19.4', 4);
      await topology.serve('server', { tcp: [80, 443] });
      await topology.nft('fw', firewallRuleset('forward', [nftRule.dropTcp(8080)]));
      // Towards the server's addresses (requests) and the client's subnet (every answer,
      // time-exceeded included): the whole round trip is slow and lossy.
      hop = await addDelayHop(topology, 'r1', {
        delayMs: ONE_WAY_MS,
        lossPercent: LOSS_PERCENT,
        seed: SEED,
        towards: ['198.19.4.0/24', '198.18.1.0/24'],
      });
      run = await runCheck(topology, addresses, ['tcp:80', 'tcp:443', 'tcp:8080', 'tcp:8530']);
      stats = await hop.stats();
      console.log(`check: ${run.durationMs} ms; delay hop: ${stats.lost} of ${stats.seen} packets lost`);
    }, 150_000);
    afterAll(async () => {
      await topology?.destroy();
    });

    it('ran over a lossy link: the hop lost packets, at about the rate asked for', () => {
      expect(stats.lost).toBeGreaterThan(0);
      expect(stats.lost / stats.seen).toBeGreaterThan(0.01);
      expect(stats.lost / stats.seen).toBeLessThan(0.15);
    });

    it('reports no open or closed port as filtered', () => {
      expect([
        ...reachedProblems(run, addresses, 'tcp/80', 'open'),
        ...reachedProblems(run, addresses, 'tcp/443', 'open'),
        ...reachedProblems(run, addresses, 'tcp/8530', 'closed'),
      ]).toEqual([]);
    });

    it('names the firewall for tcp 8080, or says it does not know: never another hop', () => {
      for (const address of addresses) {
        expect(run.probe(address, 'tcp/8080'), address).toMatchObject({
          state: 'filtered',
          reason: 'no-response',
        });
      }
      const tally = tallyBlocks(run, 'tcp/8080', { blocker: topology.addr('fw'), group: addresses });
      console.log(`tcp/8080: ${tally.probed} probed, ${tally.inferred} inferred, ${tally.unknown} unknown`);
      expect(tally.problems).toEqual([]);
    });
  },
  { commands: ['python3'] },
);

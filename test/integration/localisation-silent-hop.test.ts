// Hops that send no time-exceeded (common on real routers): a silent hop before the firewall must
// not move the blame, and a firewall that is itself silent can only be placed between the last
// hop that answers and the next one, never named.
//
//   client → r1 → fw → r2 → server (tcp 80, 443 open; 8530 closed)
//   (a) r1 sends no time-exceeded; fw drops tcp 8080          → blockedBy fw
//   (b) fw sends no time-exceeded and drops tcp 8080           → blockedBy null, between r1 and r2
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeNetns } from '../net/require-root.js';
import { answeringPath, createFirewallChain, outcomes, runCheck } from '../net/localisation.js';
import { nftRule } from '../net/nft-rules.js';
import { firewallRuleset, type ChainTopology } from '../net/topology.js';

const PORTS = ['tcp:80', 'tcp:443', 'tcp:8080', 'tcp:8530'];
const KEYS = ['tcp/80', 'tcp/443', 'tcp/8080', 'tcp/8530'];

describeNetns('localisation past silent hops', () => {
  let topology: ChainTopology;
  let server: string;

  const silence = (node: string) =>
    topology.nft(node, firewallRuleset('output', [nftRule.dropTimeExceeded()]));
  const expected = (blocked: { blockedBy: string | null }) => ({
    [`${server} tcp/80`]: { state: 'open', reason: 'syn-ack', replyFrom: server, blockedBy: undefined },
    [`${server} tcp/443`]: { state: 'open', reason: 'syn-ack', replyFrom: server, blockedBy: undefined },
    [`${server} tcp/8080`]: { state: 'filtered', reason: 'no-response', replyFrom: undefined, ...blocked },
    [`${server} tcp/8530`]: {
      state: 'closed',
      reason: 'conn-refused',
      replyFrom: server,
      blockedBy: undefined,
    },
  });

  beforeAll(async () => {
    topology = await createFirewallChain();
    server = topology.addr('server');
    await topology.serve('server', { tcp: [80, 443] });
    await topology.nft('fw', firewallRuleset('forward', [nftRule.dropTcp(8080)]));
  });
  afterAll(async () => {
    await topology?.destroy();
  });
  afterEach(async () => {
    await topology.nft('r1', firewallRuleset('output', []));
    await topology.nft('fw', firewallRuleset('output', []));
  });

  it('(a) still names the firewall when the router before it is silent', async () => {
    await silence('r1');

    const run = await runCheck(topology, [server], PORTS);

    expect(outcomes(run, [server], KEYS)).toEqual(expected({ blockedBy: topology.addr('fw') }));
    const probe = run.probe(server, 'tcp/8080');
    expect(probe.localisation).toBe('probed');
    expect(probe.blockedBetween).toBeUndefined();
    // r1 is hop 1 and says nothing; the firewall answers at hop 2, and nothing after it.
    expect(answeringPath(probe)).toEqual([null, topology.addr('fw')]);
  }, 90_000);

  it('(b) names no device, only the stretch between r1 and r2, when the firewall itself is silent', async () => {
    await silence('fw');

    const run = await runCheck(topology, [server], PORTS);

    expect(outcomes(run, [server], KEYS)).toEqual(expected({ blockedBy: null }));
    const probe = run.probe(server, 'tcp/8080');
    expect(probe.blockedBetween).toEqual([topology.addr('r1'), topology.addr('r2')]);
    expect(['probed', 'unknown']).toContain(probe.localisation);
    expect(answeringPath(probe)).toEqual([topology.addr('r1')]);
  }, 90_000);
});

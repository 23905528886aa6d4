// A rule for a few destinations only: the same port, the same path, but the firewall drops it to
// 3 of 20 addresses. Inferring a blocker from one address to another is only right within the
// addresses that really are blocked: the 17 others are open and must stay so, with no blocker.
//
//   client → r1 → fw → r2 → server (198.19.2.1 … .20, listening on tcp 80 and 8443)
//   fw (forward): tcp 8443 dropped to 198.19.2.3, .11 and .17 only
import { afterAll, beforeAll, expect, it } from 'vitest';
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

const DROPPED = ['198.19.2.3', '198.19.2.11', '198.19.2.17'];

describeNetns('a per-destination rule: tcp 8443 dropped to 3 of 20 addresses', () => {
  let topology: ChainTopology;
  let addresses: string[];
  let run: CheckRun;

  beforeAll(async () => {
    topology = await createFirewallChain();
    addresses = await addServerAddresses(topology, '198.19.2', 20);
    await topology.serve('server', { tcp: [80, 8443] });
    await topology.nft('fw', firewallRuleset('forward', [nftRule.dropTcpTo(DROPPED, 8443)]));
    run = await runCheck(topology, addresses, ['tcp:80', 'tcp:8443']);
  }, 120_000);
  afterAll(async () => {
    await topology?.destroy();
  });

  it('reports exactly the 3 dropped addresses filtered on 8443', () => {
    const notOpen = run.probesOf('tcp/8443').filter((probe) => probe.state !== 'open');
    expect(notOpen.map((probe) => `${probe.address} ${probe.state}/${probe.reason}`).sort()).toEqual(
      DROPPED.map((address) => `${address} filtered/no-response`).sort(),
    );
  });

  it('names the firewall for all 3, each probed or inferred from another of the 3', () => {
    const tally = tallyBlocks(run, 'tcp/8443', { blocker: topology.addr('fw'), group: DROPPED });
    expect(tally.problems).toEqual([]);
    // Three addresses in the group: none may be left unknown.
    expect(tally).toMatchObject({ unknown: 0 });
    // The sample is at least 2 of the filtered probes sharing path, protocol and port.
    expect(tally.probed).toBeGreaterThanOrEqual(2);
    expect(tally.probed + tally.inferred).toBe(DROPPED.length);
  });

  it('keeps the 17 other addresses open on 8443, and every address open on 80, with no blocker', () => {
    const open = addresses.filter((address) => !DROPPED.includes(address));
    expect(open).toHaveLength(17);
    expect([
      ...reachedProblems(run, open, 'tcp/8443', 'open'),
      ...reachedProblems(run, addresses, 'tcp/80', 'open'),
    ]).toEqual([]);
  });
});

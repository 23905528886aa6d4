// The benchmark network: a firewall two routers away from a server with 240 addresses, and the
// state every (address, port) must have, known from how the network is built.
//
//   client ── r1 ── fw ── r2 ── server (198.19.1.1–.240 on lo, listening on every port but 8530)
//
// The firewall drops one third of the address × port pairs, in two blocks so that no port is
// simply "always filtered" (an engine that guessed per port would be caught):
//   198.19.1.1–.120:   8080 and 8443 dropped
//   198.19.1.121–.240: 10123 and 8530 dropped
// 8530 is closed (the server does not listen on it) where the firewall lets it through.
// 240 × 6 = 1440 probes: 840 open, 120 closed, 480 filtered.
import { createChainTopology, firewallRuleset, type ChainTopology } from '../../test/net/topology.js';

export const BENCH_PORTS = [80, 443, 8080, 8443, 10123, 8530] as const;
const LISTENING = [80, 443, 8080, 8443, 10123] as const;
const ALIAS_PREFIX = '198.19.1';
const FIRST_BLOCK_END = 120;
const FIRST_BLOCK_DROPS: readonly number[] = [8080, 8443];
const SECOND_BLOCK_DROPS: readonly number[] = [10123, 8530];

export type ExpectedState = 'open' | 'closed' | 'filtered';

export interface BenchNetwork {
  readonly topology: ChainTopology;
  readonly addresses: readonly string[];
  /** `address/port` → the state the network was built to give it. */
  readonly expected: ReadonlyMap<string, ExpectedState>;
}

export function benchAddresses(count: number): string[] {
  if (!Number.isInteger(count) || count < 1 || count > 254) throw new Error('1 to 254 addresses');
  return Array.from({ length: count }, (_, index) => `${ALIAS_PREFIX}.${index + 1}`);
}

export function expectedState(hostIndex: number, port: number): ExpectedState {
  const drops = hostIndex <= FIRST_BLOCK_END ? FIRST_BLOCK_DROPS : SECOND_BLOCK_DROPS;
  if (drops.includes(port)) return 'filtered';
  return (LISTENING as readonly number[]).includes(port) ? 'open' : 'closed';
}

/** Builds the network; on failure it is torn down before the error propagates. */
export async function createBenchNetwork(hostCount: number): Promise<BenchNetwork> {
  const addresses = benchAddresses(hostCount);
  const topology = await createChainTopology(['client', 'r1', 'fw', 'r2', 'server']);
  try {
    await topology.addAddresses(
      'server',
      addresses.map((address) => `${address}/24`),
    );
    const block = (first: number, last: number) =>
      `ip daddr ${ALIAS_PREFIX}.${first}-${ALIAS_PREFIX}.${last}`;
    await topology.nft(
      'fw',
      firewallRuleset('forward', [
        `${block(1, FIRST_BLOCK_END)} tcp dport { ${FIRST_BLOCK_DROPS.join(', ')} } drop`,
        `${block(FIRST_BLOCK_END + 1, 254)} tcp dport { ${SECOND_BLOCK_DROPS.join(', ')} } drop`,
      ]),
    );
    await topology.serve('server', { tcp: LISTENING });
    const expected = new Map<string, ExpectedState>();
    addresses.forEach((address, index) => {
      for (const port of BENCH_PORTS) expected.set(`${address}/${port}`, expectedState(index + 1, port));
    });
    return { topology, addresses, expected };
  } catch (error) {
    await topology.destroy();
    throw error;
  }
}

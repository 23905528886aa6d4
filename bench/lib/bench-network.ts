// The benchmark network: a firewall two routers away from a server with N addresses (240 by
// default, up to 4000), and the state every (address, port) must have, known from how the network
// is built.
//
//   client ── r1 ── fw ── r2 ── server (N addresses on lo, listening on every port but 8530)
//
// Addresses: 250 per /24 in 198.19.0.0/16, in order: 198.19.1.1–.250, 198.19.2.1–.250, … (so up to
// 250 hosts they are 198.19.1.1–.N). The firewall drops one third of the address × port pairs, in
// two halves of the address list so that no port is simply "always filtered" (an engine that
// guessed per port would be caught):
//   first ⌈N/2⌉ addresses: 8080 and 8443 dropped
//   the other ⌊N/2⌋:       10123 and 8530 dropped
// 8530 is closed (the server does not listen on it) where the firewall lets it through; every other
// port is open. 240 × 6 = 1440 probes: 840 open, 120 closed, 480 filtered.
//
// Every filtered probe is dropped silently by fw's forward chain, and fw answers TTL-expired probes
// (the kernel sends time-exceeded before the forward filter runs): its client-facing address,
// `topology.addr('fw')`, is the right `blockedBy` for every one of them. The routers keep the
// kernel's default ICMP rate limits (topology.ts never touches them, nor does the bench).
import { formatIpv4, parseIpv4 } from '../../test/net/address-plan.js';
import { createChainTopology, firewallRuleset, type ChainTopology } from '../../test/net/topology.js';

export const BENCH_PORTS = [80, 443, 8080, 8443, 10123, 8530] as const;
const LISTENING: readonly number[] = [80, 443, 8080, 8443, 10123];
const FIRST_HALF_DROPS: readonly number[] = [8080, 8443];
const SECOND_HALF_DROPS: readonly number[] = [10123, 8530];
export const MAX_BENCH_HOSTS = 4000;
const ADDRESSES_PER_PREFIX = 250;
const FIRST_PREFIX = '198.19';
export const CHAIN = ['client', 'r1', 'fw', 'r2', 'server'] as const;
const FIREWALL = 'fw';

export type ExpectedState = 'open' | 'closed' | 'filtered';

export interface BenchNetwork {
  readonly topology: ChainTopology;
  readonly addresses: readonly string[];
  /** `address/port` → the state the network was built to give it. */
  readonly expected: ReadonlyMap<string, ExpectedState>;
  /** The right `blockedBy` of every filtered probe: the firewall's client-facing address. */
  readonly blocker: string;
  /** The forwarding nodes between client and server, in path order. */
  readonly routers: readonly string[];
}

export function benchAddresses(count: number): string[] {
  if (!Number.isInteger(count) || count < 1 || count > MAX_BENCH_HOSTS)
    throw new Error(`--hosts: 1 to ${MAX_BENCH_HOSTS} addresses`);
  return Array.from(
    { length: count },
    (_, index) =>
      `${FIRST_PREFIX}.${1 + Math.floor(index / ADDRESSES_PER_PREFIX)}.${1 + (index % ADDRESSES_PER_PREFIX)}`,
  );
}

/** How many addresses, from the start of the list, are in the first half. */
export const firstHalfSize = (hostCount: number) => Math.ceil(hostCount / 2);

/** The state of port `port` on the address at `hostIndex` (0-based) of `hostCount`. */
export function expectedState(hostIndex: number, hostCount: number, port: number): ExpectedState {
  const drops = hostIndex < firstHalfSize(hostCount) ? FIRST_HALF_DROPS : SECOND_HALF_DROPS;
  if (drops.includes(port)) return 'filtered';
  return LISTENING.includes(port) ? 'open' : 'closed';
}

/** Exactly `addresses` as nft set elements: runs of consecutive addresses become `a-b` ranges. */
export function nftAddressElements(addresses: readonly string[]): string[] {
  const numbers = [...new Set(addresses.map(parseIpv4))].sort((a, b) => a - b);
  const elements: string[] = [];
  for (let index = 0; index < numbers.length; index += 1) {
    const start = numbers[index] as number;
    let end = start;
    while (numbers[index + 1] === end + 1) end = numbers[++index] as number;
    elements.push(end === start ? formatIpv4(start) : `${formatIpv4(start)}-${formatIpv4(end)}`);
  }
  return elements;
}

/** The firewall's forward-chain rules for `addresses` (exported for inspection, e.g. `nft -c`). */
export function benchFirewallRules(addresses: readonly string[]): string[] {
  const half = firstHalfSize(addresses.length);
  const halves: [readonly string[], readonly number[]][] = [
    [addresses.slice(0, half), FIRST_HALF_DROPS],
    [addresses.slice(half), SECOND_HALF_DROPS],
  ];
  return halves
    .filter(([members]) => members.length > 0)
    .map(
      ([members, ports]) =>
        `ip daddr { ${nftAddressElements(members).join(', ')} } tcp dport { ${ports.join(', ')} } drop`,
    );
}

/** Builds the network; on failure it is torn down before the error propagates. */
export async function createBenchNetwork(hostCount: number): Promise<BenchNetwork> {
  const addresses = benchAddresses(hostCount);
  const topology = await createChainTopology(CHAIN);
  try {
    // Each address goes on lo as a /32; its /24 is routed toward the server from every other node.
    await topology.addAddresses(
      'server',
      addresses.map((address) => `${address}/24`),
    );
    await topology.nft(FIREWALL, firewallRuleset('forward', benchFirewallRules(addresses)));
    await topology.serve('server', { tcp: LISTENING });
    const expected = new Map<string, ExpectedState>();
    addresses.forEach((address, index) => {
      for (const port of BENCH_PORTS)
        expected.set(`${address}/${port}`, expectedState(index, hostCount, port));
    });
    return {
      topology,
      addresses,
      expected,
      blocker: topology.addr(FIREWALL),
      routers: CHAIN.slice(1, -1),
    };
  } catch (error) {
    await topology.destroy();
    throw error;
  }
}

// Addressing of the test chain: pure functions, so the plan is easy to reason about.
// Link i (node i ↔ node i+1) is 198.18.<i+1>.0/24; node i is .1 on it, node i+1 is .2.

export type Side = 'left' | 'right';

export interface TestCidr {
  readonly address: number;
  readonly prefixLength: number;
  /** The prefix in `a.b.c.d/len` form, host bits cleared. */
  readonly network: string;
}

/** The node's address on its left (client-facing) or right link; undefined at the chain ends. */
export function nodeAddress(index: number, side: Side, nodeCount: number): string | undefined {
  if (side === 'left') return index > 0 ? `198.18.${index}.2` : undefined;
  return index < nodeCount - 1 ? `198.18.${index + 1}.1` : undefined;
}

/** The neighbour address node `from` sends through to reach node (or link) `toward`. */
export function nextHopToward(from: number, toward: number): string {
  if (toward === from) throw new Error(`node ${from} is the destination itself`);
  return toward < from ? `198.18.${from}.1` : `198.18.${from + 1}.2`;
}

/** Parses `a.b.c.d/len`, refusing anything outside the test range 198.18.0.0/15. */
export function parseTestCidr(cidr: string): TestCidr {
  const match = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(cidr);
  const prefixLength = Number(match?.[2]);
  if (!match || prefixLength < 15 || prefixLength > 32)
    throw new Error(`not a test CIDR (a.b.c.d/15..32): ${cidr}`);
  const address = parseIpv4(match[1] ?? '');
  if (!isTestAddress(address))
    throw new Error(`${cidr} is outside 198.18.0.0/15, the only range tests may use`);
  const mask = (0xffffffff << (32 - prefixLength)) >>> 0;
  return { address, prefixLength, network: `${formatIpv4((address & mask) >>> 0)}/${prefixLength}` };
}

export function isTestAddress(address: number): boolean {
  return address >>> 17 === parseIpv4('198.18.0.0') >>> 17;
}

export function parseIpv4(text: string): number {
  const octets = text.split('.').map(Number);
  if (octets.length !== 4 || octets.some((octet) => !Number.isInteger(octet) || octet < 0 || octet > 255)) {
    throw new Error(`not an IPv4 address: ${text}`);
  }
  return octets.reduce((value, octet) => value * 256 + octet, 0);
}

export function formatIpv4(address: number): string {
  return [24, 16, 8, 0].map((shift) => (address >>> shift) & 0xff).join('.');
}

/** Whether the CIDR shares addresses with one of the chain's link subnets 198.18.1..<linkCount>.0/24. */
export function overlapsLinkSubnets(cidr: TestCidr, linkCount: number): boolean {
  const widest = Math.min(cidr.prefixLength, 24);
  const mask = (0xffffffff << (32 - widest)) >>> 0;
  for (let link = 1; link <= linkCount; link += 1) {
    if (((parseIpv4(`198.18.${link}.0`) ^ cidr.address) & mask) === 0) return true;
  }
  return false;
}

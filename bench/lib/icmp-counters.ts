// What the routers did with ICMP during a run, read from each namespace's own kernel counters, and
// proof that their ICMP rate limits are the kernel's defaults (the bench only reads them).
//
// /proc/net/snmp is per network namespace and stateless to read (unlike nstat, which keeps a
// history file): its two `Icmp:` lines are the counter names and their values. Since Linux 6.0 they
// include OutRateLimitHost (errors suppressed by the per-peer limit: about 1/s to one peer after a
// burst of 6) and OutRateLimitGlobal (by the host-wide limit).
import type { ChainTopology } from '../../test/net/topology.js';

export type IcmpCounters = ReadonlyMap<string, number>;

/** The counters printed, with the words used for them. */
export const SHOWN_COUNTERS = [
  ['OutTimeExcds', 'time-exceeded sent'],
  ['OutDestUnreachs', 'unreachable sent'],
  ['OutRateLimitHost', 'suppressed by the per-peer rate limit'],
  ['OutRateLimitGlobal', 'by the global limit'],
] as const;

export function parseSnmpIcmp(text: string): IcmpCounters {
  const [names, values] = text
    .split('\n')
    .filter((line) => line.startsWith('Icmp:'))
    .map((line) => line.split(/\s+/).slice(1));
  if (names === undefined || values === undefined || names.length !== values.length)
    throw new Error('no Icmp: lines in /proc/net/snmp');
  return new Map(names.map((name, index) => [name, Number(values[index])]));
}

export async function readIcmpCounters(topology: ChainTopology, node: string): Promise<IcmpCounters> {
  const result = await topology.exec(node, ['cat', '/proc/net/snmp']);
  if (result.code !== 0) throw new Error(`cat /proc/net/snmp in ${node}: ${result.stderr.trim()}`);
  return parseSnmpIcmp(result.stdout);
}

export async function readAllIcmpCounters(
  topology: ChainTopology,
  nodes: readonly string[],
): Promise<Map<string, IcmpCounters>> {
  const entries = await Promise.all(
    nodes.map(async (node) => [node, await readIcmpCounters(topology, node)] as const),
  );
  return new Map(entries);
}

/** One line per node: what it sent and suppressed between the two readings. */
export function describeIcmpDelta(
  topology: ChainTopology,
  before: ReadonlyMap<string, IcmpCounters>,
  after: ReadonlyMap<string, IcmpCounters>,
): string[] {
  return [...after].map(([node, counters]) => {
    const start = before.get(node);
    const parts = SHOWN_COUNTERS.map(([name, words]) => {
      const now = counters.get(name);
      const then = start?.get(name);
      return `${words} ${now === undefined || then === undefined ? 'n/a' : now - then}`;
    });
    return `${node} (${topology.addr(node)}): ${parts.join(', ')}`;
  });
}

/** Every ICMP sysctl of a node's namespace (the files /proc/sys/net/ipv4/icmp_*), name → value. */
async function icmpSysctls(topology: ChainTopology, node: string): Promise<Map<string, string>> {
  const result = await topology.exec(node, ['sh', '-c', 'grep -H . /proc/sys/net/ipv4/icmp_*']);
  const values = new Map<string, string>();
  for (const line of result.stdout.split('\n')) {
    const match = /\/(icmp_\w+):(.*)$/.exec(line);
    if (match) values.set(match[1] as string, (match[2] as string).trim());
  }
  return values;
}

/**
 * `node: name=value …` for every ICMP setting of a router that differs from the same setting in
 * `reference`, a namespace the bench never touches (so it holds the kernel's defaults); empty when
 * none differs. Read only: the bench never writes them.
 */
export async function nonDefaultIcmpLimits(
  topology: ChainTopology,
  nodes: readonly string[],
  reference: string,
): Promise<string[]> {
  const defaults = await icmpSysctls(topology, reference);
  if (defaults.size === 0) return [`${reference}: no ICMP settings readable`];
  const differences: string[] = [];
  for (const node of nodes) {
    const values = await icmpSysctls(topology, node);
    for (const [name, wanted] of defaults) {
      const value = values.get(name) ?? 'unreadable';
      if (value !== wanted) differences.push(`${node}: ${name}=${value} (default ${wanted})`);
    }
  }
  return differences;
}

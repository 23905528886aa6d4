// Shared by test/integration/localisation-*.test.ts: the chain they build, the built CLI run in its
// client namespace, and the judging of each probe's `blockedBy` against the device the test itself
// made drop or reject the port (the ground truth).
//
//   client ── r1 ── fw ── r2 ── server        link i is 198.18.<i>.0/24
//   .1.1   .1.2 .2.1 .2.2 .3.1 .3.2 .4.1 .4.2   (a node's client-facing address is its .2)
//
// A Linux router answers an expired TTL before its forward filter runs, so a firewall that drops
// a port still sends time-exceeded for it, from its client-facing address: `topology.addr('fw')`.
import { createChainTopology, type ChainTopology } from './topology.js';
import { runCli, type CliOptions } from '../support/cli.js';

export const CHAIN = ['client', 'r1', 'fw', 'r2', 'server'] as const;

/** client → r1 → fw → r2 → server; the tests load the firewall rules. */
export function createFirewallChain(): Promise<ChainTopology> {
  return createChainTopology(CHAIN);
}

/** `prefix.first` … `prefix.last`, e.g. hostRange('198.19.1', 1, 3) → 198.19.1.1, .2, .3. */
export function hostRange(prefix: string, first: number, last: number): string[] {
  return Array.from({ length: last - first + 1 }, (_, index) => `${prefix}.${first + index}`);
}

/** Gives the server the addresses `prefix.1` … `prefix.count` (the /24 routed to it); returns them. */
export async function addServerAddresses(
  topology: ChainTopology,
  prefix: string,
  count: number,
): Promise<string[]> {
  const addresses = hostRange(prefix, 1, count);
  await topology.addAddresses(
    'server',
    addresses.map((address) => `${address}/24`),
  );
  return addresses;
}

// The report contract (`portflight check --format json`), the part these tests read.

export type Localisation = 'probed' | 'inferred' | 'unknown';

export interface ReportHop {
  readonly ttl: number;
  readonly address: string | null;
  readonly rttMs: number | null;
  readonly rewrites?: readonly string[];
}

export interface ReportProbe {
  readonly target: string;
  readonly address: string | null;
  readonly protocol: 'tcp' | 'udp';
  readonly port: number;
  readonly state: string;
  readonly reason: string;
  readonly rttMs: number | null;
  readonly replyFrom?: string | null;
  readonly replyTtl?: number;
  readonly blockedBy?: string | null;
  readonly localisation?: Localisation;
  readonly inferredFrom?: string;
  readonly blockedBetween?: readonly [string, string];
  readonly path?: readonly ReportHop[];
  readonly answeredCloser?: { readonly replyHops: number; readonly destinationHops: number };
  readonly detail?: string;
}

export interface CheckReport {
  readonly verdict: string;
  readonly findings: readonly {
    readonly rule: string;
    readonly severity: string;
    readonly subject: string;
    readonly message: string;
  }[];
  readonly vantage: { readonly privileges: { readonly rawSocket: boolean } };
  readonly scan: { readonly complete: boolean; readonly probes: number };
  readonly probes: readonly ReportProbe[];
}

export interface CheckRun {
  readonly code: number | null;
  readonly durationMs: number;
  readonly report: CheckReport;
  /** The probe of `port` (`tcp/80`, `udp/9`) on `address`; throws when the report has none. */
  probe(address: string, port: string): ReportProbe;
  /** Every probe of `port`, in report order. */
  probesOf(port: string): ReportProbe[];
}

export const portKey = (probe: Pick<ReportProbe, 'protocol' | 'port'>) => `${probe.protocol}/${probe.port}`;

const CLI_TIMEOUT_MS = 150_000;

/**
 * Runs `portflight check ADDRESS… --ports PORTS --format json --no-interactive` in the client
 * namespace, as a user would. `ports` uses the CLI's syntax (`tcp:80`, `udp:9`). `within` runs it
 * through a command inside the namespace (setpriv, a shell setting `ulimit`…), which execs it.
 */
export async function runCheck(
  topology: ChainTopology,
  addresses: readonly string[],
  ports: readonly string[],
  extraArgs: readonly string[] = [],
  cliOptions: Pick<CliOptions, 'env' | 'onStderr'> & { readonly within?: readonly string[] } = {},
): Promise<CheckRun> {
  const args = [
    'check',
    ...addresses,
    '--ports',
    ports.join(','),
    '--format',
    'json',
    '--no-interactive',
    ...extraArgs,
  ];
  const started = Date.now();
  let killer: NodeJS.Timeout | undefined;
  const { within = [], ...options } = cliOptions;
  const result = await runCli(args, {
    ...options,
    prefix: ['ip', 'netns', 'exec', topology.ns('client'), ...within],
    // `ip netns exec` (and `within`) exec the CLI in place: the pid is the CLI's own.
    onSpawn: (pid) => (killer = setTimeout(() => process.kill(pid, 'SIGKILL'), CLI_TIMEOUT_MS)),
  }).finally(() => clearTimeout(killer));
  const durationMs = Date.now() - started;
  let report: CheckReport;
  try {
    report = JSON.parse(result.stdout) as CheckReport;
  } catch {
    throw new Error(
      `exit ${result.code ?? result.signal}, stdout is not JSON:\n${result.stdout}\n${result.stderr}`,
    );
  }
  const byKey = new Map(report.probes.map((probe) => [`${probe.address} ${portKey(probe)}`, probe]));
  return {
    code: result.code,
    durationMs,
    report,
    probe(address, port) {
      const probe = byKey.get(`${address} ${port}`);
      if (!probe) throw new Error(`the report has no probe of ${port} on ${address}`);
      return probe;
    },
    probesOf: (port) => report.probes.filter((probe) => portKey(probe) === port),
  };
}

/** The fields a test compares with its expectation, so one diff shows every wrong probe at once. */
export function outcome(probe: ReportProbe) {
  return {
    state: probe.state,
    reason: probe.reason,
    replyFrom: probe.replyFrom,
    blockedBy: probe.blockedBy,
  };
}

/** `{ 'ADDRESS PORT': outcome }` for the given addresses and ports of a run. */
export function outcomes(
  run: CheckRun,
  addresses: readonly string[],
  ports: readonly string[],
): Record<string, ReturnType<typeof outcome>> {
  return Object.fromEntries(
    addresses.flatMap((address) =>
      ports.map((port) => [`${address} ${port}`, outcome(run.probe(address, port))]),
    ),
  );
}

/** Where the test made the port stop: the blocking device and every address it blocks the port for. */
export interface BlockTruth {
  /** The blocker's address (client-facing), or `destination` for the host's own firewall. */
  readonly blocker: string;
  /** The addresses whose probes of this port the same device blocks: `inferredFrom` must be one of them. */
  readonly group: readonly string[];
}

export interface BlockTally {
  readonly probed: number;
  readonly inferred: number;
  readonly unknown: number;
  /**
   * What is wrong, one line per kind of problem with the addresses it hit (`WRONG DEVICE` when a
   * probe names a device that is not the blocker), so a test failure reads as a short list.
   */
  readonly problems: readonly string[];
}

/**
 * Judges the `blockedBy` of every probe of `port` on `truth.group` (each must be filtered):
 * right when probed and naming the blocker, or inferred (naming it) from a probed address of the
 * group, or unknown with `blockedBy: null`. Anything else is a problem; naming another device is
 * the one this feature must never do.
 */
export function tallyBlocks(
  run: CheckRun,
  port: string,
  truth: BlockTruth,
  options: {
    /** UDP: silence left `open|filtered` (with no blocker) counts as unknown, not as a problem. */
    readonly openFilteredIsUnknown?: boolean;
  } = {},
): BlockTally {
  const counts = { probed: 0, inferred: 0, unknown: 0 };
  const problems = new Map<string, string[]>();
  const problem = (address: string, what: string) =>
    problems.set(what, [...(problems.get(what) ?? []), address]);
  const group = new Set(truth.group);
  for (const address of truth.group) {
    const probe = run.probe(address, port);
    const found = `${probe.state}/${probe.reason}, blockedBy ${String(probe.blockedBy)}, localisation ${String(probe.localisation)}`;
    if (
      options.openFilteredIsUnknown &&
      probe.state === 'open|filtered' &&
      probe.reason === 'no-response' &&
      (probe.blockedBy === undefined || probe.blockedBy === null)
    ) {
      counts.unknown += 1;
    } else if (probe.state !== 'filtered') {
      problem(address, `${found}: expected filtered (blocked by ${truth.blocker})`);
    } else if (
      probe.blockedBy !== undefined &&
      probe.blockedBy !== null &&
      probe.blockedBy !== truth.blocker
    ) {
      problem(address, `WRONG DEVICE: ${found}; the blocker is ${truth.blocker}`);
    } else if (probe.localisation === 'probed' && probe.blockedBy === truth.blocker) {
      counts.probed += 1;
    } else if (probe.localisation === 'inferred' && probe.blockedBy === truth.blocker) {
      const source = probe.inferredFrom;
      const sample = run.report.probes.find((other) => other.address === source && portKey(other) === port);
      if (source === undefined || source === address || !group.has(source)) {
        problem(address, `inferred from ${String(source)}, not from another address the blocker blocks`);
      } else if (sample?.localisation !== 'probed' || sample.blockedBy !== truth.blocker) {
        problem(address, `inferred from ${source}, which was not probed to ${truth.blocker}`);
      } else {
        counts.inferred += 1;
      }
    } else if (probe.localisation === 'unknown' && probe.blockedBy === null) {
      counts.unknown += 1;
    } else {
      problem(address, `${found}: expected probed/inferred naming ${truth.blocker}, or unknown with null`);
    }
  }
  return {
    ...counts,
    problems: [...problems].map(([what, hit]) => `${port} on ${describeAddresses(hit)}: ${what}`),
  };
}

function describeAddresses(addresses: readonly string[]): string {
  const shown = addresses.slice(0, 4).join(', ');
  return addresses.length > 4 ? `${addresses.length} addresses (${shown}, …)` : shown;
}

const REACHED_REASON = {
  open: { tcp: 'syn-ack', udp: 'udp-response' },
  closed: { tcp: 'conn-refused', udp: 'port-unreach' },
} as const;

/**
 * Problems of probes the test made open or closed: each must be in that state with its usual
 * reason (a SYN-ACK or a UDP answer; the destination's RST or port-unreachable), never filtered,
 * and carry no `blockedBy`.
 */
export function reachedProblems(
  run: CheckRun,
  addresses: readonly string[],
  port: string,
  expected: 'open' | 'closed',
): string[] {
  return addresses.flatMap((address) => {
    const probe = run.probe(address, port);
    const reason = REACHED_REASON[expected][probe.protocol];
    const problems: string[] = [];
    if (probe.state !== expected || probe.reason !== reason)
      problems.push(`${address} ${port}: ${probe.state}/${probe.reason}, expected ${expected}/${reason}`);
    if (probe.blockedBy !== undefined)
      problems.push(`${address} ${port}: ${expected} but blockedBy ${String(probe.blockedBy)}`);
    return problems;
  });
}

export interface IcmpSent {
  /** Unreachables sent (port-unreachable of a closed UDP port, an nft `reject`). */
  readonly destUnreachs: number;
  readonly timeExcds: number;
  /** ICMP errors the per-peer rate limit suppressed (a burst of 6, then about 1/s to one peer). */
  readonly rateLimitedHost: number;
}

/** The node's ICMP output counters (/proc/net/snmp is per namespace): what it sent and what it held back. */
export async function icmpSent(topology: ChainTopology, node: string): Promise<IcmpSent> {
  const result = await topology.exec(node, ['cat', '/proc/net/snmp']);
  const [names = [], values = []] = result.stdout
    .split('\n')
    .filter((line) => line.startsWith('Icmp:'))
    .map((line) => line.trim().split(/\s+/).slice(1));
  const counter = (name: string) => {
    const index = names.indexOf(name);
    if (index === -1) throw new Error(`no Icmp ${name} in /proc/net/snmp of ${node}`);
    return Number(values[index]);
  };
  return {
    destUnreachs: counter('OutDestUnreachs'),
    timeExcds: counter('OutTimeExcds'),
    rateLimitedHost: counter('OutRateLimitHost'),
  };
}

/**
 * The addresses of a probe's path up to the last hop that answered (trailing silent TTLs cut:
 * how far past the blocker the engine keeps probing is its own choice).
 */
export function answeringPath(probe: ReportProbe): (string | null)[] {
  const hops = (probe.path ?? []).map((hop) => hop.address);
  while (hops.length > 0 && hops.at(-1) === null) hops.pop();
  return hops;
}

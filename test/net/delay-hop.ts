// Latency for namespace tests without tc netem (missing in these kernels): runs delay-hop.py in a
// router node of a chain and steers the traffic for the chosen subnets through its TUN device.
//
//   addDelayHop(topology, 'r1', { delayMs: 150, towards: ['198.18.3.0/24', '198.18.1.0/24'] })
//   addDelayHop(topology, 'r1', { delayMs: 150, lossPercent: 5, seed: 1, towards: [...] })  // lossy link
//
// Routing in the node (the NOTES recipe, with the main table playing "table 100"):
//   rule pref 900  iif <tun> lookup main      packets coming back out of the TUN take the real routes
//   rule pref 901  iif <tun> unreachable      …and never loop into the TUN again if main has no route
//   rule pref 1000 to <subnet> lookup <table> everything else bound for a delayed subnet …
//   table <table>: <subnet> dev <tun>         … goes into the TUN first
// Rules select by destination instead of replacing main-table routes, so a subnet attached to the
// node itself (its connected route cannot be replaced cleanly) can be delayed too. The local table
// (pref 0) still wins, so the node's own addresses are never delayed.
//
// The delay is one-way per subnet: a packet is held when it is routed *towards* a subnet in
// `towards`. Delaying the server's subnet only adds D to the round trip; delaying the server's and
// the client's subnets adds 2·D (both directions, like a real long link). The TTL is restored by
// delay-hop.py, so the node still counts as one hop for TTL-limited probes.
import { fileURLToPath } from 'node:url';
import { parseTestCidr } from './address-plan.js';
import { mustSucceed } from './run-command.js';
import type { ChainTopology } from './topology.js';

export interface DelayHopOptions {
  /** Time each packet routed towards `towards` is held, in ms. */
  readonly delayMs: number;
  /** Destination prefixes (inside 198.18.0.0/15) whose packets are delayed. */
  readonly towards: readonly string[];
  /** TUN device name; default `pf-delay0`. Give another name for a second hop in the same node. */
  readonly device?: string;
  /** Routing table for the steering routes; default 100. */
  readonly table?: number;
  /**
   * Share of the packets routed through the hop that are dropped at random, in percent (0 to
   * under 100; default 0). Each packet is drawn independently, once per pass through the hop.
   */
  readonly lossPercent?: number;
  /** Seed of the loss draws, for a repeatable sequence of drops. */
  readonly seed?: number;
}

export interface DelayHopStats {
  /** Packets routed into the hop so far. */
  readonly seen: number;
  /** Of those, the ones dropped at random (`lossPercent`). */
  readonly lost: number;
}

export interface DelayHop {
  readonly device: string;
  /** What went through the hop so far, and how much of it was lost. */
  stats(): Promise<DelayHopStats>;
  /** Removes the steering rules and stops the process; `topology.destroy()` also ends it. */
  stop(): Promise<void>;
}

const SCRIPT = fileURLToPath(new URL('./delay-hop.py', import.meta.url));
const READY_TIMEOUT_MS = 10_000;
const PREF_FROM_TUN = 900;
const PREF_TOWARDS = 1000;

/** Starts the delaying hop in `node` (a router of the chain) and resolves once traffic flows through it. */
export async function addDelayHop(
  topology: ChainTopology,
  node: string,
  options: DelayHopOptions,
): Promise<DelayHop> {
  const device = options.device ?? 'pf-delay0';
  const table = options.table ?? 100;
  if (!(options.delayMs >= 0)) throw new Error(`delayMs must be >= 0, got ${options.delayMs}`);
  if (options.towards.length === 0) throw new Error('towards: name at least one subnet to delay');
  const lossPercent = options.lossPercent ?? 0;
  if (!(lossPercent >= 0 && lossPercent < 100))
    throw new Error(`lossPercent must be in [0, 100), got ${lossPercent}`);
  // Refuses anything outside 198.18.0.0/15, and normalises to the network address for `ip`.
  const subnets = options.towards.map((cidr) => parseTestCidr(cidr).network);

  const child = topology.spawn(node, [
    'python3',
    '-u',
    SCRIPT,
    '--dev',
    device,
    '--delay-ms',
    String(options.delayMs),
    '--loss-percent',
    String(lossPercent),
    ...(options.seed === undefined ? [] : ['--seed', String(options.seed)]),
  ]);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => fail(`no READY within ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS);
    function fail(why: string): void {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`delay-hop.py on ${node}: ${why}\n${stderr}`));
    }
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (/^READY\b/m.test(stdout)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('error', (error) => fail(error.message));
    child.once('exit', (code, signal) => fail(`exited (${code ?? signal}) before READY`));
  });
  // Only STATS lines (answers to SIGUSR1) come after READY; reading them also keeps the pipe drained.
  const statsWaiters: ((stats: DelayHopStats) => void)[] = [];
  let statsBuffer = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const lines = (statsBuffer + chunk.toString()).split('\n');
    statsBuffer = lines.pop() ?? ''; // an incomplete last line waits for the rest
    for (const line of lines) {
      const match = /^STATS seen=(\d+) lost=(\d+)$/.exec(line);
      if (match) statsWaiters.shift()?.({ seen: Number(match[1]), lost: Number(match[2]) });
    }
  });

  const ip = async (args: string): Promise<void> => {
    await mustSucceed(topology.exec(node, ['ip', ...args.split(' ')]), `ip ${args} in ${node}`);
  };
  const sysctl = async (key: string, value: string): Promise<void> => {
    const path = `/proc/sys/${key.replaceAll('.', '/')}`;
    await mustSucceed(topology.exec(node, ['sh', '-c', `echo ${value} > ${path}`]), `${key} in ${node}`);
  };

  // Packets come back out of the TUN with their original source, which the reverse-path filter
  // would reject (that source is reached through another interface); the effective value is the
  // maximum of `all` and the device's, so both go to 0.
  await sysctl('net.ipv4.conf.all.rp_filter', '0');
  await sysctl(`net.ipv4.conf.${device}.rp_filter`, '0');
  // What the node itself sends towards a delayed subnet (e.g. its ICMP time-exceeded) comes back
  // out of the TUN with one of its own addresses as source: a martian unless accept_local is on.
  await sysctl(`net.ipv4.conf.${device}.accept_local`, '1');
  await ip(`link set dev ${device} up`);
  await ip(`rule add iif ${device} lookup main pref ${PREF_FROM_TUN}`);
  await ip(`rule add iif ${device} unreachable pref ${PREF_FROM_TUN + 1}`);
  for (const subnet of subnets) {
    await ip(`route add ${subnet} dev ${device} table ${table}`);
    await ip(`rule add to ${subnet} lookup ${table} pref ${PREF_TOWARDS}`);
  }

  let stopping: Promise<void> | undefined;
  return {
    device,
    stats() {
      if (child.exitCode !== null || child.signalCode !== null)
        return Promise.reject(new Error(`delay-hop.py on ${node} has exited`));
      return new Promise((resolve) => {
        statsWaiters.push(resolve);
        child.kill('SIGUSR1');
      });
    },
    stop() {
      stopping ??= (async () => {
        // Rules outlive the device: remove them so the node routes normally again.
        for (const subnet of subnets) {
          await topology.exec(node, ['ip', 'rule', 'del', 'to', subnet, 'lookup', String(table)]);
        }
        await topology.exec(node, ['ip', 'rule', 'del', 'iif', device, 'pref', String(PREF_FROM_TUN)]);
        await topology.exec(node, ['ip', 'rule', 'del', 'iif', device, 'pref', String(PREF_FROM_TUN + 1)]);
        await topology.exec(node, ['ip', 'route', 'flush', 'table', String(table)]);
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGTERM');
          await exited;
        }
      })();
      return stopping;
    },
  };
}

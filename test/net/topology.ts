// Builds a chain of Linux network namespaces joined by veth pairs, for tests that probe real
// TCP/UDP paths through real nftables firewalls. Requires root, iproute2 and nftables.
//
//   client ──198.18.1.0/24── fw ──198.18.2.0/24── server
//            .1          .2      .1          .2
//
// Link i joins node i and node i+1 on 198.18.<i+1>.0/24 (left .1, right .2). Every node has
// routes to every subnet it is not attached to, via the neighbour on that side, so TTL-limited
// probes see each hop. Only 198.18.0.0/15 is ever used: nothing else is probed by tests.
import { execFileSync, spawn as spawnChild, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { addNamespace, deleteStaleNamespaces } from './namespaces.js';
import { mustSucceed, runCommand, stopProcess, type ExecOptions, type ExecResult } from './run-command.js';
import {
  formatIpv4,
  nextHopToward,
  nodeAddress,
  overlapsLinkSubnets,
  parseTestCidr,
  type Side,
} from './address-plan.js';

export type { Side } from './address-plan.js';
export type { ExecOptions, ExecResult } from './run-command.js';
export { firewallRuleset, nftRule, type FilterHook } from './nft-rules.js';

export interface ServeSpec {
  readonly tcp?: readonly number[];
  readonly udpEcho?: readonly number[];
}

export interface RunningServer {
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

export interface ChainTopology {
  readonly nodes: readonly string[];
  /** The namespace name of a node, for `ip netns exec`. */
  ns(node: string): string;
  /** The node's address facing the client (left), or facing the server for the first node. */
  addr(node: string, side?: Side): string;
  exec(node: string, argv: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  /** Starts a long-running process in the node; it is killed by `destroy()`. Read or drain its output. */
  spawn(node: string, argv: readonly string[]): ChildProcess;
  /** Loads an nftables ruleset (`nft -f -`) in the node's namespace. */
  nft(node: string, ruleset: string): Promise<void>;
  /** Starts serve.mjs in the node; resolves once every port is bound. Add addresses before serving UDP. */
  serve(node: string, spec: ServeSpec): Promise<RunningServer>;
  /**
   * Gives the node extra addresses (each `a.b.c.d/len`, inside 198.18.0.0/15). The address itself
   * is local to the node; its whole prefix is routed toward the node from every other node.
   */
  addAddresses(node: string, cidrs: readonly string[]): Promise<void>;
  /** Kills spawned processes and deletes the namespaces. Safe to call more than once. */
  destroy(): Promise<void>;
}

const SERVE_SCRIPT = fileURLToPath(new URL('./serve.mjs', import.meta.url));
const SERVE_READY_TIMEOUT_MS = 15_000;
const LEFT_INTERFACE = 'pf-left';
const RIGHT_INTERFACE = 'pf-right';

const liveTopologies = new Set<() => void>();
let exitHookInstalled = false;

/** Builds the chain `spec[0] ↔ spec[1] ↔ …` and returns handles to drive it. */
export async function createChainTopology(spec: readonly string[]): Promise<ChainTopology> {
  if (spec.length < 2 || spec.length > 255) throw new Error('a chain needs 2 to 255 nodes');
  if (new Set(spec).size !== spec.length) throw new Error(`duplicate node names in ${spec.join(',')}`);
  await deleteStaleNamespaces();

  const namespaces: string[] = [];
  const children = new Set<ChildProcess>();
  const routedPrefixes = new Map<string, number>();
  const destroySync = (): void => {
    for (const child of children) child.kill('SIGKILL');
    for (const ns of namespaces) {
      try {
        execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
      } catch {
        // already gone
      }
    }
  };
  installExitHook();
  liveTopologies.add(destroySync);

  const indexOf = (node: string): number => {
    const index = spec.indexOf(node);
    if (index === -1) throw new Error(`unknown node "${node}" (chain: ${spec.join(' → ')})`);
    return index;
  };
  const nsOf = (node: string): string => namespaces[indexOf(node)] ?? '';

  let destroying: Promise<void> | undefined;
  const topology: ChainTopology = {
    nodes: spec,
    ns: nsOf,
    addr(node, side) {
      const index = indexOf(node);
      const address = nodeAddress(index, side ?? (index === 0 ? 'right' : 'left'), spec.length);
      if (address === undefined) throw new Error(`node "${node}" has no ${side} side`);
      return address;
    },
    exec: (node, argv, options) => runCommand(['ip', 'netns', 'exec', nsOf(node), ...argv], options),
    spawn(node, argv) {
      const child = spawnChild('ip', ['netns', 'exec', nsOf(node), ...argv], { stdio: 'pipe' });
      children.add(child);
      child.once('exit', () => children.delete(child));
      return child;
    },
    async nft(node, ruleset) {
      await mustSucceed(topology.exec(node, ['nft', '-f', '-'], { input: ruleset }), `nft on ${node}`);
    },
    serve: (node, serveSpec) => startServer(topology, node, serveSpec),
    async addAddresses(node, cidrs) {
      const target = indexOf(node);
      const parsed = cidrs.map(parseTestCidr);
      const clash = parsed.find((cidr) => overlapsLinkSubnets(cidr, spec.length - 1));
      if (clash) throw new Error(`${clash.network} overlaps a link subnet: use e.g. 198.19.0.0/16`);
      const newPrefixes = [...new Set(parsed.map((cidr) => cidr.network))].filter((prefix) => {
        const owner = routedPrefixes.get(prefix);
        if (owner !== undefined && owner !== target)
          throw new Error(`${prefix} is already routed to ${spec[owner]}`);
        return owner === undefined;
      });
      // /32 on lo: a wider prefix on lo would make every address of the prefix local.
      await ipBatch(
        nsOf(node),
        parsed.map((cidr) => `addr add ${formatIpv4(cidr.address)}/32 dev lo`),
      );
      for (const prefix of newPrefixes) routedPrefixes.set(prefix, target);
      await Promise.all(
        spec.map((_, index) =>
          index === target
            ? undefined
            : ipBatch(
                namespaces[index] ?? '',
                newPrefixes.map((p) => `route add ${p} via ${nextHopToward(index, target)}`),
              ),
        ),
      );
    },
    destroy() {
      destroying ??= (async () => {
        await Promise.all([...children].map(stopProcess));
        destroySync();
        liveTopologies.delete(destroySync);
      })();
      return destroying;
    },
  };

  try {
    for (let index = 0; index < spec.length; index += 1) namespaces.push(await addNamespace());
    await wireChain(namespaces);
  } catch (error) {
    await topology.destroy();
    throw error;
  }
  return topology;
}

async function wireChain(namespaces: readonly string[]): Promise<void> {
  const count = namespaces.length;
  for (let link = 0; link < count - 1; link += 1) {
    const [left, right] = [namespaces[link], namespaces[link + 1]];
    const command = `ip -n ${left} link add name ${RIGHT_INTERFACE} type veth peer name ${LEFT_INTERFACE} netns ${right}`;
    await mustSucceed(runCommand(command.split(' ')), `veth for link ${link}`);
  }
  await Promise.all(
    namespaces.map(async (ns, index) => {
      const commands = ['link set lo up'];
      const sides: [Side, string][] = [
        ['left', LEFT_INTERFACE],
        ['right', RIGHT_INTERFACE],
      ];
      for (const [side, device] of sides) {
        const address = nodeAddress(index, side, count);
        if (address !== undefined)
          commands.push(`link set ${device} up`, `addr add ${address}/24 dev ${device}`);
      }
      for (let link = 0; link < count - 1; link += 1) {
        if (link !== index - 1 && link !== index) {
          commands.push(`route add 198.18.${link + 1}.0/24 via ${nextHopToward(index, link)}`);
        }
      }
      await ipBatch(ns, commands);
      // ICMP rate limits stay at the kernel's defaults (about 1/s per peer after a burst of 6), as
      // on real routers: the probes must cope with them, so tests never raise or disable them.
      const forward = index > 0 && index < count - 1 ? 1 : 0;
      await mustSucceed(
        runCommand([
          'ip',
          'netns',
          'exec',
          ns,
          'sh',
          '-c',
          `echo ${forward} > /proc/sys/net/ipv4/ip_forward`,
        ]),
        `sysctl in ${ns}`,
      );
    }),
  );
}

async function startServer(topology: ChainTopology, node: string, spec: ServeSpec): Promise<RunningServer> {
  const argv = [
    process.execPath,
    SERVE_SCRIPT,
    '--tcp',
    (spec.tcp ?? []).join(','),
    '--udp-echo',
    (spec.udpEcho ?? []).join(','),
  ];
  const child = topology.spawn(node, argv);
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(`no READY within ${SERVE_READY_TIMEOUT_MS} ms`),
      SERVE_READY_TIMEOUT_MS,
    );
    function fail(why: string): void {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`serve.mjs on ${node}: ${why}\n${stderr}`));
    }
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (/^READY\b/m.test(stdout)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code, signal) => fail(`exited (${code ?? signal}) before READY`));
  });
  return { process: child, stop: () => stopProcess(child) };
}

async function ipBatch(ns: string, commands: readonly string[]): Promise<void> {
  if (commands.length === 0) return;
  await mustSucceed(
    runCommand(['ip', '-n', ns, '-batch', '-'], { input: `${commands.join('\n')}\n` }),
    `ip -batch in ${ns}`,
  );
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const destroySync of liveTopologies) destroySync();
  });
}

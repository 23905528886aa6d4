// nmap as a second opinion on a namespace topology: `nmap -sS --reason -n -Pn -oX -` run in a
// node, its XML parsed into one state (and nmap's reason) per address and TCP port.
import { XMLParser } from 'fast-xml-parser';
import { mustSucceed } from './run-command.js';
import type { ChainTopology } from './topology.js';

export interface NmapPort {
  /** open, closed, filtered (or unfiltered, open|filtered… for other scan types). */
  readonly state: string;
  /** e.g. syn-ack, reset, no-response, port-unreach, admin-prohibited. */
  readonly reason: string;
  /** Who sent the deciding answer, when nmap says (ICMP errors from another address). */
  readonly reasonIp?: string;
  readonly reasonTtl?: number;
}

interface XmlPort {
  readonly protocol: string;
  readonly portid: string;
  readonly state: {
    readonly state: string;
    readonly reason: string;
    reason_ip?: string;
    reason_ttl?: string;
  };
}
interface XmlHost {
  readonly address: readonly { readonly addr: string; readonly addrtype: string }[];
  readonly ports?: { readonly port?: readonly XmlPort[] };
}

/**
 * SYN-scans `ports` (TCP) of `addresses` from `node`; the map is keyed `ADDRESS tcp/PORT`. Every
 * address and port must be in 198.18.0.0/15 (the caller's addresses come from the topology).
 */
export async function nmapSyn(
  topology: ChainTopology,
  node: string,
  addresses: readonly string[],
  ports: readonly number[],
): Promise<Map<string, NmapPort>> {
  const argv = ['nmap', '-sS', '--reason', '-n', '-Pn', '-p', ports.join(','), '-oX', '-', ...addresses];
  const result = await mustSucceed(topology.exec(node, argv, { timeoutMs: 120_000 }), 'nmap');
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name) => ['host', 'address', 'port'].includes(name),
  });
  const hosts = ((parser.parse(result.stdout) as { nmaprun: { host?: XmlHost[] } }).nmaprun.host ??
    []) as XmlHost[];
  const states = new Map<string, NmapPort>();
  for (const host of hosts) {
    const address = host.address.find((entry) => entry.addrtype === 'ipv4')?.addr;
    for (const port of host.ports?.port ?? []) {
      states.set(`${address} ${port.protocol}/${port.portid}`, {
        state: port.state.state,
        reason: port.state.reason,
        ...(port.state.reason_ip === undefined ? {} : { reasonIp: port.state.reason_ip }),
        ...(port.state.reason_ttl === undefined ? {} : { reasonTtl: Number(port.state.reason_ttl) }),
      });
    }
  }
  return states;
}

// nftables text for the firewall behaviours the probes must tell apart.
// Load with `topology.nft(node, firewallRuleset('forward', [nftRule.dropTcp(8080)]))`.

/**
 * `forward` filters traffic a middle node routes; `input` filters traffic to the node itself;
 * `output` filters what the node itself sends (e.g. its ICMP time-exceeded, to make a hop silent).
 */
export type FilterHook = 'forward' | 'input' | 'output';

function checkedPort(port: number): number {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`invalid port ${port}`);
  return port;
}

/** Only addresses of the test range 198.18.0.0/15 go into rules. */
function checkedAddress(address: string): string {
  if (!/^198\.1[89]\.\d{1,3}\.\d{1,3}$/.test(address)) throw new Error(`not a test address: ${address}`);
  return address;
}

function addressSet(addresses: readonly string[]): string {
  if (addresses.length === 0) throw new Error('name at least one address');
  return `{ ${addresses.map(checkedAddress).join(', ')} }`;
}

export const nftRule = {
  /** Silence: a TCP connect times out. */
  dropTcp: (port: number) => `tcp dport ${checkedPort(port)} drop`,
  /** ICMP 3/13 from the firewall: Linux connect() fails with EHOSTUNREACH. */
  rejectTcpAdminProhibited: (port: number) =>
    `tcp dport ${checkedPort(port)} reject with icmp type admin-prohibited`,
  /** A RST forged by the firewall: connect() fails with ECONNREFUSED, as for a closed port. */
  rejectTcpReset: (port: number) => `tcp dport ${checkedPort(port)} reject with tcp reset`,
  dropUdp: (port: number) => `udp dport ${checkedPort(port)} drop`,
  /** Everything (TCP, UDP, ICMP) addressed to one address. */
  dropAllTo: (address: string) => `ip daddr ${address} drop`,
  /** ICMP 3/3 (port unreachable) from the firewall, the `ip` family's plain `reject`: connect() sees ECONNREFUSED. */
  rejectTcpPortUnreachable: (port: number) => `tcp dport ${checkedPort(port)} reject`,
  /** ICMP 3/1 (host unreachable) from the firewall. */
  rejectTcpHostUnreachable: (port: number) =>
    `tcp dport ${checkedPort(port)} reject with icmp type host-unreachable`,
  /** ICMP 3/3 from the firewall for a UDP port: port-unreachable, but not from the destination. */
  rejectUdpPortUnreachable: (port: number) => `udp dport ${checkedPort(port)} reject`,
  /** A TCP port dropped only towards the listed destination addresses. */
  dropTcpTo: (addresses: readonly string[], port: number) =>
    `ip daddr ${addressSet(addresses)} tcp dport ${checkedPort(port)} drop`,
  /** For the `output` hook: the node sends no ICMP time-exceeded, a silent hop for traceroutes. */
  dropTimeExceeded: () => 'icmp type time-exceeded drop',
} as const;

/** Rules for {@link natRuleset}. */
export const natRule = {
  /** Postrouting: traffic from `source` leaves with the node's own address (source NAT). */
  masqueradeFrom: (source: string) => `ip saddr ${checkedAddress(source)} masquerade`,
  /** Prerouting: TCP `port` for `destination` is sent to `to` instead (same port). */
  dnatTcp: (destination: string, port: number, to: string) =>
    `ip daddr ${checkedAddress(destination)} tcp dport ${checkedPort(port)} dnat to ${checkedAddress(to)}`,
  /** Prerouting: TCP `port` for `destination` is taken by the node itself (a transparent proxy's redirect). */
  redirectTcp: (destination: string, port: number) =>
    `ip daddr ${checkedAddress(destination)} tcp dport ${checkedPort(port)} redirect`,
} as const;

/**
 * A NAT table with `prerouting` (destination NAT) and `postrouting` (source NAT) rules. Like
 * {@link firewallRuleset}, loading it replaces the node's earlier NAT rules and nothing else.
 */
export function natRuleset(rules: {
  readonly prerouting?: readonly string[];
  readonly postrouting?: readonly string[];
}): string {
  const table = 'portflight_nat';
  const chain = (name: string, hook: string, priority: string, body: readonly string[]) => [
    `  chain ${name} {`,
    `    type nat hook ${hook} priority ${priority}; policy accept;`,
    ...body.map((rule) => `    ${rule}`),
    `  }`,
  ];
  return [
    `table ip ${table} {}`,
    `delete table ip ${table}`,
    `table ip ${table} {`,
    ...chain('prerouting', 'prerouting', 'dstnat', rules.prerouting ?? []),
    ...chain('postrouting', 'postrouting', 'srcnat', rules.postrouting ?? []),
    `}`,
    '',
  ].join('\n');
}

/**
 * A ruleset holding `rules` in one table per hook. Loading it replaces the earlier rules of
 * the same hook (the table is created, deleted and re-created in one transaction) and leaves
 * the other hook's table alone.
 */
export function firewallRuleset(hook: FilterHook, rules: readonly string[]): string {
  const table = `portflight_${hook}`;
  return [
    `table ip ${table} {}`,
    `delete table ip ${table}`,
    `table ip ${table} {`,
    `  chain filter {`,
    `    type filter hook ${hook} priority filter; policy accept;`,
    ...rules.map((rule) => `    ${rule}`),
    `  }`,
    `}`,
    '',
  ].join('\n');
}

// nftables text for the firewall behaviours the probes must tell apart.
// Load with `topology.nft(node, firewallRuleset('forward', [nftRule.dropTcp(8080)]))`.

/** `forward` filters traffic a middle node routes; `input` filters traffic to the node itself. */
export type FilterHook = 'forward' | 'input';

function checkedPort(port: number): number {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`invalid port ${port}`);
  return port;
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
} as const;

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

import type { FactTreeOf } from './catalogue.js';

/** Paste-ready steps gathered from the facts, so an operator does not assemble them from findings. */
export interface Remediation {
  /** For clients that cannot learn the new ports from AD; null when no client request port changes. */
  readonly ccmsetup: string | null;
  /** For existing Windows clients, deployed before the change. */
  readonly portswitch: string | null;
  /** For Linux/UNIX clients, when the plan counts some. */
  readonly linuxInstall: string | null;
  /** Every primary site of the hierarchy: the port change is made in each one's properties. */
  readonly repeatOnPrimarySites: readonly string[];
  /** Ports to open, where the probes showed the block. */
  readonly firewallRules: readonly FirewallRule[];
}

export interface FirewallRule {
  readonly protocol: 'tcp' | 'udp';
  readonly port: number;
  readonly destination: string;
  /** The device that blocks it (address or `destination`), or null when path probing could not tell. */
  readonly blockedBy: string | null;
  /** When that device sends no time-exceeded: the two hops it sits between. */
  readonly blockedBetween?: string;
  readonly why: string;
}

const OPENED_ROLES = new Set([
  'candidate-http',
  'candidate-https',
  'alternate-http',
  'alternate-https',
  'client-notification',
]);

export function remediationOf(tree: FactTreeOf): Remediation {
  const changed = tree.change.portsChanged;
  const rules = new Map<string, FirewallRule>();
  for (const probe of tree.probes) {
    if (probe.state !== 'filtered' || !probe.roles.some((role) => OPENED_ROLES.has(role))) continue;
    const key = `${probe.protocol}/${probe.port}/${probe.address}`;
    rules.set(key, {
      protocol: probe.protocol,
      port: probe.port,
      destination: probe.address,
      blockedBy: probe.blockedBy === '' ? null : probe.blockedBy,
      ...(probe.blockedBetween === '' ? {} : { blockedBetween: probe.blockedBetween }),
      why: `${probe.role} of ${probe.target}: ${probe.outcome}`,
    });
  }
  return {
    ccmsetup: changed ? tree.remediation.ccmsetup : null,
    portswitch: changed ? tree.remediation.portswitch : null,
    linuxInstall: changed && (tree.clients?.linuxUnix ?? 0) > 0 ? tree.remediation.linuxInstall : null,
    repeatOnPrimarySites: changed ? tree.hierarchy.primarySites : [],
    firewallRules: [...rules.values()],
  };
}

import type { FactTreeOf } from './catalogue.js';

/** Paste-ready steps gathered from the facts, so an operator does not assemble them from findings. */
export interface Remediation {
  /**
   * For clients that cannot learn the new ports from AD, one entry per primary site (its own site code
   * and management point); empty when no client request port changes.
   */
  readonly sites: readonly SiteClientSteps[];
  /** For existing Windows clients: runs once the site's ports have changed (a deployment scheduled then). */
  readonly portswitch: string | null;
  /** Every primary site of the hierarchy: the port change is made in each one's properties. */
  readonly repeatOnPrimarySites: readonly string[];
  /** Ports to open, where the probes showed the block. */
  readonly firewallRules: readonly FirewallRule[];
}

export interface SiteClientSteps {
  readonly siteCode: string;
  readonly managementPoint: string;
  readonly ccmsetup: string;
  /** `<CMG or internet-facing MP FQDN>` is a placeholder the admin fills in: never the intranet MP. */
  readonly internetOnlyCcmsetup: string;
  readonly onInternetCcmsetup: string;
  /** When the plan counts Linux/UNIX clients for this site (or for the whole hierarchy). */
  readonly linuxInstall: string | null;
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
    sites: changed ? tree.remediation.sites.map((site) => siteSteps(tree, site)) : [],
    portswitch: changed ? tree.remediation.portswitch : null,
    repeatOnPrimarySites: changed ? tree.hierarchy.primarySites : [],
    firewallRules: [...rules.values()],
  };
}

function siteSteps(tree: FactTreeOf, site: FactTreeOf['remediation']['sites'][number]): SiteClientSteps {
  const linux = tree.clientGroups.some(
    (group) => group.linuxUnix > 0 && group.siteCodes.includes(site.siteCode),
  );
  return { ...site, linuxInstall: linux ? site.linuxInstall : null };
}

import type { Facts } from '../../facts/types.js';
import type { Rule } from '../types.js';

/**
 * DOMAIN.md S2/S10: clients that cannot read the AD-published site ports keep the old ones and become
 * unmanaged unless reinstalled with CCMHTTPPORT/CCMHTTPSPORT (or switched with Portswitch.vbs).
 */
export const cmClientsMustReinstall: Rule = {
  id: 'CM-CLIENTS-MUST-REINSTALL',
  title: 'Clients that cannot learn the new ports from Active Directory',
  severity: 'condition',
  evaluate: (facts) => {
    const ports = finalPorts(facts);
    if (!ports || !facts.clients) return [];
    const { workgroup, otherForest, internetOnly, onInternet, domain } = facts.clients;
    const unpublished = facts.primarySites
      .filter((site) => !site.publishedToActiveDirectory)
      .map((s) => s.siteCode);
    const groups = [
      [workgroup, 'workgroup'],
      [otherForest, 'in another forest'],
      [internetOnly, 'internet-only'],
      [onInternet, 'currently on the internet'],
      [
        unpublished.length > 0 ? domain : 0,
        `domain clients of sites not published to AD (${unpublished.join(', ')})`,
      ],
    ] as const;
    const stranded = groups.filter(([count]) => count > 0);
    const total = stranded.reduce((sum, [count]) => sum + count, 0);
    if (total === 0) return [];
    const mp = firstManagementPoint(facts) ?? '<management point FQDN>';
    const site = facts.primarySites[0]?.siteCode ?? '<site code>';
    return [
      {
        subject: 'clients',
        message:
          `${total} client(s) cannot learn the new ports from Active Directory ` +
          `(${stranded.map(([count, what]) => `${count} ${what}`).join(', ')}): ` +
          `they keep HTTP ${ports.currentHttp}/HTTPS ${ports.currentHttps} and become unmanaged unless reconfigured.`,
        remediation:
          `Reinstall them with: CCMSetup.exe /mp:${mp} SMSSITECODE=${site} ` +
          `CCMHTTPPORT=${ports.http} CCMHTTPSPORT=${ports.https} ` +
          `(add /UsePKICert CCMALWAYSINF=1 CCMHOSTNAME=<internet MP or CMG> for internet-only clients); ` +
          `or, for existing Windows clients, run "wscript.exe portswitch.vbs ${ports.http} ${ports.https}" ` +
          `(SMSSETUP\\Tools\\PortConfiguration) as a deployment before the change.`,
        evidence: ['plan:clients'],
      },
    ];
  },
};

function finalPorts(facts: Facts) {
  const { http, https } = facts.change;
  const changed = (http && http.current !== http.candidate) || (https && https.current !== https.candidate);
  if (!changed) return null;
  return {
    http: http?.candidate ?? 80,
    https: https?.candidate ?? 443,
    currentHttp: http?.current ?? 80,
    currentHttps: https?.current ?? 443,
  };
}

function firstManagementPoint(facts: Facts): string | undefined {
  return facts.endpoints.find((endpoint) => endpoint.target.systemRoles.includes('management-point'))?.target
    .host;
}

import type { Facts } from '../facts/types.js';
import type { ScanTarget } from '../plan/scan-spec.js';
import type { SiteSystemRole } from '../plan/schema.js';
import type { FactTreeOf } from './catalogue.js';

/**
 * Roles that call the management point on the client request ports (ports.md: distribution point,
 * standard and pull, to management point; a pull-distribution point also downloads from its source
 * distribution points on them). The CMG connection point does too, once the plan models it.
 */
const MP_CALLER_ROLES: readonly SiteSystemRole[] = ['distribution-point'];

export function linksFact(facts: Facts): FactTreeOf['links'] {
  // The plan's systems when there is a plan (an offline scan probes nothing), else the probed targets.
  const planned = facts.primarySites.flatMap((site) => site.systems ?? []);
  const targets =
    planned.length > 0
      ? mergedByHost(planned)
      : siteSystemTargets(facts).map((t) => ({ host: t.host, roles: t.systemRoles }));
  const mps = targets.filter((t) => t.roles.includes('management-point')).map((t) => t.host);
  const managementPoints = mps.length > 0 ? mps.join(', ') : '<management point FQDN>';
  const { http, https } = facts.change;
  const portFlags = [
    ...(http ? [`--current-http ${http.current} --http ${http.candidate}`] : []),
    ...(https ? [`--current-https ${https.current} --https ${https.candidate}`] : []),
  ];
  const check = [
    'portflight check',
    ...(mps.length > 0 ? mps : ['<management point FQDN>']),
    ...portFlags,
  ].join(' ');
  const newPorts = [...new Set(facts.newPorts.map((port) => port.port))];
  const finalHttp = http?.candidate ?? 80;
  const finalHttps = https?.candidate ?? 443;
  const wsusHttps = finalHttp === 80 ? 443 : finalHttp + 1;
  const wsusPairValid = finalHttps === wsusHttps;
  return {
    managementPoints,
    mpCallers: targets
      .filter((t) => !t.roles.includes('management-point'))
      .flatMap((t) => {
        const roles = t.roles.filter((role) => MP_CALLER_ROLES.includes(role));
        return roles.length > 0 ? [{ host: t.host, roles: roles.join(', '), check }] : [];
      }),
    // One command per port: a comma list would be split by PowerShell, and names without spaces need no quotes.
    clientFirewallCommands: newPorts
      .map(
        (port) =>
          `netsh advfirewall firewall add rule name=ConfigMgr-client-TCP-${port} dir=out action=allow protocol=TCP remoteport=${port}`,
      )
      .join(' then '),
    wsusPairValid,
    wsusPairText: wsusPairValid
      ? `${finalHttp}/${finalHttps} is`
      : `${finalHttp}/${finalHttps} is not (HTTPS would have to be ${wsusHttps})`,
  };
}

/** Each probed site system once, in plan order (a server may be probed and also carry a bundle). */
export function siteSystemTargets(facts: Facts): ScanTarget[] {
  const byHost = new Map<string, ScanTarget>();
  for (const target of [...facts.endpoints.map((e) => e.target), ...facts.servers.map((s) => s.target)])
    if (!byHost.has(target.host.toLowerCase())) byHost.set(target.host.toLowerCase(), target);
  return [...byHost.values()];
}

interface SiteSystem {
  readonly host: string;
  readonly roles: readonly SiteSystemRole[];
}

/** One entry per host, with the roles of every listing of it (a server may serve several sites). */
function mergedByHost(systems: readonly SiteSystem[]): SiteSystem[] {
  const byHost = new Map<string, { host: string; roles: Set<SiteSystemRole> }>();
  for (const system of systems) {
    const key = system.host.toLowerCase();
    const entry = byHost.get(key) ?? { host: system.host, roles: new Set<SiteSystemRole>() };
    for (const role of system.roles) entry.roles.add(role);
    byHost.set(key, entry);
  }
  return [...byHost.values()].map((entry) => ({ host: entry.host, roles: [...entry.roles] }));
}

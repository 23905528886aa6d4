import { dirname, resolve } from 'node:path';
import type { LoadedPlan } from './load-plan.js';
import { PortAssignments } from './port-roles.js';
import type { ScanSpec, ScanTarget, SiteRef } from './scan-spec.js';
import type { Plan, SiteSystem, SiteSystemRole } from './schema.js';
import { addPortsOfRole } from './site-roles.js';

/** Turns a validated plan into the scan it asks for: every system of every site, secondaries included. */
export function resolvePlan(loaded: LoadedPlan): ScanSpec {
  const { plan } = loaded;
  const planDir = dirname(resolve(loaded.source));
  const targets = new Map<string, MutableTarget>();
  for (const primary of plan.hierarchy.primarySites) {
    const primaryRef: SiteRef = {
      siteCode: primary.siteCode,
      kind: 'primary',
      primarySiteCode: primary.siteCode,
    };
    for (const system of primary.systems) addSystem(targets, system, primaryRef, plan, planDir);
    for (const secondary of primary.secondarySites) {
      // Secondary sites inherit the primary's ports (DOMAIN.md S2), so their systems get the same probes.
      const ref: SiteRef = {
        siteCode: secondary.siteCode,
        kind: 'secondary',
        primarySiteCode: primary.siteCode,
      };
      for (const system of secondary.systems) addSystem(targets, system, ref, plan, planDir);
    }
  }
  return {
    source: { kind: 'plan', path: loaded.source, sha256: loaded.sha256 },
    // `--phase verify` sets the phase on the resolved spec; the plan (and its sha256) is the same.
    phase: 'preflight',
    change: {
      http: plan.change.clientRequest.http ?? null,
      https: plan.change.clientRequest.https ?? null,
      customWebsite: plan.change.customWebsite,
      clientNotificationPort: plan.change.clientNotificationPort,
      wakeUp: plan.change.wakeUp
        ? {
            sitePort: plan.change.wakeUp.sitePort,
            clientSettingPort: plan.change.wakeUp.clientSettingPort ?? null,
            proxyPort: plan.change.wakeUp.proxyPort,
          }
        : null,
    },
    primarySites: plan.hierarchy.primarySites.map((site) => ({
      siteCode: site.siteCode,
      publishedToActiveDirectory: site.publishedToActiveDirectory,
      secondarySiteCodes: site.secondarySites.map((secondary) => secondary.siteCode),
      systems: [site.systems, ...site.secondarySites.map((secondary) => secondary.systems)]
        .flat()
        .map((system) => ({ host: system.host, roles: system.roles })),
      ...(site.clients ? { clients: site.clients } : {}),
    })),
    clients: plan.clients ?? null,
    targets: [...targets.values()].map(freezeTarget),
    probe: plan.probe,
  };
}

interface MutableTarget {
  host: string;
  sites: SiteRef[];
  systemRoles: Set<SiteSystemRole>;
  internetFacing: boolean;
  enrollmentPointPort: number | null;
  evidence: string | null;
  ports: PortAssignments;
  responder: boolean;
}

function addSystem(
  targets: Map<string, MutableTarget>,
  system: SiteSystem,
  site: SiteRef,
  plan: Plan,
  planDir: string,
): void {
  // The same server may appear under several sites or twice with different roles: probe it once.
  const key = system.host.toLowerCase().replace(/\.$/, '');
  const target = targets.get(key) ?? {
    host: system.host,
    sites: [],
    systemRoles: new Set<SiteSystemRole>(),
    internetFacing: false,
    enrollmentPointPort: null,
    evidence: null,
    ports: new PortAssignments(),
    responder: false,
  };
  target.sites.push(site);
  for (const role of system.roles) target.systemRoles.add(role);
  if (system.evidence) target.evidence = resolve(planDir, system.evidence);
  if (system.responder) target.responder = true;
  if (system.managementPoint?.internetFacing) target.internetFacing = true;
  if (system.roles.includes('enrollment-point'))
    target.enrollmentPointPort = system.enrollmentPoint?.port ?? 443;
  const proxyPort = system.enrollmentProxyPoint?.port ?? 443;
  // Each role only on the ports it serves, so no role is judged on a port it does not use.
  const change = {
    http: plan.change.clientRequest.http ?? null,
    https: plan.change.clientRequest.https ?? null,
    clientNotificationPort: plan.change.clientNotificationPort,
  };
  for (const role of system.roles) addPortsOfRole(target.ports, role, change, proxyPort);
  targets.set(key, target);
}

function freezeTarget(target: MutableTarget): ScanTarget {
  return {
    host: target.host,
    sites: target.sites,
    systemRoles: [...target.systemRoles],
    internetFacing: target.internetFacing,
    enrollmentPointPort: target.enrollmentPointPort,
    evidence: target.evidence,
    ports: target.ports.list(),
    responder: target.responder,
  };
}

import type { ChangeSpec, ScanSpec } from '../plan/scan-spec.js';
import { REACHED_HOST_STATES, type PortRole, type ProbeRecord } from '../probes/types.js';
import type { Vantage } from '../probes/vantage.js';
import type { ScanResult } from '../run/scan.js';
import type { EvidenceBundle } from '../evidence/types.js';
import type { EndpointFacts, Facts, NewPort } from './types.js';

/** Groups probe records by endpoint (target × address) and indexes them by port role. */
export function buildFacts(
  spec: ScanSpec,
  scan: ScanResult,
  vantage: Vantage,
  bundles: ReadonlyMap<string, EvidenceBundle> = new Map(),
): Facts {
  const endpoints: EndpointFacts[] = [];
  // Grouped once: thousands of targets × thousands of records must not be a quadratic scan.
  const byTarget = new Map<string, Map<string | null, ProbeRecord[]>>();
  for (const record of scan.records) {
    let byAddress = byTarget.get(record.target);
    if (byAddress === undefined) byTarget.set(record.target, (byAddress = new Map()));
    const probes = byAddress.get(record.address);
    if (probes === undefined) byAddress.set(record.address, [record]);
    else probes.push(record);
  }
  for (const target of spec.targets) {
    for (const [address, probes] of byTarget.get(target.host) ?? []) {
      const byRole: Partial<Record<PortRole, ProbeRecord>> = {};
      for (const probe of probes) for (const role of probe.roles) byRole[role] ??= probe;
      endpoints.push({
        target,
        address,
        probes,
        byRole,
        reachedHost: probes.some((probe) => REACHED_HOST_STATES.has(probe.state)),
        icmpEcho: address === null ? null : (scan.icmpEcho.get(address) ?? null),
        recheck: address === null ? null : (scan.rechecks.get(address) ?? null),
      });
    }
  }
  return {
    change: spec.change,
    primarySites: spec.primarySites,
    clients: spec.clients,
    targets: spec.targets,
    endpoints,
    vantage,
    servers: spec.targets.flatMap((target) => {
      const bundle = bundles.get(target.host);
      return bundle ? [{ target, bundle }] : [];
    }),
    newPorts: newPortsOf(spec.change),
    scan: {
      phase: spec.phase,
      complete: scan.complete,
      offline: scan.offline,
      interruption: scan.interruption,
      skipped: scan.skipped,
    },
  };
}

/** The client request ports a change introduces: candidates and alternates that differ from today's. */
export function newPortsOf(change: ChangeSpec): NewPort[] {
  return (['http', 'https'] as const).flatMap((scheme) => {
    const ports = change[scheme];
    if (!ports) return [];
    const entries: NewPort[] = [];
    if (ports.candidate !== ports.current)
      entries.push({ scheme, kind: 'candidate', port: ports.candidate, current: ports.current });
    if (ports.alternate !== undefined && ports.alternate !== ports.current)
      entries.push({ scheme, kind: 'alternate', port: ports.alternate, current: ports.current });
    return entries;
  });
}

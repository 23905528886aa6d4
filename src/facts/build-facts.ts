import type { ScanSpec } from '../plan/scan-spec.js';
import { REACHED_HOST_STATES, type PortRole, type ProbeRecord } from '../probes/types.js';
import type { Vantage } from '../probes/vantage.js';
import type { ScanResult } from '../run/scan.js';
import type { EndpointFacts, Facts } from './types.js';

/** Groups probe records by endpoint (target × address) and indexes them by port role. */
export function buildFacts(spec: ScanSpec, scan: ScanResult, vantage: Vantage): Facts {
  const endpoints: EndpointFacts[] = [];
  for (const target of spec.targets) {
    const records = scan.records.filter((record) => record.target === target.host);
    const addresses = [...new Set(records.map((record) => record.address))];
    for (const address of addresses) {
      const probes = records.filter((record) => record.address === address);
      const byRole: Partial<Record<PortRole, ProbeRecord>> = {};
      for (const probe of probes) for (const role of probe.roles) byRole[role] ??= probe;
      endpoints.push({
        target,
        address,
        probes,
        byRole,
        reachedHost: probes.some((probe) => REACHED_HOST_STATES.has(probe.state)),
        icmpEcho: address === null ? null : (scan.icmpEcho.get(address) ?? null),
      });
    }
  }
  return {
    change: spec.change,
    primarySites: spec.primarySites,
    clients: spec.clients,
    endpoints,
    vantage,
    scan: { complete: scan.complete, interruption: scan.interruption, skipped: scan.skipped },
  };
}

import type { EndpointFacts } from '../facts/types.js';
import type { ProbeRecord } from '../probes/types.js';

/** `mp01.contoso.com (198.18.2.2)`, or the bare address when the target is one. */
export function endpointLabel(endpoint: Pick<EndpointFacts, 'target' | 'address'>): string {
  const { host } = endpoint.target;
  return endpoint.address === null || endpoint.address === host ? host : `${host} (${endpoint.address})`;
}

export function probeEvidence(probe: Pick<ProbeRecord, 'target' | 'address' | 'protocol' | 'port'>): string {
  return `probe:${probe.target}@${probe.address ?? '-'}/${probe.protocol}/${probe.port}`;
}

export const PROTOCOL_UPPER = { tcp: 'TCP', udp: 'UDP' } as const;

/** `filtered (no-response)` */
export function probeOutcome(probe: ProbeRecord): string {
  return `${probe.state} (${probe.reason})`;
}

/** `, stopped by 198.18.2.2 (hop 2)` / `, dropped by the destination host itself` / `` when unknown. */
export function blockedByPhrase(probe: ProbeRecord): string {
  const inferred = probe.localisation === 'inferred' ? ` (inferred from ${probe.inferredFrom})` : '';
  if (probe.blockedBetween) {
    const [after, before] = probe.blockedBetween;
    return `, stopped between ${after} and ${before === 'destination' ? 'the destination' : before} (the routers between them send no time-exceeded)${inferred}`;
  }
  if (probe.blockedBy === undefined || probe.blockedBy === null) return '';
  if (probe.blockedBy === 'destination') {
    // Firewalking cannot tell the host's own firewall from a filter on the last router before it.
    const lastHop = [...(probe.path ?? [])].reverse().find((entry) => entry.address !== null)?.address;
    const caveat = lastHop ? ` (or by the last hop before it, ${lastHop})` : '';
    return `, dropped by the destination host's own firewall${caveat}${inferred}`;
  }
  const hop = probe.path?.find((entry) => entry.address === probe.blockedBy);
  return `, stopped by ${probe.blockedBy}${hop ? ` (hop ${hop.ttl})` : ''}${inferred}`;
}

/** Where to open a port: the device that blocks it when path probing named one. */
export function whereToOpen(probe: ProbeRecord, destination: string): string {
  if (probe.blockedBy === 'destination')
    return `on the Windows Firewall (or host firewall) of ${destination}`;
  if (probe.blockedBetween)
    return `on the device between ${probe.blockedBetween[0]} and ${probe.blockedBetween[1]} (it sends no time-exceeded), and any other firewall between the clients and ${destination}`;
  if (probe.blockedBy)
    return `on the device at ${probe.blockedBy}, and any other firewall between the clients and ${destination}`;
  return `on every firewall and intermediate device between the clients and ${destination} (and on its Windows Firewall)`;
}

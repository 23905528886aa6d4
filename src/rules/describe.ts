import type { EndpointFacts } from '../facts/types.js';
import type { ProbeRecord } from '../probes/types.js';

/** `mp01.contoso.com (198.18.2.2)`, or the bare address when the target is one. */
export function endpointLabel(endpoint: Pick<EndpointFacts, 'target' | 'address'>): string {
  const { host } = endpoint.target;
  return endpoint.address === null || endpoint.address === host ? host : `${host} (${endpoint.address})`;
}

export function probeSubject(probe: ProbeRecord): string {
  return `${probe.target}:${probe.protocol}/${probe.port}`;
}

export function probeEvidence(probe: ProbeRecord): string {
  return `probe:${probe.target}@${probe.address ?? '-'}/${probe.protocol}/${probe.port}`;
}

/** `filtered (no-response)` */
export function probeOutcome(probe: ProbeRecord): string {
  return `${probe.state} (${probe.reason})`;
}

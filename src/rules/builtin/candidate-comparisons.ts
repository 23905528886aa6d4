import type { EndpointFacts, Facts } from '../../facts/types.js';
import { REACHED_HOST_STATES, type PortRole, type ProbeRecord } from '../../probes/types.js';

export interface CandidateComparison {
  readonly endpoint: EndpointFacts;
  /** `Candidate HTTPS`, `Alternate HTTP` … */
  readonly label: string;
  readonly candidate: ProbeRecord;
  readonly current: { readonly probe: ProbeRecord; readonly reachedHost: boolean };
}

const NEW_PORT_ROLES: readonly { role: PortRole; scheme: 'http' | 'https'; label: string }[] = [
  { role: 'candidate-http', scheme: 'http', label: 'Candidate HTTP' },
  { role: 'candidate-https', scheme: 'https', label: 'Candidate HTTPS' },
  { role: 'alternate-http', scheme: 'http', label: 'Alternate HTTP' },
  { role: 'alternate-https', scheme: 'https', label: 'Alternate HTTPS' },
];

/** Each new port (candidate or alternate) of each endpoint, paired with the current port of its scheme. */
export function candidateComparisons(facts: Facts): CandidateComparison[] {
  const comparisons: CandidateComparison[] = [];
  for (const endpoint of facts.endpoints) {
    for (const { role, scheme, label } of NEW_PORT_ROLES) {
      const candidate = endpoint.byRole[role];
      const current = endpoint.byRole[`current-${scheme}`];
      if (!candidate || !current || candidate === current) continue;
      comparisons.push({
        endpoint,
        label,
        candidate,
        current: { probe: current, reachedHost: REACHED_HOST_STATES.has(current.state) },
      });
    }
  }
  return comparisons;
}

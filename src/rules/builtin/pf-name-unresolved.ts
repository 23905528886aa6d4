import type { Rule } from '../types.js';
import { probeEvidence } from '../describe.js';

export const pfNameUnresolved: Rule = {
  id: 'PF-NAME-UNRESOLVED',
  title: 'Site system name does not resolve',
  severity: 'incomplete',
  evaluate: (facts) =>
    facts.endpoints
      .filter((endpoint) => endpoint.address === null)
      .map((endpoint) => ({
        subject: endpoint.target.host,
        message:
          `${endpoint.target.host} does not resolve from this vantage point ` +
          `(${endpoint.probes[0]?.detail ?? 'no address'}): its ports were not probed.`,
        remediation: 'Fix the name (or use the address) and check that clients resolve it the same way.',
        evidence: endpoint.probes.map(probeEvidence),
      })),
};

import type { Rule } from '../types.js';
import { endpointLabel, probeEvidence } from '../describe.js';

/** Nothing answered on any port: the scan says nothing about this host, so it can never count as go. */
export const pfHostUnreachable: Rule = {
  id: 'PF-HOST-UNREACHABLE',
  title: 'Site system unreachable on every port',
  severity: 'incomplete',
  evaluate: (facts) =>
    facts.endpoints
      .filter((endpoint) => endpoint.address !== null && !endpoint.reachedHost)
      .filter((endpoint) => endpoint.probes.every((probe) => probe.reason !== 'aborted'))
      .map((endpoint) => {
        const reasons = [...new Set(endpoint.probes.map((probe) => probe.reason))].join(', ');
        return {
          subject:
            endpoint.address === endpoint.target.host
              ? endpoint.target.host
              : `${endpoint.target.host}@${endpoint.address}`,
          message:
            `${endpointLabel(endpoint)} answered on none of its ${endpoint.probes.length} probed ports (${reasons}): ` +
            `from this vantage point nothing can be said about its ports.`,
          remediation:
            'Check the address and routing, or run portflight from a network that reaches the site system.',
          evidence: endpoint.probes.map(probeEvidence),
        };
      }),
};

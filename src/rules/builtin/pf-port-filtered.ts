import type { Rule } from '../types.js';
import {
  blockedByPhrase,
  endpointLabel,
  probeEvidence,
  probeOutcome,
  probeSubject,
  whereToOpen,
} from '../describe.js';

/** Ports named with --ports have no role in the change, but the operator asked whether they get through. */
export const pfPortFiltered: Rule = {
  id: 'PF-PORT-FILTERED',
  title: 'Requested port blocked',
  severity: 'condition',
  evaluate: (facts) =>
    facts.endpoints.flatMap((endpoint) =>
      endpoint.probes
        .filter((probe) => probe.roles[0] === 'extra' && probe.state === 'filtered')
        .map((probe) => ({
          subject: probeSubject(probe),
          message: `${probe.protocol.toUpperCase()} ${probe.port} on ${endpointLabel(endpoint)} is ${probeOutcome(probe)}${blockedByPhrase(probe)}.`,
          remediation: `If clients need it, open ${probe.protocol.toUpperCase()} ${probe.port} ${whereToOpen(probe, endpoint.address ?? endpoint.target.host)}.`,
          evidence: [probeEvidence(probe)],
        })),
    ),
};

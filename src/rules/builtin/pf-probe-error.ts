import type { Rule } from '../types.js';
import { endpointLabel, probeEvidence, probeSubject } from '../describe.js';

/** A probe that could not be made (local resources, unexpected OS error) leaves its port undecided. */
export const pfProbeError: Rule = {
  id: 'PF-PROBE-ERROR',
  title: 'Probe could not be made',
  severity: 'incomplete',
  evaluate: (facts) =>
    facts.endpoints.flatMap((endpoint) =>
      endpoint.probes
        .filter((probe) => probe.state === 'error' && probe.reason === 'local-error')
        .map((probe) => ({
          subject: probeSubject(probe),
          message:
            `${probe.protocol.toUpperCase()} ${probe.port} on ${endpointLabel(endpoint)} could not be probed ` +
            `(${probe.detail ?? 'local error'}).`,
          evidence: [probeEvidence(probe)],
        })),
    ),
};

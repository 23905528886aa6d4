import type { Rule } from '../types.js';
import {
  blockedByPhrase,
  endpointLabel,
  probeEvidence,
  probeOutcome,
  probeSubject,
  whereToOpen,
} from '../describe.js';

/** DOMAIN.md S1/S3: notification falls back to the request port, which costs the MP CPU and memory. */
export const cmClientNotificationBlocked: Rule = {
  id: 'CM-CLIENT-NOTIFICATION-BLOCKED',
  title: 'Client notification port blocked',
  severity: 'condition',
  evaluate: (facts) =>
    facts.endpoints.flatMap((endpoint) => {
      const probe = endpoint.byRole['client-notification'];
      if (!probe || probe.state !== 'filtered' || !endpoint.reachedHost) return [];
      return [
        {
          subject: probeSubject(probe),
          message:
            `Client notification port TCP ${probe.port} on ${endpointLabel(endpoint)} is ${probeOutcome(probe)}${blockedByPhrase(probe)}: ` +
            `clients fall back to the HTTP/HTTPS request port, which costs the management point more CPU and memory.`,
          remediation: `Open TCP ${probe.port} from the clients to the management point ${whereToOpen(probe, endpoint.address ?? endpoint.target.host)}.`,
          evidence: [probeEvidence(probe)],
        },
      ];
    }),
};

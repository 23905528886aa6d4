import type { Rule } from '../types.js';

/** A plan whose systems hold no client-facing role probes nothing; silence must not read as go. */
export const pfNothingProbed: Rule = {
  id: 'PF-NOTHING-PROBED',
  title: 'Nothing was probed',
  severity: 'incomplete',
  evaluate: (facts) =>
    facts.endpoints.some((endpoint) => endpoint.probes.length > 0)
      ? []
      : [
          {
            subject: 'scan',
            message:
              'No port was probed: no site system holds a role that accepts client connections ' +
              '(management point, distribution point, fallback status point, state migration point, enrollment points).',
            remediation: 'List the site systems that clients connect to, with their roles, in the plan.',
            evidence: ['plan:hierarchy'],
          },
        ],
};

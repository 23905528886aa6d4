import type { Rule } from '../types.js';

export const pfPortsUnchanged: Rule = {
  id: 'PF-PORTS-UNCHANGED',
  title: 'Client request port not changed',
  severity: 'info',
  evaluate: (facts) =>
    (['http', 'https'] as const).flatMap((scheme) => {
      const ports = facts.change[scheme];
      if (!ports || ports.current !== ports.candidate) return [];
      return [
        {
          subject: `change.${scheme}`,
          message: `The ${scheme.toUpperCase()} client request port stays ${ports.current}: nothing to change for it.`,
          evidence: [`plan:change.clientRequest.${scheme}`],
        },
      ];
    }),
};

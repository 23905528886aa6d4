import type { Rule } from '../types.js';
import { probeEvidence } from '../describe.js';

/** The verdict must say when it cannot name the device that blocks a port. */
export const pfPathNotLocalised: Rule = {
  id: 'PF-PATH-NOT-LOCALISED',
  title: 'Blocking device not located',
  severity: 'info',
  evaluate: (facts) => {
    const unlocated = facts.endpoints
      .flatMap((endpoint) => endpoint.probes)
      .filter((probe) => probe.state === 'filtered' && probe.blockedBy === undefined);
    const skipped = facts.scan.skipped.find((entry) => entry.probe === 'path');
    if (unlocated.length === 0 || !skipped) return [];
    return [
      {
        subject: 'path',
        message:
          `${unlocated.length} filtered probe(s) were not traced to the device that blocks them: ` +
          `path localisation did not run (${skipped.reason}).`,
        remediation: 'Run portflight as root (or with CAP_NET_RAW) to name the blocking device.',
        evidence: unlocated.map(probeEvidence),
      },
    ];
  },
};

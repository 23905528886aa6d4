import type { Rule } from '../types.js';
import { probeEvidence } from '../describe.js';

const WHY = {
  signal: 'interrupted',
  deadline: 'stopped at its deadline',
  'host-deadline': 'cut short by a per-host deadline',
} as const;

/** An interrupted or partial scan is never reported as go. */
export const pfScanInterrupted: Rule = {
  id: 'PF-SCAN-INTERRUPTED',
  title: 'Scan interrupted before every probe ran',
  severity: 'incomplete',
  evaluate: (facts) => {
    if (facts.scan.complete) return [];
    const skipped = facts.endpoints
      .flatMap((endpoint) => endpoint.probes)
      .filter((probe) => probe.reason === 'aborted');
    return [
      {
        subject: 'scan',
        message: `The scan was ${WHY[facts.scan.interruption ?? 'signal']}: ${skipped.length} probe(s) did not run, so the verdict cannot be go.`,
        remediation: 'Run the scan again to completion.',
        evidence: skipped.map(probeEvidence),
      },
    ];
  },
};

import type { Rule } from '../types.js';
import { endpointLabel, probeEvidence, probeOutcome, probeSubject } from '../describe.js';
import { candidateComparisons } from './candidate-comparisons.js';

/** The foundation rule: a candidate port that does not get through where today's port does strands clients. */
export const pfCandidateBlocked: Rule = {
  id: 'PF-CANDIDATE-BLOCKED',
  title: 'Candidate port blocked where the current port gets through',
  severity: 'no-go',
  evaluate: (facts) =>
    candidateComparisons(facts)
      .filter(({ candidate, current }) => candidate.state === 'filtered' && current.reachedHost)
      .map(({ endpoint, label, candidate, current }) => ({
        subject: probeSubject(candidate),
        message:
          `${label} port ${candidate.port} on ${endpointLabel(endpoint)} is ${probeOutcome(candidate)} ` +
          `while the current port ${current.probe.port} is ${probeOutcome(current.probe)}: ` +
          `clients would not get through after the change.`,
        remediation:
          `Open TCP ${candidate.port} to ${endpoint.address ?? endpoint.target.host} on every firewall and ` +
          `intermediate device between the clients and the site system (and on its Windows Firewall), then re-run.`,
        evidence: [probeEvidence(candidate), probeEvidence(current.probe)],
      })),
};

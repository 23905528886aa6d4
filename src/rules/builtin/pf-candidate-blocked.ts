import type { Rule } from '../types.js';
import {
  blockedByPhrase,
  endpointLabel,
  probeEvidence,
  probeOutcome,
  probeSubject,
  whereToOpen,
} from '../describe.js';
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
          `${label} port ${candidate.port} on ${endpointLabel(endpoint)} is ${probeOutcome(candidate)}` +
          `${blockedByPhrase(candidate)}, while the current port ${current.probe.port} is ${probeOutcome(current.probe)}: ` +
          `clients would not get through after the change.`,
        remediation:
          `Open TCP ${candidate.port} to ${endpoint.address ?? endpoint.target.host} ` +
          `${whereToOpen(candidate, endpoint.address ?? endpoint.target.host)}, then re-run.`,
        evidence: [probeEvidence(candidate), probeEvidence(current.probe)],
      })),
};

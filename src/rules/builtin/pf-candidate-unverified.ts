import type { Rule } from '../types.js';
import { endpointLabel, probeEvidence, probeOutcome, probeSubject } from '../describe.js';
import { candidateComparisons } from './candidate-comparisons.js';

/**
 * When today's port does not get through from here either, this vantage point is not where clients are:
 * the blocked candidate cannot be judged, so it is a condition rather than a no-go.
 */
export const pfCandidateUnverified: Rule = {
  id: 'PF-CANDIDATE-UNVERIFIED',
  title: 'Candidate port blocked, but so is the current port from this vantage point',
  severity: 'condition',
  evaluate: (facts) =>
    candidateComparisons(facts)
      .filter(
        ({ endpoint, candidate, current }) =>
          candidate.state === 'filtered' && !current.reachedHost && endpoint.reachedHost,
      )
      .map(({ endpoint, label, candidate, current }) => ({
        subject: probeSubject(candidate),
        message:
          `${label} port ${candidate.port} on ${endpointLabel(endpoint)} is ${probeOutcome(candidate)}, and the ` +
          `current port ${current.probe.port} is ${probeOutcome(current.probe)} from here too: this vantage point ` +
          `does not see what clients see.`,
        remediation: 'Run portflight from a client subnet (or each client network zone) to judge this port.',
        evidence: [probeEvidence(candidate), probeEvidence(current.probe)],
      })),
};

import type { Rule } from '../types.js';
import { endpointLabel, probeEvidence, probeSubject } from '../describe.js';
import { candidateComparisons } from './candidate-comparisons.js';

/** A closed candidate port is good news for the network: the destination host itself answered. */
export const pfCandidateNotListening: Rule = {
  id: 'PF-CANDIDATE-NOT-LISTENING',
  title: 'Candidate port reaches the server, where nothing listens yet',
  severity: 'info',
  evaluate: (facts) =>
    candidateComparisons(facts)
      .filter(({ candidate }) => candidate.state === 'closed')
      .map(({ endpoint, label, candidate }) => ({
        subject: probeSubject(candidate),
        message:
          `${label} port ${candidate.port} reaches ${endpointLabel(endpoint)}, which refuses it (nothing listens ` +
          `there yet): the network passes it; IIS must be bound to it when the site ports change.`,
        evidence: [probeEvidence(candidate)],
      })),
};

/** verdict/: findings → GO / CONDITIONAL / INCOMPLETE / NO-GO. */
export {
  computeVerdict,
  countSeverities,
  worseVerdict,
  VERDICTS,
  type SeverityCounts,
  type Verdict,
} from './compute-verdict.js';

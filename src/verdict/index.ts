/** verdict/: findings (and the plan's waivers) → GO / CONDITIONAL / INCOMPLETE / NO-GO. */
export {
  computeVerdict,
  countSeverities,
  worseVerdict,
  VERDICTS,
  type SeverityCounts,
  type Verdict,
} from './compute-verdict.js';
export {
  applyWaivers,
  subjectPattern,
  WAIVABLE_SEVERITIES,
  WAIVER_STATUSES,
  type Waiver,
  type WaiverOutcome,
  type WaiverResult,
  type WaiverStatus,
} from './apply-waivers.js';
export { EXIT_CODE_OF_VERDICT } from './exit-code-of-verdict.js';

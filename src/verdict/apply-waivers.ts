import type { Waiver } from '../plan/schema.js';
import type { Finding, Severity } from '../rules/types.js';
import { computeVerdict, type Verdict } from './compute-verdict.js';

export type { Waiver } from '../plan/schema.js';

/**
 * Severities a waiver can accept. `incomplete` is not one: facts that were never gathered must be
 * gathered, not accepted. `info` never sets the verdict, so there is nothing to accept.
 */
export const WAIVABLE_SEVERITIES: readonly Severity[] = ['condition', 'no-go'];

export const WAIVER_STATUSES = ['active', 'expired', 'unused'] as const;
export type WaiverStatus = (typeof WAIVER_STATUSES)[number];

/** What became of one waiver of the plan, in plan order. */
export interface WaiverOutcome {
  readonly waiver: Waiver;
  readonly status: WaiverStatus;
  /**
   * Waivable findings the waiver names. For an expired waiver: those it would still accept if renewed,
   * which is what the owner needs to decide whether to renew it.
   */
  readonly matched: number;
  /** Findings of other severities it names, which it cannot accept (said in the report's note). */
  readonly notWaivable: { readonly incomplete: number; readonly info: number };
}

export interface WaiverResult {
  /** The findings in their order, with `waived` set on those an active waiver accepts. */
  readonly findings: readonly Finding[];
  readonly waivers: readonly WaiverOutcome[];
  /** The worst severity among findings no waiver accepts. */
  readonly verdict: Verdict;
  /** The verdict if no waiver applied: what the operator accepts by keeping the waivers. */
  readonly verdictWithoutWaivers: Verdict;
}

/**
 * Accepts the findings the plan's waivers name. A waiver applies through the day `expires` (UTC) and
 * accepts only `condition` and `no-go` findings; the first active waiver naming a finding is the one it
 * carries. Pure: the inputs are not changed, and `today` is the caller's.
 */
export function applyWaivers(
  findings: readonly Finding[],
  waivers: readonly Waiver[],
  today: Date,
): WaiverResult {
  const todayUtc = today.toISOString().slice(0, 10);
  const matchers = waivers.map((waiver) => ({
    waiver,
    // YYYY-MM-DD strings order like the dates they name.
    expired: waiver.expires < todayUtc,
    matches: findingMatcher(waiver),
  }));

  const waived = findings.map((finding) => {
    if (!WAIVABLE_SEVERITIES.includes(finding.severity)) return finding;
    const accepting = matchers.find((matcher) => !matcher.expired && matcher.matches(finding));
    if (!accepting) return finding;
    const { reason, owner, expires } = accepting.waiver;
    return { ...finding, waived: { reason, owner, expires } };
  });

  const outcomes = matchers.map(({ waiver, expired, matches }): WaiverOutcome => {
    const named = findings.filter(matches);
    const matched = named.filter((finding) => WAIVABLE_SEVERITIES.includes(finding.severity)).length;
    return {
      waiver,
      status: expired ? 'expired' : matched === 0 ? 'unused' : 'active',
      matched,
      notWaivable: {
        incomplete: named.filter((finding) => finding.severity === 'incomplete').length,
        info: named.filter((finding) => finding.severity === 'info').length,
      },
    };
  });

  return {
    findings: waived,
    waivers: outcomes,
    verdict: computeVerdict(waived.filter((finding) => finding.waived === undefined)),
    verdictWithoutWaivers: computeVerdict(findings),
  };
}

function findingMatcher(waiver: Waiver): (finding: Finding) => boolean {
  const subject = waiver.subject === undefined ? undefined : subjectPattern(waiver.subject);
  return (finding) =>
    finding.rule === waiver.rule && (subject === undefined || subject.test(finding.subject));
}

/**
 * `*` stands for any run of characters (none included); everything else is literal, case and all.
 * Matched by finding the literal pieces in order, leftmost first — which is exact for globs with `*`
 * alone — instead of a RegExp: `a*a*a*…b` as `^a.*a.*a.*…b$` backtracks polynomially in the number
 * of stars and froze the process on a long subject.
 */
export function subjectPattern(glob: string): { test(subject: string): boolean } {
  const [first = '', ...rest] = glob.split('*');
  if (rest.length === 0) return { test: (subject) => subject === glob };
  const last = rest.pop() ?? '';
  return {
    test(subject) {
      if (subject.length < first.length + last.length) return false;
      if (!subject.startsWith(first) || !subject.endsWith(last)) return false;
      let at = first.length;
      const end = subject.length - last.length;
      for (const piece of rest) {
        const found = subject.indexOf(piece, at);
        if (found < 0 || found + piece.length > end) return false;
        at = found + piece.length;
      }
      return true;
    },
  };
}

import type { Finding, Severity } from '../rules/types.js';

/** Verdicts, best first. `incomplete` ranks above `conditional`: missing facts are never waved through. */
export const VERDICTS = ['go', 'conditional', 'incomplete', 'no-go'] as const;
export type Verdict = (typeof VERDICTS)[number];

const VERDICT_OF_SEVERITY: Readonly<Record<Severity, Verdict>> = {
  info: 'go',
  condition: 'conditional',
  incomplete: 'incomplete',
  'no-go': 'no-go',
};

/** The worst verdict any finding calls for; `go` only when no finding asks for more. */
export function computeVerdict(findings: readonly Pick<Finding, 'severity'>[]): Verdict {
  return findings.reduce<Verdict>(
    (worst, finding) => worseVerdict(worst, VERDICT_OF_SEVERITY[finding.severity]),
    'go',
  );
}

export function worseVerdict(a: Verdict, b: Verdict): Verdict {
  return VERDICTS.indexOf(a) >= VERDICTS.indexOf(b) ? a : b;
}

export type SeverityCounts = Readonly<Record<Severity, number>>;

export function countSeverities(findings: readonly Pick<Finding, 'severity'>[]): SeverityCounts {
  const counts: Record<Severity, number> = { 'no-go': 0, incomplete: 0, condition: 0, info: 0 };
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}

import type { Facts } from '../facts/types.js';
import { BUILTIN_RULES } from './builtin/index.js';
import { SEVERITIES, type Finding, type Rule } from './types.js';

/** Runs every rule over the facts; findings come out worst first, then by rule id and subject. */
export function evaluateRules(facts: Facts, rules: readonly Rule[] = BUILTIN_RULES): Finding[] {
  const findings = rules.flatMap((rule) =>
    rule.evaluate(facts).map((draft): Finding => ({ rule: rule.id, severity: rule.severity, ...draft })),
  );
  return findings.sort(
    (a, b) =>
      SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity) ||
      a.rule.localeCompare(b.rule) ||
      a.subject.localeCompare(b.subject, 'en', { numeric: true }),
  );
}

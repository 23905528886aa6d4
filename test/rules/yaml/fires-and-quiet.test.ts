import { describe, expect, it } from 'vitest';
import { EVIDENCE_CASES } from './cases-evidence.js';
import { LINK_CASES } from './cases-links.js';
import { CLIENT_CASES } from './cases-plan.js';
import { PROBE_CASES } from './cases-probes.js';
import { ROLE_CASES } from './cases-roles.js';
import { VERIFY_CASES } from './cases-verify.js';
import type { RuleCase } from './cases.js';
import { YAML_RULES, run } from './support.js';

const CASES: Record<string, RuleCase> = {
  ...PROBE_CASES,
  ...CLIENT_CASES,
  ...EVIDENCE_CASES,
  ...ROLE_CASES,
  ...LINK_CASES,
  ...VERIFY_CASES,
};

describe('rules/*.yaml: every rule fires on its facts and stays quiet otherwise', () => {
  it('has a case for every rule file, and no case without one', () => {
    expect(Object.keys(CASES).sort()).toEqual(YAML_RULES.map((rule) => rule.id).sort());
  });

  describe.each(YAML_RULES.map((rule) => [rule.id, rule] as const))('%s', (id, rule) => {
    const cases = CASES[id];
    if (!cases) throw new Error(`no test cases for ${id}`);

    const saysUnknown = rule.message.some((part) => part.kind === 'text' && part.text.includes('unknown'));

    it('fires with its own severity, saying what and where', () => {
      const findings = run(id, cases.fires);
      expect(findings.length).toBeGreaterThan(0);
      const text = findings.map((f) => `${f.message}\n${f.remediation ?? ''}`).join('\n');
      for (const pattern of cases.says) expect(text).toMatch(pattern);
      expect(findings.map((f) => f.subject)).toEqual(expect.arrayContaining([...(cases.subjects ?? [])]));
      for (const finding of findings) {
        expect(finding).toMatchObject({ rule: id, severity: rule.severity });
        expect(finding.subject).not.toBe('');
        // Every placeholder had a value: a value not gathered renders as "unknown".
        if (!saysUnknown) expect(finding.message).not.toMatch(/\bunknown\b/);
        expect(finding.evidence.length).toBeGreaterThan(0);
      }
    });

    it('stays quiet when its condition does not hold', () => {
      cases.quiet.forEach((facts, index) => expect(run(id, facts), `quiet case ${index}`).toEqual([]));
    });
  });
});

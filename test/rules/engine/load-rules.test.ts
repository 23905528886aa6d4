import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/shared/errors.js';
import { parseRuleFile } from '../../../src/rules/engine/compile-rule.js';
import { evaluateRuleSet, loadRuleSet } from '../../../src/rules/engine/index.js';
import { problemsOf, quietFacts, ruleText, testCatalogue } from './fixtures.js';

const EXAMPLE = `id: CM-WORKGROUP-CLIENTS
title: Workgroup clients cannot learn the new ports
severity: condition
description: |
  Workgroup clients do not read Active Directory, so they keep the old ports.
when: { fact: clients.workgroup, gt: 0 }
subject: clients
message: "{clients.workgroup} workgroup client(s) keep HTTP {change.http.current}."
remediation: Reinstall them with CCMHTTPPORT={change.http.candidate}.
references:
  - How to configure client communication ports in Configuration Manager
  - { title: Contoso network policy NP-12, url: 'https://intranet.contoso.example/np-12' }
evidence: ["plan:clients"]
`;

describe('rule engine: loading', () => {
  it('keeps what rules list / rules explain show', () => {
    const rule = parseRuleFile(EXAMPLE, 'rules/cm-workgroup-clients.yaml', testCatalogue);
    expect(rule).toMatchObject({
      id: 'CM-WORKGROUP-CLIENTS',
      title: 'Workgroup clients cannot learn the new ports',
      severity: 'condition',
      references: [
        {
          title: 'How to configure client communication ports in Configuration Manager',
          url: 'https://learn.microsoft.com/intune/configmgr/core/clients/deploy/configure-client-communication-ports',
        },
        { title: 'Contoso network policy NP-12', url: 'https://intranet.contoso.example/np-12' },
      ],
      description: 'Workgroup clients do not read Active Directory, so they keep the old ports.\n',
      source: { file: 'rules/cm-workgroup-clients.yaml', line: 1, col: 5 },
    });
    expect(evaluateRuleSet([rule], quietFacts({ clients: { workgroup: 3 } }))).toEqual([
      {
        rule: 'CM-WORKGROUP-CLIENTS',
        severity: 'condition',
        subject: 'clients',
        message: '3 workgroup client(s) keep HTTP 80.',
        remediation: 'Reinstall them with CCMHTTPPORT=8080.',
        evidence: ['plan:clients'],
      },
    ]);
  });

  it('loads a set ordered by id and reports the problems of every file at once', async () => {
    const b = {
      file: 'rules/b-rule.yaml',
      text: ruleText('B-RULE', 'when: { fact: clients.workgroup, gt: 0 }\nmessage: m'),
    };
    const a = {
      file: 'rules/a-rule.yaml',
      text: ruleText('A-RULE', 'when: { fact: clients.workgroup, gt: 0 }\nmessage: m'),
    };
    expect((await loadRuleSet([b, a], testCatalogue)).map((rule) => rule.id)).toEqual(['A-RULE', 'B-RULE']);

    const broken = (file: string, id: string) => ({
      file,
      text: ruleText(id, 'when: { fact: nope, gt: 0 }\nmessage: m'),
    });
    try {
      await loadRuleSet(
        [broken('rules/c-rule.yaml', 'C-RULE'), a, broken('rules/d-rule.yaml', 'D-RULE')],
        testCatalogue,
      );
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).problems.map((problem) => problem.position.file)).toEqual([
        'rules/c-rule.yaml',
        'rules/d-rule.yaml',
      ]);
    }
  });

  it.each([
    [
      'an enum value in "in" that is not in the enum',
      'when: { fact: p.state, in: [open, shut] }',
      '6:35: when.in[1]: "shut" is not one of open, closed, filtered (p.state)',
    ],
    [
      'each over a scalar inside a quantifier',
      'when: { some: { each: change.http.current, as: x, where: { fact: x, eq: 1 } } }',
      '6:23: when.some.each: each needs a list; change.http.current is number',
    ],
    [
      'a variable bound twice',
      'when: { some: { each: probes, as: p, where: { fact: p.port, eq: 1 } } }',
      '6:35: when.some.as: "p" is already bound by an enclosing for or quantifier',
    ],
    [
      'matches on a number',
      'when: { fact: p.port, matches: "8" }',
      '6:23: when.matches: "matches" needs a string; p.port is number',
    ],
    [
      'exists with count',
      'when: { count: { each: probes, as: q }, exists: true }',
      '6:49: when.exists: count takes eq, ne, lt, le, gt, ge, in, notIn, between, not "exists"',
    ],
    [
      'a condition without a head',
      'when: { eq: 1 }',
      '6:13: when.eq: a condition starts with one of fact, all, any, not, some, every, count',
    ],
    [
      'comparing a number with a string fact',
      'when: { fact: p.port, eq: { fact: p.role } }',
      '6:35: when.eq.fact: p.port (number) cannot be compared with p.role (string)',
    ],
    [
      'an unclosed placeholder',
      'when: { fact: p.port, eq: 1 }\nremediation: "Open {p.port"',
      '7:20: remediation: unclosed "{" (write {{ for a literal brace)',
    ],
    [
      'an unknown fact in evidence',
      'when: { fact: p.port, eq: 1 }\nevidence: ["probe:{p.reff}"]',
      '7:19: evidence[0]: unknown fact "p.reff": no "reff" in p (known: port, state, role, ref)',
    ],
  ])('reports %s', (_, body, expected) => {
    const text = ruleText('T-RULE', `for: { each: probes, as: p }\n${body}\nmessage: m`);
    expect(problemsOf(text, 'rules/t-rule.yaml')).toEqual([`rules/t-rule.yaml:${expected}`]);
  });
});

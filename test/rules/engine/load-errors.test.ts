import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/shared/errors.js';
import { loadRuleSet } from '../../../src/rules/engine/index.js';
import { problemsOf, testCatalogue } from './fixtures.js';

const FILE = 'rules/t-rule.yaml';

/** A valid rule, one key a line, so each case edits one line and the expected position is easy to read. */
const VALID = `id: T-RULE
title: Test rule
severity: no-go
for: { each: probes, as: probe }
when:
  all:
    - { fact: probe.state, eq: filtered }
    - { fact: change.http.candidate, gt: 1024 }
subject: "{probe.role}:{probe.port}"
message: Port {probe.port} is {probe.state}.
references: [Ports used in Configuration Manager]
`;

describe('rule engine: load-time errors', () => {
  it('accepts the valid rule', () => {
    expect(() => problemsOf(VALID, FILE)).toThrow('the rule file was accepted');
  });

  it.each([
    [
      'an unknown fact, at its path',
      ['change.http.candidate, gt', 'change.http.candidat, gt'],
      [
        `${FILE}:8:15: when.all[1].fact: unknown fact "change.http.candidat": no "candidat" in change.http (known: current, candidate)`,
      ],
    ],
    [
      'an unknown top-level fact, listing the names in scope',
      ['probe.state, eq', 'prob.state, eq'],
      [
        `${FILE}:7:15: when.all[0].fact: unknown fact "prob.state": no "prob" (known: change, clients, probes, servers, probe)`,
      ],
    ],
    [
      'an unknown fact inside a template, at the placeholder',
      ['is {probe.state}.', 'is {probe.status}.'],
      [
        `${FILE}:10:31: message: unknown fact "probe.status": no "status" in probe (known: port, state, role, ref)`,
      ],
    ],
    [
      'an object in a template',
      ['"{probe.role}:', '"{change.http}:'],
      [`${FILE}:9:11: subject: {change.http} is object: name one of its fields`],
    ],
    [
      'an ordering operator on an enum, at the operator',
      ['probe.state, eq: filtered', 'probe.state, gt: filtered'],
      [`${FILE}:7:28: when.all[0].gt: "gt" needs a number; probe.state is one of open, closed, filtered`],
    ],
    [
      'an enum value not in the enum, at the value',
      ['eq: filtered', 'eq: filterd'],
      [`${FILE}:7:32: when.all[0].eq: "filterd" is not one of open, closed, filtered (probe.state)`],
    ],
    [
      'a literal of the wrong type',
      ['gt: 1024', 'gt: "1024"'],
      [`${FILE}:8:42: when.all[1].gt: "1024" is not a number, as change.http.candidate is`],
    ],
    [
      'each over something that is not a list',
      ['each: probes', 'each: change.http'],
      [`${FILE}:4:14: for.each: each needs a list; change.http is object`],
    ],
    [
      'a variable that shadows a top-level fact',
      ['as: probe }', 'as: change }'],
      [`${FILE}:4:26: for.as: "change" is a top-level fact; choose another name`],
    ],
    [
      'an unknown key, at the key',
      ['title: Test rule', 'title: Test rule\ncolour: blue'],
      [`${FILE}:3:1: colour: unknown key "colour"`],
    ],
    [
      'an unknown key inside a condition',
      ['- { fact: probe.state, eq: filtered }', '- { fact: probe.state, eq: filtered, or: 1 }'],
      [`${FILE}:7:42: when.all[0].or: unknown key "or"`],
    ],
    [
      'two operators in one condition, at the second',
      ['eq: filtered }', 'eq: filtered, ne: open }'],
      [
        `${FILE}:7:46: when.all[0].ne: one operator per condition ("eq" and "ne"): combine conditions with all`,
      ],
    ],
    [
      'a bad severity',
      ['severity: no-go', 'severity: fatal'],
      [`${FILE}:3:11: severity: Invalid option: expected one of "no-go"|"incomplete"|"condition"|"info"`],
    ],
    [
      'an id that is not the file name',
      ['id: T-RULE', 'id: T-OTHER-RULE'],
      [`${FILE}:1:5: id: rule T-OTHER-RULE belongs in a file named t-other-rule.yaml, not t-rule.yaml`],
    ],
    [
      'a YAML syntax error',
      ['title: Test rule', 'title: [Test rule'],
      [`${FILE}:3:1: Flow sequence in block collection must be sufficiently indented and end with a ]`],
    ],
    [
      'a cited title that is not a known document, at the title',
      ['[Ports used in Configuration Manager]', '[Ports used in ConfigMgr]'],
      [
        `${FILE}:11:14: references[0]: "Ports used in ConfigMgr" is not a known document title (src/rules/documents.ts lists them with their URLs); cite another document as { title: …, url: https://… }`,
      ],
    ],
    [
      'a document of its own without an address',
      ['[Ports used in Configuration Manager]', '[{ title: Contoso policy, url: intranet }]'],
      [expect.stringMatching(/^rules\/t-rule\.yaml:11:\d+: references\[0\]/)],
    ],
    [
      'an invalid regular expression',
      ['eq: filtered', 'eq: filtered }\n    - { fact: probe.role, matches: "(" '],
      [
        expect.stringMatching(
          /^rules\/t-rule\.yaml:8:36: when\.all\[1\]\.matches: not a regular expression that can be matched in linear time \(RE2 syntax\): missing closing \)/,
        ),
      ],
    ],
    [
      'a backreference (no linear-time match exists)',
      ['eq: filtered', 'eq: filtered }\n    - { fact: probe.role, matches: "(a)\\\\1" '],
      [
        expect.stringMatching(
          /^rules\/t-rule\.yaml:8:36: when\.all\[1\]\.matches: .*invalid escape sequence/,
        ),
      ],
    ],
    [
      'a lookahead',
      ['eq: filtered', 'eq: filtered }\n    - { fact: probe.role, matches: "(?=a)b" '],
      [
        expect.stringMatching(
          /^rules\/t-rule\.yaml:8:36: when\.all\[1\]\.matches: .*unsupported Perl syntax/,
        ),
      ],
    ],
  ])('reports %s', (_, [from, to], expected) => {
    const text = VALID.replace(from as string, to as string);
    expect(text).not.toBe(VALID);
    expect(problemsOf(text, FILE)).toEqual(expected);
  });

  it('reports every problem of a file at once, in file order', () => {
    const text = VALID.replace('probe.state, eq', 'probe.stat, eq').replace('{probe.port} is', '{port} is');
    expect(problemsOf(text, FILE)).toEqual([
      `${FILE}:7:15: when.all[0].fact: unknown fact "probe.stat": no "stat" in probe (known: port, state, role, ref)`,
      `${FILE}:10:15: message: unknown fact "port": no "port" (known: change, clients, probes, servers, probe)`,
    ]);
  });

  it('reports an id defined in two files at the second, naming the first', async () => {
    const other = VALID.replace('title: Test rule', 'title: Copy');
    const load = () =>
      loadRuleSet(
        [
          { file: 'rules/t-rule.yaml', text: VALID },
          { file: 'site-rules/t-rule.yaml', text: other },
        ],
        testCatalogue,
      );
    await expect(load()).rejects.toThrow(InputError);
    await expect(load()).rejects.toThrow(
      'site-rules/t-rule.yaml:1:5: id: rule T-RULE is already defined in rules/t-rule.yaml:1:5',
    );
  });
});

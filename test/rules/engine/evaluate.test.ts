import { describe, expect, it } from 'vitest';
import { findingsOf, quietFacts, type TestFacts } from './fixtures.js';

/** Whether a rule with this `when` (flow YAML) fires once, on facts that default to quiet ones. */
function fires(when: string, facts: TestFacts = quietFacts()): boolean | 'incomplete' {
  const findings = findingsOf(`when: ${when}\nmessage: fired`, facts);
  expect(findings.length).toBeLessThanOrEqual(1);
  const [finding] = findings;
  return finding === undefined ? false : finding.severity === 'incomplete' ? 'incomplete' : true;
}

describe('rule engine: operators', () => {
  it.each([
    ['{ fact: change.http.candidate, eq: 8080 }', true],
    ['{ fact: change.http.candidate, eq: 8081 }', false],
    ['{ fact: change.http.candidate, ne: 8081 }', true],
    ['{ fact: change.http.candidate, ne: 8080 }', false],
    ['{ fact: change.http.candidate, lt: 8081 }', true],
    ['{ fact: change.http.candidate, lt: 8080 }', false],
    ['{ fact: change.http.candidate, le: 8080 }', true],
    ['{ fact: change.http.candidate, le: 8079 }', false],
    ['{ fact: change.http.candidate, gt: 8079 }', true],
    ['{ fact: change.http.candidate, gt: 8080 }', false],
    ['{ fact: change.http.candidate, ge: 8080 }', true],
    ['{ fact: change.http.candidate, ge: 8081 }', false],
    ['{ fact: change.http.candidate, gt: { fact: change.http.current } }', true],
    ['{ fact: change.http.candidate, eq: { fact: change.http.current } }', false],
    ['{ fact: change.http.candidate, between: [8000, 8080] }', true],
    ['{ fact: change.http.candidate, between: [8081, 9000] }', false],
    ['{ fact: change.http.candidate, between: [{ fact: change.http.current }, 8080] }', true],
    ['{ fact: change.http.candidate, in: [80, 8080] }', true],
    ['{ fact: change.http.candidate, in: [80, 443] }', false],
    ['{ fact: change.http.candidate, notIn: [80, 443] }', true],
    ['{ fact: change.http.candidate, notIn: [8080] }', false],
    ['{ fact: change.http.candidate, in: { fact: change.newPorts } }', true],
    ['{ fact: change.http.current, in: { fact: change.newPorts } }', false],
    ['{ fact: clients.workgroup, exists: true }', true],
    ['{ fact: clients.workgroup, exists: false }', false],
  ])('%s → %s', (when, expected) => {
    expect(fires(when)).toBe(expected);
  });

  it.each([
    ['{ fact: probe.state, eq: filtered }', 'filtered', true],
    ['{ fact: probe.state, ne: open }', 'filtered', true],
    ['{ fact: probe.state, in: [closed, filtered] }', 'open', false],
    ['{ fact: probe.role, matches: "^management-" }', 'open', true],
    ['{ fact: probe.role, matches: "^distribution-" }', 'open', false],
  ] as const)('%s on a %s probe → %s', (when, state, expected) => {
    const facts = quietFacts({ probes: [{ port: 8080, state, role: 'management-point', ref: 'p' }] });
    const findings = findingsOf(`for: { each: probes, as: probe }\nwhen: ${when}\nmessage: fired`, facts);
    expect(findings.length).toBe(expected ? 1 : 0);
  });

  it('matches a pattern that backtracks catastrophically in JavaScript in linear time', () => {
    // As a RegExp, (a+)+$ on 40 000 a's and a b takes longer than the universe has existed.
    const role = `${'a'.repeat(40_000)}b`;
    const facts = quietFacts({ probes: [{ port: 8080, state: 'open', role, ref: 'p' }] });
    const rule =
      'for: { each: probes, as: probe }\nwhen: { fact: probe.role, matches: "(a+)+$" }\nmessage: fired';
    expect(findingsOf(rule, facts)).toHaveLength(0);
    const anchored = rule.replace('(a+)+$', '^(a+)+b$');
    expect(findingsOf(anchored, facts)).toHaveLength(1);
  });
});

describe('rule engine: combinators and quantifiers', () => {
  const yes = '{ fact: change.http.candidate, eq: 8080 }';
  const no = '{ fact: change.http.candidate, eq: 1 }';
  it.each([
    [`{ all: [${yes}, ${yes}] }`, true],
    [`{ all: [${yes}, ${no}] }`, false],
    [`{ any: [${no}, ${yes}] }`, true],
    [`{ any: [${no}, ${no}] }`, false],
    [`{ not: ${no} }`, true],
    [`{ not: ${yes} }`, false],
    ['{ some: { each: probes, as: p, where: { fact: p.state, eq: filtered } } }', true],
    ['{ some: { each: probes, as: p, where: { fact: p.state, eq: closed } } }', false],
    ['{ every: { each: probes, as: p, where: { fact: p.port, ge: 8000 } } }', true],
    ['{ every: { each: probes, as: p, where: { fact: p.state, eq: open } } }', false],
    ['{ count: { each: probes, as: p, where: { fact: p.state, eq: filtered } }, eq: 2 }', true],
    ['{ count: { each: probes, as: p, where: { fact: p.state, eq: filtered } }, gt: 2 }', false],
    ['{ count: { each: probes, as: p }, between: [3, 3] }', true],
    ['{ some: { each: probes, as: p, where: { fact: p.port, eq: { fact: change.http.candidate } } } }', true],
  ])('%s → %s', (when, expected) => {
    const probe = { port: 8080, role: 'management-point', ref: 'p' };
    const facts = quietFacts({
      probes: [
        { ...probe, state: 'open' },
        { ...probe, state: 'filtered' },
        { ...probe, state: 'filtered' },
      ],
    });
    expect(fires(when, facts)).toBe(expected);
  });

  it('treats quantifiers over an empty list as some = false, every = true, count = 0', () => {
    const facts = quietFacts({ probes: [] });
    const where = 'where: { fact: p.state, eq: open }';
    expect(fires(`{ some: { each: probes, as: p, ${where} } }`, facts)).toBe(false);
    expect(fires(`{ every: { each: probes, as: p, ${where} } }`, facts)).toBe(true);
    expect(fires(`{ count: { each: probes, as: p }, eq: 0 }`, facts)).toBe(true);
  });
});

describe('rule engine: for, templates and evidence', () => {
  const excludedRule = `for:
  - { each: servers, as: server }
  - { each: change.newPorts, as: port }
when:
  some:
    each: server.excluded
    as: range
    where: { fact: port, between: [{ fact: range.start }, { fact: range.end }] }
subject: "{server.host}:tcp/{port}"
message: Port {port} on {server.host} lies in an excluded range ({{netsh}).
remediation: Choose another port than {change.newPorts}.
evidence: ["evidence:{server.host}/excludedportrange", "{change.newPorts}"]
`;

  it('evaluates the cross product of for iterations, with templates rendered per binding', () => {
    const facts = quietFacts({
      change: { http: { current: 80, candidate: 8080 }, newPorts: [8080, 50010] },
      servers: [
        { host: 'mp01', excluded: [{ start: 50000, end: 50059 }] },
        { host: 'mp02', excluded: [{ start: 8000, end: 8100 }] },
      ],
    });
    expect(findingsOf(excludedRule, facts, 'WIN-EXCLUDED')).toEqual([
      {
        rule: 'WIN-EXCLUDED',
        severity: 'no-go',
        subject: 'mp01:tcp/50010',
        message: 'Port 50010 on mp01 lies in an excluded range ({netsh}).',
        remediation: 'Choose another port than 8080, 50010.',
        evidence: ['evidence:mp01/excludedportrange', '8080', '50010'],
      },
      {
        rule: 'WIN-EXCLUDED',
        severity: 'no-go',
        subject: 'mp02:tcp/8080',
        message: 'Port 8080 on mp02 lies in an excluded range ({netsh}).',
        remediation: 'Choose another port than 8080, 50010.',
        evidence: ['evidence:mp02/excludedportrange', '8080', '50010'],
      },
    ]);
  });

  it('gives no finding for a for over an empty list', () => {
    expect(findingsOf(excludedRule, quietFacts({ servers: [] }), 'WIN-EXCLUDED')).toEqual([]);
    const always = 'for: { each: probes, as: p }\nwhen: { fact: p.port, exists: true }\nmessage: m';
    expect(findingsOf(always, quietFacts({ probes: [] }))).toEqual([]);
  });

  it('defaults the subject to the rule id, renders a value not gathered as "unknown" in messages', () => {
    // An evidence reference with a value not gathered points at nothing, so it is dropped.
    const body = `when: { fact: clients.workgroup, exists: false }
message: "{clients.workgroup} clients"
evidence: ["plan:clients:{clients.workgroup}", "plan:clients"]`;
    const [finding] = findingsOf(body, quietFacts({ clients: { workgroup: null } }));
    expect(finding).toEqual({
      rule: 'T-RULE',
      severity: 'no-go',
      subject: 'T-RULE',
      message: 'unknown clients',
      evidence: ['plan:clients'],
    });
  });
});

describe('rule engine: three-valued logic', () => {
  const notGathered = quietFacts({ clients: { workgroup: null } });
  const unknownTest = '{ fact: clients.workgroup, gt: 0 }';

  it('turns a comparison on a fact not gathered into an incomplete finding naming it', () => {
    expect(findingsOf(`when: ${unknownTest}\nmessage: m`, notGathered)).toEqual([
      {
        rule: 'T-RULE',
        severity: 'incomplete',
        subject: 'T-RULE',
        message: 'Test rule T-RULE could not be decided: clients.workgroup not gathered',
        evidence: [],
      },
    ]);
  });

  it.each([
    [`{ all: [${unknownTest}, { fact: change.http.candidate, eq: 1 }] }`, false],
    [`{ all: [${unknownTest}, { fact: change.http.candidate, eq: 8080 }] }`, 'incomplete'],
    [`{ any: [${unknownTest}, { fact: change.http.candidate, eq: 8080 }] }`, true],
    [`{ any: [${unknownTest}, { fact: change.http.candidate, eq: 1 }] }`, 'incomplete'],
    [`{ not: ${unknownTest} }`, 'incomplete'],
    ['{ fact: change.http.candidate, gt: { fact: clients.workgroup } }', 'incomplete'],
    ['{ fact: clients.workgroup, exists: false }', true],
  ])('%s → %s', (when, expected) => {
    expect(fires(when, notGathered)).toBe(expected);
  });

  it('decides a count with undecided items only when every possible count agrees', () => {
    const servers = [
      { host: 'a', excluded: [] },
      { host: 'b', excluded: null },
    ];
    const facts = quietFacts({ servers });
    const count = '{ count: { each: servers, as: s, where: { fact: s.excluded, exists: true } }';
    const withRange = (op: string) =>
      `{ count: { each: servers, as: s, where: { some: { each: s.excluded, as: r, where: { fact: r.start, ge: 0 } } } }, ${op} }`;
    expect(fires(`${count}, eq: 1 }`, facts)).toBe(true);
    // "a" has no range (false), "b" is undecided: the count is 0 or 1.
    expect(fires(withRange('le: 1'), facts)).toBe(true);
    expect(fires(withRange('gt: 1'), facts)).toBe(false);
    expect(fires(withRange('eq: 1'), facts)).toBe('incomplete');
  });

  it('names the rule as the subject when a for list was not gathered, and the subject otherwise', () => {
    const body = `for: [{ each: servers, as: s }, { each: s.excluded, as: r }]
when: { fact: r.start, lt: 1024 }
subject: "{s.host}"
message: m`;
    const facts = quietFacts({ servers: [{ host: 'mp01', excluded: null }] });
    expect(findingsOf(body, facts)).toMatchObject([
      {
        severity: 'incomplete',
        subject: 'T-RULE',
        message: expect.stringMatching(/s\.excluded not gathered$/),
      },
    ]);
    const perServer = `for: { each: servers, as: s }
when: { some: { each: s.excluded, as: r, where: { fact: r.start, lt: 1024 } } }
subject: "{s.host}"
message: m`;
    expect(findingsOf(perServer, facts)).toMatchObject([{ severity: 'incomplete', subject: 'mp01' }]);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SEVERITIES, type Finding, type Severity } from '../../src/rules/index.js';
import { applyWaivers, VERDICTS, type Waiver } from '../../src/verdict/index.js';

const TODAY = new Date('2026-11-25T10:00:00Z');

function finding(rule: string, severity: Severity, subject = 'mp01.corp.example:tcp/8080'): Finding {
  return { rule, severity, subject, message: `${rule} on ${subject}`, evidence: [] };
}

function waiver(rule: string, overrides: Partial<Waiver> = {}): Waiver {
  return {
    rule,
    reason: 'Accepted by the change board',
    owner: 'j.doe',
    expires: '2026-12-31',
    ...overrides,
  };
}

const binding = finding('IIS-BINDING-CONFLICT', 'no-go');
const shared = finding('IIS-DEFAULT-WEB-SITE-SHARED', 'condition', 'mp01.corp.example:Default Web Site');
const offline = finding('PF-OFFLINE', 'incomplete', 'scan');
const evidence = finding('EV-EVIDENCE-INCOMPLETE', 'info', 'mp01.corp.example:evidence');

describe('applyWaivers', () => {
  it.each([
    ['no waiver', [binding, shared], [], 'no-go', 'no-go'],
    ['the no-go waived', [binding, shared], [waiver(binding.rule)], 'conditional', 'no-go'],
    ['both waived', [binding, shared], [waiver(binding.rule), waiver(shared.rule)], 'go', 'no-go'],
    [
      'an incomplete finding is never waived',
      [offline, shared],
      [waiver(offline.rule)],
      'incomplete',
      'incomplete',
    ],
    [
      'waiving the no-go leaves what is incomplete',
      [binding, offline],
      [waiver(binding.rule)],
      'incomplete',
      'no-go',
    ],
  ] as const)('%s', (_, findings, waivers, verdict, verdictWithoutWaivers) => {
    const result = applyWaivers(findings, waivers, TODAY);
    expect(result.verdict).toBe(verdict);
    expect(result.verdictWithoutWaivers).toBe(verdictWithoutWaivers);
  });

  it('marks the findings an active waiver accepts, leaves the rest and does not change its input', () => {
    const findings = [binding, shared];
    const result = applyWaivers(findings, [waiver(binding.rule, { subject: binding.subject })], TODAY);
    expect(result.findings).toEqual([
      {
        ...binding,
        waived: { reason: 'Accepted by the change board', owner: 'j.doe', expires: '2026-12-31' },
      },
      shared,
    ]);
    expect(findings[0]).not.toHaveProperty('waived');
    expect(result.waivers).toEqual([
      {
        waiver: waiver(binding.rule, { subject: binding.subject }),
        status: 'active',
        matched: 1,
        notWaivable: { incomplete: 0, info: 0 },
      },
    ]);
  });

  it.each([
    ['on its expiry date (UTC)', '2026-11-25', 'active', 'conditional'],
    ['the day after its expiry date', '2026-11-24', 'expired', 'no-go'],
  ] as const)('applies a waiver %s', (_, expires, status, verdict) => {
    const result = applyWaivers([binding, shared], [waiver(binding.rule, { expires })], TODAY);
    expect(result.waivers[0]).toMatchObject({ status, matched: 1 });
    expect(result.verdict).toBe(verdict);
    expect(result.findings[0]?.waived === undefined).toBe(status === 'expired');
  });

  it('compares dates in UTC, whatever the time of day', () => {
    const lateOnExpiryDay = new Date('2026-11-25T23:59:59.999Z');
    const justAfter = new Date('2026-11-26T00:00:00.000Z');
    const expiring = [waiver(binding.rule, { expires: '2026-11-25' })];
    expect(applyWaivers([binding], expiring, lateOnExpiryDay).verdict).toBe('go');
    expect(applyWaivers([binding], expiring, justAfter).verdict).toBe('no-go');
  });

  it('lists a waiver that matched nothing as unused', () => {
    const result = applyWaivers(
      [binding],
      [waiver('WIN-EXCLUDED-PORT'), waiver(binding.rule, { subject: 'dp02.corp.example:*' })],
      TODAY,
    );
    expect(result.waivers.map((outcome) => [outcome.status, outcome.matched])).toEqual([
      ['unused', 0],
      ['unused', 0],
    ]);
    expect(result.verdict).toBe('no-go');
  });

  it.each([
    ['mp01.corp.example:tcp/*', true],
    ['*:tcp/8080', true],
    ['*', true],
    ['mp01.corp.example:tcp/8080', true],
    ['mp01.corp.example:tcp/808', false],
    ['MP01.corp.example:tcp/8080', false],
    ['mp01.corp?example:tcp/8080', false],
    ['mp01*8443', false],
  ])('matches the subject glob %s: %s', (subject, matches) => {
    const result = applyWaivers([binding], [waiver(binding.rule, { subject })], TODAY);
    expect(result.findings[0]?.waived !== undefined).toBe(matches);
  });

  it('never waives info or incomplete findings, and counts them apart', () => {
    const result = applyWaivers([offline, evidence], [waiver(offline.rule), waiver(evidence.rule)], TODAY);
    expect(result.findings.every((f) => f.waived === undefined)).toBe(true);
    expect(result.waivers.map((outcome) => [outcome.status, outcome.notWaivable])).toEqual([
      ['unused', { incomplete: 1, info: 0 }],
      ['unused', { incomplete: 0, info: 1 }],
    ]);
  });

  it('gives a finding the first active waiver that names it, and counts it for every one', () => {
    const result = applyWaivers(
      [binding],
      [
        waiver(binding.rule, { expires: '2026-01-01', owner: 'expired' }),
        waiver(binding.rule, { owner: 'first' }),
        waiver(binding.rule, { subject: '*:tcp/8080', owner: 'second' }),
      ],
      TODAY,
    );
    expect(result.findings[0]?.waived?.owner).toBe('first');
    expect(result.waivers.map((outcome) => [outcome.status, outcome.matched])).toEqual([
      ['expired', 1],
      ['active', 1],
      ['active', 1],
    ]);
  });
});

describe('applyWaivers properties', () => {
  const arbitraryFinding = fc.record({
    rule: fc.constantFrom('A-RULE', 'B-RULE', 'C-RULE'),
    severity: fc.constantFrom(...SEVERITIES),
    subject: fc.constantFrom('mp01:tcp/8080', 'mp01:tcp/8443', 'dp02:tcp/8080'),
  });
  const arbitraryWaiver = fc.record({
    rule: fc.constantFrom('A-RULE', 'B-RULE', 'C-RULE'),
    subject: fc.option(fc.constantFrom('mp01:*', '*:tcp/8080', 'dp02:tcp/8080'), { nil: undefined }),
    expires: fc.constantFrom('2026-11-24', '2026-11-25', '2027-01-01'),
  });
  const toFinding = (f: { rule: string; severity: Severity; subject: string }) =>
    finding(f.rule, f.severity, f.subject);
  const toWaiver = (w: { rule: string; subject: string | undefined; expires: string }) =>
    waiver(
      w.rule,
      w.subject === undefined ? { expires: w.expires } : { subject: w.subject, expires: w.expires },
    );

  it('never improves the verdict when a finding is added', () => {
    fc.assert(
      fc.property(
        fc.array(arbitraryFinding),
        arbitraryFinding,
        fc.array(arbitraryWaiver, { maxLength: 4 }),
        (existing, added, waivers) => {
          const waiverList = waivers.map(toWaiver);
          const before = applyWaivers(existing.map(toFinding), waiverList, TODAY);
          const after = applyWaivers([...existing, added].map(toFinding), waiverList, TODAY);
          expect(VERDICTS.indexOf(after.verdict)).toBeGreaterThanOrEqual(VERDICTS.indexOf(before.verdict));
        },
      ),
    );
  });

  it('never makes the verdict worse than without waivers, nor better than incomplete when facts are missing', () => {
    fc.assert(
      fc.property(
        fc.array(arbitraryFinding),
        fc.array(arbitraryWaiver, { maxLength: 4 }),
        (found, waivers) => {
          const result = applyWaivers(found.map(toFinding), waivers.map(toWaiver), TODAY);
          expect(VERDICTS.indexOf(result.verdict)).toBeLessThanOrEqual(
            VERDICTS.indexOf(result.verdictWithoutWaivers),
          );
          if (found.some((f) => f.severity === 'incomplete')) {
            expect(VERDICTS.indexOf(result.verdict)).toBeGreaterThanOrEqual(VERDICTS.indexOf('incomplete'));
          }
        },
      ),
    );
  });
});

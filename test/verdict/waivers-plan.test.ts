import { describe, expect, it } from 'vitest';
import { problemsOf } from '../support/plan-problems.js';
import { loadPlanFile, parsePlanText } from '../../src/plan/index.js';

const PLAN = `portflight: 1
hierarchy:
  primarySites:
    - siteCode: P01
      systems: [{ host: mp01.corp.example, roles: [management-point] }]
change:
  clientRequest:
    http: { current: 80, candidate: 8080 }
waivers:
  - rule: IIS-BINDING-CONFLICT
    subject: mp01.corp.example:tcp/*
    reason: The old site is removed in the same change
    owner: IIS team
    expires: 2027-03-31
`;

describe('waivers in the plan', () => {
  it('reads them, unquoted date and all, and defaults to none', () => {
    expect(parsePlanText(PLAN, 'plan.yaml').waivers).toEqual([
      {
        rule: 'IIS-BINDING-CONFLICT',
        subject: 'mp01.corp.example:tcp/*',
        reason: 'The old site is removed in the same change',
        owner: 'IIS team',
        expires: '2027-03-31',
      },
    ]);
    expect(parsePlanText(PLAN.split('waivers:')[0] ?? '', 'plan.yaml').waivers).toEqual([]);
  });

  it('accepts the sample plan with waivers', async () => {
    const { plan } = await loadPlanFile('samples/plans/with-waivers.yaml');
    expect(plan.waivers.map((waiver) => waiver.rule)).toEqual([
      'IIS-DEFAULT-WEB-SITE-SHARED',
      'CM-CLIENTS-MUST-REINSTALL',
      'WIN-DYNAMIC-PORT',
    ]);
  });

  it.each([
    [
      'a date that does not exist',
      PLAN.replace('2027-03-31', '2027-02-30'),
      ['plan.yaml:14:14: waivers[0].expires: must be a date written YYYY-MM-DD'],
    ],
    [
      'a date in another format',
      PLAN.replace('2027-03-31', '31/03/2027'),
      ['plan.yaml:14:14: waivers[0].expires: must be a date written YYYY-MM-DD'],
    ],
    [
      'a date with a time',
      PLAN.replace('2027-03-31', '2027-03-31T12:00:00Z'),
      ['plan.yaml:14:14: waivers[0].expires: must be a date written YYYY-MM-DD'],
    ],
    [
      'a blank reason',
      PLAN.replace('The old site is removed in the same change', '"  "'),
      ['plan.yaml:12:13: waivers[0].reason: the reason must not be blank'],
    ],
    [
      'a missing owner, at the waiver',
      PLAN.replace('    owner: IIS team\n', ''),
      ['plan.yaml:10:5: waivers[0].owner: required key is missing'],
    ],
    [
      'a lower-case rule id',
      PLAN.replace('rule: IIS-BINDING-CONFLICT', 'rule: iis-binding-conflict'),
      ['plan.yaml:10:11: waivers[0].rule: must be a rule id, e.g. IIS-DEFAULT-WEB-SITE-SHARED'],
    ],
    [
      'an unknown key, at the key',
      PLAN.replace('    owner: IIS team\n', '    owner: IIS team\n    approvedBy: CAB\n'),
      ['plan.yaml:14:5: waivers[0].approvedBy: unknown key "approvedBy"'],
    ],
  ])('rejects %s with file:line:col', (_name, text, expected) => {
    expect(problemsOf(text)).toEqual(expected);
  });
});

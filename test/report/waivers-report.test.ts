import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildAdhocSpec } from '../../src/plan/index.js';
import { buildReport, REPORT_RENDERERS, sealReport } from '../../src/report/index.js';
import type { Finding } from '../../src/rules/index.js';
import { applyWaivers, type Waiver } from '../../src/verdict/index.js';
import { reportInput } from '../support/report-input.js';

const spec = buildAdhocSpec({ hosts: ['mp01.corp.example'], http: 8080 });
const TODAY = new Date('2026-11-25T10:00:00Z');

const binding: Finding = {
  rule: 'IIS-BINDING-CONFLICT',
  severity: 'no-go',
  message: 'Candidate HTTP port 8080 on mp01.corp.example is already bound by IIS site "Intranet".',
  subject: 'mp01.corp.example:tcp/8080',
  remediation: 'Move site "Intranet" off port 8080.',
  evidence: ['bundle/applicationHost.config:170'],
};
const offline: Finding = {
  rule: 'PF-OFFLINE',
  severity: 'incomplete',
  message: 'Offline analysis: no probe was sent.',
  subject: 'scan',
  evidence: [],
};
const accepted: Waiver = {
  rule: 'IIS-BINDING-CONFLICT',
  subject: 'mp01.corp.example:tcp/*',
  reason: 'The Intranet site is removed in the same change',
  owner: 'IIS team',
  expires: '2026-12-31',
};

function reportWith(findings: readonly Finding[], waivers: readonly Waiver[]) {
  const result = applyWaivers(findings, waivers, TODAY);
  return buildReport(
    reportInput(spec, {
      startedAt: TODAY,
      finishedAt: TODAY,
      offline: true,
      findings: result.findings,
      verdict: result.verdict,
      verdictWithoutWaivers: result.verdictWithoutWaivers,
      waivers: result.waivers,
    }),
  );
}

describe('report: waivers', () => {
  it('gives the verdict with waivers, then the one without, and marks the waived finding last', () => {
    const report = reportWith([binding, offline], [accepted]);
    expect(report.verdict).toBe('incomplete');
    expect(report.verdictWithoutWaivers).toBe('no-go');
    expect(Object.keys(report).slice(2, 5)).toEqual(['verdict', 'verdictWithoutWaivers', 'counts']);
    expect(Object.keys(report).at(-1)).toBe('waivers');
    // Counts stay those of every finding: a waiver accepts a finding, it does not hide it.
    expect(report.counts).toEqual({ 'no-go': 1, incomplete: 1, condition: 0, info: 0 });
    expect(report.findings[0]).toEqual({
      ...binding,
      waived: {
        reason: 'The Intranet site is removed in the same change',
        owner: 'IIS team',
        expires: '2026-12-31',
      },
    });
    expect(Object.keys(report.findings[0] ?? {}).at(-1)).toBe('waived');
    expect(report.findings[1]).not.toHaveProperty('waived');
  });

  it('lists every waiver with its status and matches, and says why incomplete findings were left', () => {
    const report = reportWith(
      [binding, offline],
      [
        accepted,
        { ...accepted, subject: undefined, expires: '2026-11-24', owner: 'last year' },
        {
          rule: 'WIN-EXCLUDED-PORT',
          reason: 'Hyper-V is removed',
          owner: 'Windows team',
          expires: '2027-01-31',
        },
        { rule: 'PF-OFFLINE', reason: 'We know', owner: 'ops', expires: '2027-01-31' },
      ],
    );
    expect(report.waivers).toEqual([
      {
        rule: 'IIS-BINDING-CONFLICT',
        subject: 'mp01.corp.example:tcp/*',
        reason: 'The Intranet site is removed in the same change',
        owner: 'IIS team',
        expires: '2026-12-31',
        status: 'active',
        matched: 1,
      },
      {
        rule: 'IIS-BINDING-CONFLICT',
        subject: null,
        reason: 'The Intranet site is removed in the same change',
        owner: 'last year',
        expires: '2026-11-24',
        status: 'expired',
        matched: 1,
      },
      {
        rule: 'WIN-EXCLUDED-PORT',
        subject: null,
        reason: 'Hyper-V is removed',
        owner: 'Windows team',
        expires: '2027-01-31',
        status: 'unused',
        matched: 0,
      },
      {
        rule: 'PF-OFFLINE',
        subject: null,
        reason: 'We know',
        owner: 'ops',
        expires: '2027-01-31',
        status: 'unused',
        matched: 0,
        note: '1 incomplete finding(s) of PF-OFFLINE cannot be waived: missing facts must be gathered, not accepted',
      },
    ]);
  });

  it('has an empty waiver list and the same verdict twice when there are none (ad-hoc check)', () => {
    const report = reportWith([binding], []);
    expect(report.waivers).toEqual([]);
    expect(report.verdictWithoutWaivers).toBe(report.verdict);
  });

  it.each([
    ['yaml', REPORT_RENDERERS.yaml],
    ['json', REPORT_RENDERERS.json],
  ])('renders the waiver fields in %s', (format, render) => {
    const report = reportWith([binding, offline], [accepted]);
    const text = render(report);
    expect(format === 'json' ? JSON.parse(text) : parse(text)).toEqual(
      JSON.parse(JSON.stringify(sealReport(report))),
    );
  });

  it.each([
    ['markdown', REPORT_RENDERERS.markdown],
    ['html', REPORT_RENDERERS.html],
  ])('shows each waiver with owner, expiry and status in %s', (_format, render) => {
    const report = reportWith([binding, offline], [accepted]);
    const text = render(report);
    for (const waiver of report.waivers) {
      expect(text).toContain(waiver.owner);
      expect(text).toContain(waiver.expires);
      expect(text).toContain(waiver.status);
    }
  });
});

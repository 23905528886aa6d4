import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAdhocSpec } from '../../src/plan/index.js';
import { mergeReports, parseReportText, REPORT_RENDERERS, type Report } from '../../src/report/index.js';
import type { ReportSource } from '../../src/report/read-report.js';
import { UserError } from '../../src/shared/errors.js';
import { ExitCode } from '../../src/shared/exit-codes.js';
import { VERDICTS } from '../../src/verdict/index.js';
import { MERGE_SPEC, vantageReport, type VantagePorts } from '../support/vantage-reports.js';

const TODAY = new Date('2026-03-03T08:00:00Z');
const OPTIONS = { allowDifferentPlans: false, today: TODAY, toolVersion: 'test' };
const source = (file: string, report: Report): ReportSource => ({ file, report });
const rank = (verdict: Report['verdict']) => VERDICTS.indexOf(verdict);

const branch = vantageReport({ hostname: 'branch-ws01' });
const dmz = vantageReport({
  hostname: 'dmz-ws07',
  ports: { '8080': 'filtered' },
  blockedBy: '198.18.5.1',
  startedAt: '2026-03-02T09:05:00Z',
});

function refusal(run: () => unknown): UserError {
  try {
    run();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected the merge to be refused');
}

describe('merge: one report of one plan from several vantage points', () => {
  it('is no-go when one vantage point is blocked, though the other alone would not be', () => {
    expect(rank(branch.verdict)).toBeLessThan(rank('no-go'));
    expect(dmz.verdict).toBe('no-go');
    const merged = mergeReports([source('branch.json', branch), source('dmz.json', dmz)], OPTIONS);
    expect(merged.verdict).toBe('no-go');
    expect(merged.vantages?.map((v) => [v.name, v.verdict])).toEqual([
      ['branch-ws01', branch.verdict],
      ['dmz-ws07', 'no-go'],
    ]);
    // Each probe keeps who sent it: the matrix gets a column per vantage point.
    expect(merged.probes).toHaveLength(branch.probes.length + dmz.probes.length);
    const port8080 = merged.probes.filter((probe) => probe.port === 8080);
    expect(port8080.map((probe) => [probe.vantage, probe.state, probe.blockedBy ?? null])).toEqual([
      ['branch-ws01', 'open', null],
      ['dmz-ws07', 'filtered', '198.18.5.1'],
    ]);
    const blocked = merged.findings.find((finding) => finding.rule === 'PF-CANDIDATE-BLOCKED');
    expect(blocked?.vantages).toEqual(['dmz-ws07']);
    // A finding both runs made word for word is one finding naming both.
    const shared = merged.findings.filter((finding) => finding.vantages?.length === 2);
    expect(shared.length).toBeGreaterThan(0);
    expect(merged.counts['no-go']).toBe(merged.findings.filter((f) => f.severity === 'no-go').length);
    expect(merged.scan).toMatchObject({ complete: true, phase: 'preflight', probes: merged.probes.length });
    expect(merged.startedAt).toBe(branch.startedAt);
    expect(merged.finishedAt).toBe(dmz.finishedAt);
    expect(merged.vantage.hostname).toBe('branch-ws01, dmz-ws07');
    expect(merged.remediation.firewallRules.map((rule) => [rule.port, rule.blockedBy])).toEqual([
      [8080, '198.18.5.1'],
    ]);
  });

  it('is never more optimistic than its worst input, whatever each vantage point saw', () => {
    const state = fc.constantFrom('open', 'closed', 'filtered' as const);
    const ports = fc.record({
      '80': state,
      '443': state,
      '8080': state,
      '8443': state,
    }) as fc.Arbitrary<VantagePorts>;
    fc.assert(
      fc.property(ports, ports, fc.boolean(), (a, b, complete) => {
        const one = vantageReport({ hostname: 'a', ports: a });
        const two = vantageReport({ hostname: 'b', ports: b, complete });
        const merged = mergeReports([source('a', one), source('b', two)], OPTIONS);
        expect(rank(merged.verdict)).toBeGreaterThanOrEqual(Math.max(rank(one.verdict), rank(two.verdict)));
        if (!complete) expect(['incomplete', 'no-go']).toContain(merged.verdict);
        expect(merged.scan.complete).toBe(complete);
      }),
      { numRuns: 60 },
    );
  });

  it('keeps an interrupted run incomplete after the merge', () => {
    const partial = vantageReport({
      hostname: 'vpn-ws02',
      complete: false,
      startedAt: '2026-03-02T10:00:00Z',
    });
    expect(partial.verdict).toBe('incomplete');
    const merged = mergeReports([source('branch', branch), source('vpn', partial)], OPTIONS);
    expect(merged.verdict).toBe('incomplete');
    expect(merged.scan).toMatchObject({ complete: false, interruption: 'deadline' });
  });

  it('re-applies the plan waivers as of the day of the merge', () => {
    const waiver = {
      rule: 'PF-CANDIDATE-BLOCKED',
      subject: 'mp01.corp.example:tcp/8080',
      reason: 'The DMZ rule is opened in the same change window',
      owner: 'Network team',
      expires: '2099-12-31',
    };
    const waivedDmz = vantageReport({ ...DMZ_OPTIONS, waivers: [waiver] });
    const waivedBranch = vantageReport({ hostname: 'branch-ws01', waivers: [waiver] });
    const inputs = [source('branch', waivedBranch), source('dmz', waivedDmz)];
    const now = mergeReports(inputs, OPTIONS);
    expect(now.verdict).toBe(waivedDmz.verdict);
    expect(now.verdict).not.toBe('no-go');
    expect(now.waivers).toMatchObject([{ rule: 'PF-CANDIDATE-BLOCKED', status: 'active', matched: 1 }]);
    const later = mergeReports(inputs, { ...OPTIONS, today: new Date('2100-01-01T00:00:00Z') });
    expect(later.verdict).toBe('no-go');
    expect(later.waivers).toMatchObject([{ status: 'expired' }]);
    // A waiver only one run's plan carries is not stretched to the other runs.
    const loose = mergeReports([source('branch', branch), source('dmz', waivedDmz)], {
      ...OPTIONS,
      allowDifferentPlans: true,
    });
    expect(loose.verdict).toBe('no-go');
  });

  it('refuses runs of another plan unless asked, and runs of another change always', () => {
    const otherPlan = vantageReport({
      hostname: 'branch-ws02',
      spec: { ...MERGE_SPEC, source: { ...MERGE_SPEC.source, sha256: 'f'.repeat(64) } },
    });
    const error = refusal(() =>
      mergeReports([source('a.json', branch), source('b.json', otherPlan)], OPTIONS),
    );
    expect(error.exitCode).toBe(ExitCode.invalidInput);
    expect(error.message).toMatch(/^b\.json: another plan than a\.json .*--allow-different-plans$/);
    const allowed = mergeReports([source('a', branch), source('b', otherPlan)], {
      ...OPTIONS,
      allowDifferentPlans: true,
    });
    expect(allowed.vantages?.map((v) => v.planSha256)).toEqual([branch.plan.sha256, 'f'.repeat(64)]);

    const otherChange = vantageReport({
      hostname: 'branch-ws03',
      spec: buildAdhocSpec({ hosts: ['mp01.corp.example'], http: 8081, https: 8443, customWebsite: false }),
    });
    expect(
      refusal(() =>
        mergeReports([source('a', branch), source('c', otherChange)], {
          ...OPTIONS,
          allowDifferentPlans: true,
        }),
      ).message,
    ).toMatch(/another change/);
  });

  it('refuses runs that did not probe the same ports, the same run twice, and merged reports', () => {
    const fewer = vantageReport({ hostname: 'x' });
    const cut: Report = { ...fewer, probes: fewer.probes.filter((probe) => probe.port !== 8443) };
    expect(
      refusal(() =>
        mergeReports(
          [source('a', branch), source('cut', { ...cut, scan: { ...cut.scan, probes: cut.probes.length } })],
          {
            ...OPTIONS,
            allowDifferentPlans: true,
          },
        ),
      ).message,
    ).toMatch(/^cut: has no probe of "mp01\.corp\.example" tcp\/8443, which a probed/);
    expect(refusal(() => mergeReports([source('a', branch), source('b', branch)], OPTIONS)).message).toMatch(
      /^b: the same run as a/,
    );
    const merged = mergeReports([source('a', branch), source('d', dmz)], OPTIONS);
    expect(refusal(() => mergeReports([source('m', merged), source('a', branch)], OPTIONS)).message).toMatch(
      /already a merged report/,
    );
  });

  it('names a second run from the same host apart', () => {
    const again = vantageReport({ hostname: 'branch-ws01', startedAt: '2026-03-02T11:00:00Z' });
    const merged = mergeReports([source('a', branch), source('b', again)], OPTIONS);
    expect(merged.vantages?.map((v) => v.name)).toEqual(['branch-ws01#1', 'branch-ws01#2']);
  });

  it('writes a report that reads back as the same model, in YAML and in JSON', () => {
    const merged = mergeReports([source('branch', branch), source('dmz', dmz)], OPTIONS);
    for (const format of ['yaml', 'json'] as const) {
      expect(parseReportText(REPORT_RENDERERS[format](merged), `merged.${format}`).report).toEqual(merged);
    }
  });
});

const DMZ_OPTIONS = {
  hostname: 'dmz-ws07',
  ports: { '8080': 'filtered' },
  blockedBy: '198.18.5.1',
  startedAt: '2026-03-02T09:05:00Z',
} as const;

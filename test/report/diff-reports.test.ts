import { describe, expect, it } from 'vitest';
import { diffReports, DIFF_RENDERERS, parseReportText, REPORT_RENDERERS } from '../../src/report/index.js';
import { InputError } from '../../src/shared/errors.js';
import { MERGE_SPEC, vantageReport } from '../support/vantage-reports.js';

const FILES = { old: 'before.yaml', new: 'after.yaml' };
const before = vantageReport({
  hostname: 'dmz-ws07',
  ports: { '8080': 'filtered' },
  blockedBy: '198.18.5.1',
});
const after = vantageReport({ hostname: 'dmz-ws07', startedAt: '2026-03-09T09:00:00Z' });

describe('diff: what changed between two runs', () => {
  it('finds nothing between a run and itself, or a rerun that saw the same', () => {
    const rerun = vantageReport({
      hostname: 'dmz-ws07',
      ports: { '8080': 'filtered' },
      blockedBy: '198.18.5.1',
      startedAt: '2026-03-02T12:00:00Z',
    });
    for (const other of [before, rerun]) {
      const diff = diffReports(before, other, FILES);
      expect(diff).toMatchObject({ changed: false, verdictChanged: false, probes: [], findings: [] });
      expect(DIFF_RENDERERS.text(diff)).toMatch(/no change in probes, findings or verdict\n$/);
    }
  });

  it('names the probe, finding and verdict that changed once the firewall rule was opened', () => {
    const diff = diffReports(before, after, FILES);
    expect(diff.changed).toBe(true);
    expect(diff.verdictChanged).toBe(true);
    expect(diff.planChanged).toBe(false);
    expect(diff.probes).toEqual([
      {
        target: 'mp01.corp.example',
        address: '198.18.2.2',
        protocol: 'tcp',
        port: 8080,
        vantage: null,
        old: { state: 'filtered', reason: 'no-response', blockedBy: '198.18.5.1' },
        new: { state: 'open', reason: 'syn-ack', blockedBy: null },
      },
    ]);
    expect(diff.findings).toMatchObject([
      {
        rule: 'PF-CANDIDATE-BLOCKED',
        subject: 'mp01.corp.example:tcp/8080',
        old: { severity: 'no-go' },
        new: null,
      },
    ]);
    const text = DIFF_RENDERERS.text(diff);
    expect(text).toMatch(/^verdict: NO-GO → CONDITIONAL\n/);
    expect(text).toContain(
      '  ~ mp01.corp.example (198.18.2.2) tcp/8080: filtered (no-response, blocked by 198.18.5.1) → open (syn-ack)',
    );
    expect(text).toMatch(
      / {2}- PF-CANDIDATE-BLOCKED mp01\.corp\.example:tcp\/8080 \(no-go\): Candidate HTTP port 8080/,
    );
  });

  it('tells a severity change from a finding added, and states it the other way round', () => {
    const back = diffReports(after, before, FILES);
    expect(back.findings).toMatchObject([
      { rule: 'PF-CANDIDATE-BLOCKED', old: null, new: { severity: 'no-go' } },
    ]);
    const relabelled = {
      ...after,
      findings: after.findings.map((finding) => ({ ...finding, severity: 'no-go' as const })),
    };
    expect(diffReports(after, relabelled, FILES).findings).toMatchObject([
      { rule: 'CM-ENHANCED-HTTP-443', old: { severity: 'condition' }, new: { severity: 'no-go' } },
    ]);
    expect(DIFF_RENDERERS.text(diffReports(after, relabelled, FILES))).toMatch(/\(condition → no-go\)/);
  });

  it('writes JSON that parses back to the diff, the same text every time', () => {
    const diff = diffReports(before, after, FILES);
    const json = DIFF_RENDERERS.json(diff);
    expect(JSON.parse(json)).toEqual(diff);
    expect(DIFF_RENDERERS.json(diffReports(before, after, FILES))).toBe(json);
    expect(Object.keys(JSON.parse(json) as object)).toEqual([
      'old',
      'new',
      'changed',
      'verdictChanged',
      'planChanged',
      'probes',
      'findings',
    ]);
  });

  it('says when the plan itself changed', () => {
    const edited = vantageReport({
      hostname: 'dmz-ws07',
      spec: { ...MERGE_SPEC, source: { ...MERGE_SPEC.source, sha256: 'a'.repeat(64) } },
    });
    expect(DIFF_RENDERERS.text(diffReports(after, edited, FILES))).toMatch(/plan: changed \(sha256 /);
  });
});

describe('reading a report back', () => {
  const problemOf = (text: string, file = 'r.yaml') => {
    try {
      parseReportText(text, file);
    } catch (error) {
      if (error instanceof InputError) return error.message;
      throw error;
    }
    throw new Error('expected the report to be refused');
  };

  it('refuses a report whose verdict was edited, at the line of the verdict', () => {
    const yaml = REPORT_RENDERERS.yaml(before).replace(/^verdict: no-go$/m, 'verdict: go');
    expect(problemOf(yaml)).toBe(
      "r.yaml:5:10: verdict: go does not follow from the report's findings (no-go): the report was edited or is damaged",
    );
  });

  it('refuses counts and probe totals that do not match, and what is not a report, with positions', () => {
    const json = REPORT_RENDERERS.json(before);
    expect(problemOf(json.replace('"no-go": 1', '"no-go": 0'), 'r.json')).toMatch(
      /^r\.json:\d+:\d+: counts\.no-go: 0, but the report holds 1 such finding/,
    );
    expect(problemOf('portflight: 1\nverdict: maybe\n')).toMatch(
      /^r\.yaml:1:1: tool: required key is missing$/,
    );
    expect(problemOf(REPORT_RENDERERS.yaml(before).replace(/^verdict: no-go$/m, 'verdict: maybe'))).toMatch(
      /^r\.yaml:5:10: verdict: Invalid option/,
    );
    expect(problemOf('name: a plan\n')).toMatch(/^r\.yaml:1:1: portflight: /);
    expect(problemOf('{ "portflight": 1, ')).toMatch(/^r\.yaml:1:\d+: /);
    const cut = REPORT_RENDERERS.yaml(before).replace(/^ {4}state: filtered$/m, '    state: blocked');
    expect(problemOf(cut)).toMatch(/^r\.yaml:\d+:12: probes\[\d\]\.state: /);
  });
});

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPORT_RENDERERS, sealReport, type Report } from '../../src/report/index.js';
import { runCli } from '../support/cli.js';
import { MERGE_SPEC, vantageReport } from '../support/vantage-reports.js';

let dir: string;
const path = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'portflight-merge-'));
  const branch = vantageReport({ hostname: 'branch-ws01' });
  const dmz = vantageReport({ hostname: 'dmz-ws07', ports: { '8080': 'filtered' }, blockedBy: '198.18.5.1' });
  const other = vantageReport({
    hostname: 'lab-ws01',
    spec: { ...MERGE_SPEC, source: { ...MERGE_SPEC.source, sha256: 'e'.repeat(64) } },
  });
  await writeFile(path('branch.yaml'), REPORT_RENDERERS.yaml(branch));
  await writeFile(path('dmz.json'), REPORT_RENDERERS.json(dmz));
  await writeFile(path('other.yaml'), REPORT_RENDERERS.yaml(other));
  await writeFile(path('plan.yaml'), 'name: not a report\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('portflight merge and diff (built CLI)', () => {
  it('merges a YAML and a JSON report into one no-go report, exit 2', async () => {
    const run = await runCli([
      'merge',
      path('branch.yaml'),
      path('dmz.json'),
      '--format',
      'json',
      '-o',
      path('m.json'),
    ]);
    expect(run.stderr).toMatch(
      /^portflight: NO-GO — 8 probes; 1 no-go.*; merged from branch-ws01 CONDITIONAL, dmz-ws07 NO-GO \(report: .*m\.json\)\n$/,
    );
    expect(run.code).toBe(2);
    const merged = JSON.parse(await readFile(path('m.json'), 'utf8')) as Report;
    expect(merged.vantages?.map((v) => v.name)).toEqual(['branch-ws01', 'dmz-ws07']);
    expect(new Set(merged.probes.map((probe) => probe.vantage))).toEqual(
      new Set(['branch-ws01', 'dmz-ws07']),
    );
    // The merged report is a report: diff reads it.
    const same = await runCli(['diff', path('m.json'), path('m.json')]);
    expect([same.code, same.stderr]).toEqual([0, '']);
  });

  it('takes sealed reports as they were sealed, and refuses one edited after (exit 65)', async () => {
    const sealed = REPORT_RENDERERS.yaml(sealReport(vantageReport({ hostname: 'vpn-ws02' })));
    await writeFile(path('sealed.yaml'), sealed);
    const taken = await runCli(['merge', path('branch.yaml'), path('sealed.yaml'), '-f', 'json']);
    expect(taken.code).toBe(1); // conditional, as each run alone
    // A probe's round trip edited: verdict and counts still follow from the findings, the seal does not.
    const edited = sealed.replace(
      /rttMs: (\d)/,
      (_all, digit: string) => `rttMs: ${(Number(digit) + 1) % 10}`,
    );
    expect(edited).not.toBe(sealed);
    await writeFile(path('edited.yaml'), edited);
    const refused = await runCli(['merge', path('branch.yaml'), path('edited.yaml')]);
    expect(refused.code).toBe(65);
    expect(refused.stderr).toMatch(/edited\.yaml.*merge takes reports only as they were sealed/);
    expect(refused.stdout).toBe('');
  });

  it('refuses another plan (exit 65) unless --allow-different-plans, and what is not a report', async () => {
    const refused = await runCli(['merge', path('branch.yaml'), path('other.yaml')]);
    expect(refused.code).toBe(65);
    expect(refused.stderr).toMatch(
      /^portflight: .*other\.yaml: another plan than .*branch\.yaml .*--allow-different-plans\n$/,
    );
    const allowed = await runCli([
      'merge',
      path('branch.yaml'),
      path('other.yaml'),
      '--allow-different-plans',
    ]);
    expect(allowed.code).toBe(1);
    expect((parse(allowed.stdout) as Report).vantages).toHaveLength(2);
    const notReport = await runCli(['merge', path('plan.yaml')]);
    expect([notReport.code, notReport.stderr]).toEqual([
      65,
      `${path('plan.yaml')}:1:1: portflight: not a portflight report of format 1 (the file must start with portflight: 1)\n`,
    ]);
    const missing = await runCli(['diff', path('nothing.yaml'), path('branch.yaml')]);
    expect(missing.code).toBe(65);
    expect(missing.stderr).not.toMatch(/at .*\.js/);
  });

  it('diff exits 1 when something changed, 0 when nothing did, 64 on a usage error', async () => {
    const changed = await runCli(['diff', path('dmz.json'), path('branch.yaml')]);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toMatch(/^verdict: NO-GO → CONDITIONAL\n/);
    const json = await runCli(['diff', path('dmz.json'), path('branch.yaml'), '--format', 'json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ changed: true, verdictChanged: true });
    const same = await runCli(['diff', path('branch.yaml'), path('branch.yaml')]);
    expect([same.code, same.stdout.trimEnd().split('\n').at(-1)]).toEqual([
      0,
      'no change in probes, findings or verdict',
    ]);
    expect((await runCli(['diff', path('branch.yaml')])).code).toBe(64);
    expect((await runCli(['diff', path('branch.yaml'), path('dmz.json'), '--format', 'xml'])).code).toBe(64);
  });
});

describe('check --phase verify (built CLI, loopback)', () => {
  let mp: Server;
  let status = 200;
  let mpPort: number;
  let oldPort: number;
  beforeAll(async () => {
    mp = createServer((request, response) => {
      response.statusCode = request.url?.startsWith('/SMS_MP/.sms_aut?mplist') ? status : 200;
      response.end('<MPList/>');
    });
    await new Promise<void>((resolve) => mp.listen(0, '127.0.0.1', resolve));
    mpPort = (mp.address() as AddressInfo).port;
    // A port nothing listens on any more: yesterday's client port.
    const released = createTcpServer();
    await new Promise<void>((resolve) => released.listen(0, '127.0.0.1', resolve));
    oldPort = (released.address() as AddressInfo).port;
    await new Promise<void>((resolve) => released.close(() => resolve()));
  });
  afterAll(() => new Promise<void>((resolve) => mp.close(() => resolve())));

  const verify = (extra: string[] = []) =>
    runCli([
      'check',
      '127.0.0.1',
      '--current-http',
      String(oldPort),
      '--http',
      String(mpPort),
      '--no-path',
      '--no-icmp',
      '--phase',
      'verify',
      '--format',
      'json',
      ...extra,
    ]);

  it('is go when the new port answers the MP list and the old one has closed; no-go when the MP fails', async () => {
    status = 200;
    const good = await verify(['-o', path('verify.json')]);
    expect(good.stderr).toMatch(/^portflight: GO \(verify: the change worked\)/);
    expect(good.code).toBe(0);
    const report = JSON.parse(await readFile(path('verify.json'), 'utf8')) as Report;
    expect(report.scan.phase).toBe('verify');
    expect(report.findings.map((finding) => finding.rule)).toEqual(
      expect.arrayContaining(['PF-VERIFY-MP-ANSWERS', 'PF-VERIFY-OLD-PORT-CLOSED']),
    );

    status = 500;
    const bad = await verify(['--baseline', path('verify.json')]);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout)).toMatchObject({ verdict: 'no-go' });
    expect(bad.stderr).toMatch(/the change is not proven to work/);
    expect(bad.stderr).toMatch(
      /compared with the baseline .*verify\.json:\nportflight: {3}verdict: GO → NO-GO\n/,
    );
    expect(bad.stderr).toMatch(
      /\+ PF-VERIFY-MP-NOT-ANSWERING 127\.0\.0\.1:tcp\/\d+ \(no-go\): .*got HTTP 500/,
    );
  });

  it('refuses an unknown phase (exit 64) and a bad baseline before probing (exit 65)', async () => {
    expect((await verify(['--phase', 'after'])).code).toBe(64);
    const bad = await verify(['--baseline', path('plan.yaml')]);
    expect(bad.code).toBe(65);
    expect(bad.stderr).toMatch(/plan\.yaml:1:1: portflight: not a portflight report/);
  });
});

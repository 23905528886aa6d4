import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { reportFileName } from '../../src/cli/report-outputs.js';
import type { Report } from '../../src/report/index.js';
import { richReport } from '../support/sample-reports.js';
import { runCli } from '../support/cli.js';

const FORMATS = 'yaml,json,markdown,html,junit';

describe('--format list, --output-dir, keygen, --sign-key and verify (built CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pf-formats-'));
  const out = join(dir, 'out', 'nested');
  let files: string[] = [];

  beforeAll(async () => {
    const run = await runCli(['demo', '--format', FORMATS, '--output-dir', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
    files = readdirSync(out).map((name) => join(out, name));
  });

  it('writes one file per format into a folder it creates, named after the plan and the scan time', () => {
    const names = files.map((file) => file.slice(out.length + 1)).sort();
    expect(names).toHaveLength(5);
    for (const [name, ending] of names.map((name, index) => [
      name,
      ['.html', '.json', '.junit.xml', '.md', '.yaml'][index],
    ])) {
      expect(name).toMatch(/^Move-client-request-ports-of-P01-to-48080-48443-demo-\d{8}T\d{6}Z\./);
      expect(name?.endsWith(ending as string)).toBe(true);
    }
  });

  it('quotes the evidence line a finding cites, as the bundle holds it', () => {
    const yaml = parse(
      readFileSync(files.find((file) => file.endsWith('.yaml')) as string, 'utf8'),
    ) as Report;
    const shared = yaml.findings.find((finding) => finding.rule === 'IIS-DEFAULT-WEB-SITE-SHARED');
    expect(shared?.proof).toEqual([
      {
        ref: 'samples/demo/evidence-p01/applicationHost.config:151',
        line: '<application path="/Reports" applicationPool="ReportingAppPool">',
      },
    ]);
  });

  it('verify accepts each file, and rejects each after a one-byte edit (exit 4, one line naming what failed)', async () => {
    for (const file of files) {
      const intact = await runCli(['verify', file]);
      expect(intact.code, intact.stderr).toBe(0);
      expect(intact.stdout).toMatch(/report unchanged \(sha256 [0-9a-f]{64}\); not signed/);

      const bytes = readFileSync(file);
      const at = Math.floor(bytes.length / 2);
      bytes[at] = bytes[at] === 0x30 ? 0x31 : 0x30;
      const edited = join(dir, `edited-${file.slice(out.length + 1)}`);
      writeFileSync(edited, bytes);
      const run = await runCli(['verify', edited]);
      expect(run.code, `${file}: ${run.stdout}${run.stderr}`).toBe(4);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(
        / report: (content changed|the document differs|its embedded sealed copy|it is no longer valid)/,
      );
    }
  });

  it('signs with a key from keygen; verify checks it with the public key and names a wrong one (exit 5)', async () => {
    const keygen = await runCli(['keygen', '--out', join(dir, 'cab')]);
    expect(keygen.code, keygen.stderr).toBe(0);
    expect(keygen.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
    expect(statSync(join(dir, 'cab.key')).mode & 0o777).toBe(0o600);
    expect((await runCli(['keygen', '--out', join(dir, 'cab')])).code).toBe(64);
    expect((await runCli(['keygen', '--out', join(dir, 'other')])).code).toBe(0);

    const signedOut = join(dir, 'signed');
    const run = await runCli([
      'demo',
      '-f',
      'markdown,junit',
      '--output-dir',
      signedOut,
      '--sign-key',
      join(dir, 'cab.key'),
    ]);
    expect(run.code, run.stderr).toBe(0);
    for (const name of readdirSync(signedOut)) {
      const file = join(signedOut, name);
      const good = await runCli(['verify', file, '--public-key', join(dir, 'cab.pub')]);
      expect(good.code, good.stderr).toBe(0);
      expect(good.stdout).toContain(`signature verified (key ${keygen.stdout.trim()})`);
      const wrong = await runCli(['verify', file, '--public-key', join(dir, 'other.pub')]);
      expect(wrong.code).toBe(5);
      expect(wrong.stderr).toMatch(/signed with key sha256:\w+, not with the given key sha256:\w+\n$/);
    }
  });

  it('checks --output-dir and --sign-key before the first probe', async () => {
    const notFolder = join(dir, 'a-file');
    writeFileSync(notFolder, '');
    const run = await runCli([
      'check',
      '127.0.0.1',
      '--http',
      '8080',
      '--format',
      'yaml,html',
      '--output-dir',
      notFolder,
    ]);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/a-file: not a directory; --output-dir names a folder/);
    const badKey = await runCli(['check', '127.0.0.1', '--http', '8080', '--sign-key', notFolder]);
    expect(badKey.code).toBe(65);
    expect(badKey.stderr).toMatch(/a-file: not a PEM private key/);
    const both = await runCli([
      'check',
      '127.0.0.1',
      '--http',
      '8080',
      '-o',
      join(dir, 'x'),
      '--output-dir',
      dir,
    ]);
    expect(both.code).toBe(64);
  });

  it('refuses to verify a file that is not a report (65)', async () => {
    const run = await runCli(['verify', join(dir, 'cab.pub')]);
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(/not a portflight report/);
  });
});

describe('reportFileName', () => {
  it('keeps names safe on every file system', () => {
    const report = { ...richReport(), startedAt: '2026-11-25T10:00:00.000Z' };
    expect(
      reportFileName(
        { ...report, plan: { ...report.plan, name: 'Déménagement: P01 → 8443 / "CAB" *' } },
        'html',
      ),
    ).toBe('Demenagement-P01-8443-CAB-20261125T100000Z.html');
    expect(
      reportFileName({ ...report, plan: { ...report.plan, name: null, path: '/plans/p01.yaml' } }, 'junit'),
    ).toBe('p01-20261125T100000Z.junit.xml');
    expect(reportFileName({ ...report, plan: { ...report.plan, name: null, path: null } }, 'markdown')).toBe(
      'check-mp01.corp.example-dp02.corp.example-gone.corp.example-20261125T100000Z.md',
    );
    expect(reportFileName({ ...report, plan: { ...report.plan, name: '../..' } }, 'yaml')).toBe(
      'portflight-report-20261125T100000Z.yaml',
    );
  });
});

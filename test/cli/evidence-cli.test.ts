import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const offline = (bundle: string, ...more: string[]) =>
  runCli([
    'check',
    'mp01.corp.example',
    '--http',
    '8080',
    '--https',
    '8443',
    '--evidence',
    `samples/evidence/${bundle}`,
    '--offline',
    '--format',
    'json',
    ...more,
  ]);

describe('portflight check --evidence --offline', () => {
  it('is no-go (exit 2) when Hyper-V excluded ranges cover the candidate ports, citing the lines', async () => {
    const run = await offline('hyperv-excluded');
    const report = JSON.parse(run.stdout);
    expect(run.code).toBe(2);
    expect(report.verdict).toBe('no-go');
    expect(report.probes).toEqual([]);
    const excluded = report.findings.filter((f: { rule: string }) => f.rule === 'WIN-EXCLUDED-PORT');
    expect(excluded.map((f: { subject: string }) => f.subject)).toEqual([
      'mp01.corp.example:tcp/8080',
      'mp01.corp.example:tcp/8443',
    ]);
    expect(excluded[0].evidence[0]).toMatch(
      /^samples\/evidence\/hyperv-excluded\/excludedportrange-tcp\.txt:\d+$/,
    );
  });

  it('names the site and the program that hold the port on a shared server', async () => {
    const report = JSON.parse((await offline('third-party-on-dws')).stdout);
    const messages = report.findings.map((f: { message: string }) => f.message).join('\n');
    expect(messages).toMatch(/also bound in IIS: "Intranet" \(http \*:8080:\) takes every request/);
    expect(messages).toMatch(/tomcat9\.exe \(PID \d+\)/);
    expect(messages).toMatch(/Default Web Site on mp01\.corp\.example also carries/);
  });

  it('is incomplete, never go, when the evidence shows no conflict (exit 3)', async () => {
    const run = await offline('smsweb', '--custom-website');
    const report = JSON.parse(run.stdout);
    expect(report.verdict).toBe('incomplete');
    expect(report.scan.offline).toBe(true);
    expect(report.findings.map((f: { rule: string }) => f.rule)).toContain('PF-OFFLINE');
    expect(run.code).toBe(3);
  });

  it('exits 65 with a positioned line for a broken bundle file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pf-cli-bundle-'));
    await writeFile(
      join(dir, 'applicationHost.config'),
      '<configuration>\n  <system.applicationHost>\n    <sites>\n      <site name="x" id="1">\n',
    );
    const run = await runCli(['check', 'mp01', '--http', '8080', '--evidence', dir, '--offline']);
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(/applicationHost\.config:\d+:\d+: /);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses --evidence DIR with several hosts (exit 64)', async () => {
    const run = await runCli([
      'check',
      'mp01',
      'mp02',
      '--http',
      '8080',
      '--evidence',
      'samples/evidence/smsweb',
      '--offline',
    ]);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/write --evidence HOST=DIR/);
  });

  it('collect says it runs on each Windows site system with IIS (exit 64)', async () => {
    const run = await runCli(['collect', '--output', join(tmpdir(), 'pf-collect-here')]);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(
      /runs on each Windows site system with IIS \(management point, distribution point, software update point, …\)/,
    );
  });
});

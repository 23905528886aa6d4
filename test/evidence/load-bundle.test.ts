import { mkdtemp, readFile, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectEvidence, COLLECT_COMMANDS } from '../../src/evidence/collect.js';
import { loadEvidenceBundle } from '../../src/evidence/load-bundle.js';
import { InputError, UserError } from '../../src/shared/errors.js';

const SAMPLES = [
  'mp-dp-default-web-site',
  'third-party-on-dws',
  'smsweb',
  'hyperv-excluded',
  'french-netsh',
  'https-no-cert',
];

describe('loadEvidenceBundle', () => {
  it.each(SAMPLES)('reads every file of the sample bundle %s', async (name) => {
    const bundle = await loadEvidenceBundle(`samples/evidence/${name}`);
    expect(bundle.dir).toBe(`samples/evidence/${name}`);
    expect(bundle.applicationHost?.sites.length).toBeGreaterThan(0);
    expect(bundle.sslcert).not.toBeNull();
    expect(bundle.excludedTcp).not.toBeNull();
    expect(bundle.dynamicTcp).not.toBeNull();
    expect(bundle.listeners?.length).toBeGreaterThan(0);
    // Findings cite file:line relative to the working folder.
    expect(bundle.applicationHost?.sites[0]?.source.file).toBe(
      `samples/evidence/${name}/applicationHost.config`,
    );
  });

  it('reads French netsh output like English', async () => {
    const french = await loadEvidenceBundle('samples/evidence/french-netsh');
    expect(french.dynamicTcp).toMatchObject({ start: expect.any(Number), count: expect.any(Number) });
    expect(french.sslcert?.[0]?.certificateHash).toMatch(/^[0-9a-f]{40}$/);
  });

  it('reads UTF-16LE files as PowerShell redirection writes them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pf-bundle-'));
    const text = await readFile('samples/evidence/hyperv-excluded/excludedportrange-tcp.txt', 'utf8');
    await writeFile(
      join(dir, 'excludedportrange-tcp.txt'),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    );
    const bundle = await loadEvidenceBundle(dir);
    expect(bundle.excludedTcp?.some((range) => range.start <= 8080 && range.end >= 8080)).toBe(true);
    expect(bundle.applicationHost).toBeNull();
  });

  it('refuses a folder that is missing or holds no evidence file, with exit 65', async () => {
    await expect(loadEvidenceBundle('samples/evidence/no-such-bundle')).rejects.toMatchObject({
      exitCode: 65,
    });
    const empty = await mkdtemp(join(tmpdir(), 'pf-bundle-'));
    await writeFile(join(empty, 'notes.txt'), 'hello');
    await expect(loadEvidenceBundle(empty)).rejects.toThrow(/no evidence files/);
  });

  it('reports a broken file as file:line:col', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pf-bundle-'));
    await writeFile(
      join(dir, 'applicationHost.config'),
      '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]>\n<configuration/>\n',
    );
    const error = await loadEvidenceBundle(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(/applicationHost\.config:2:\d+: .*DTD/);
  });
});

describe('collectEvidence', () => {
  it('refuses to run anywhere but on Windows (exit 64), saying what to do instead', async () => {
    const error = await collectEvidence('/tmp/unused', { platform: 'linux' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).exitCode).toBe(64);
    expect((error as UserError).message).toMatch(
      /runs on each Windows site system with IIS \(management point, distribution point, software update point, …\)/,
    );
  });

  it('writes a bundle that loads back, from each command’s output and the IIS configuration', async () => {
    const source = 'samples/evidence/mp-dp-default-web-site';
    const windir = await mkdtemp(join(tmpdir(), 'pf-windir-'));
    await cp(
      join(source, 'applicationHost.config'),
      join(windir, 'System32', 'inetsrv', 'config', 'applicationHost.config'),
      { recursive: true },
    );
    const output = await mkdtemp(join(tmpdir(), 'pf-collect-'));
    const runs: string[] = [];
    const results = await collectEvidence(output, {
      platform: 'win32',
      windir,
      runner: async (command, args) => {
        runs.push([command, ...args.slice(0, 3)].join(' '));
        const file =
          COLLECT_COMMANDS.find((entry) => entry.command === command && entry.args === args)?.file ?? '';
        if (file === 'listeners.json') return { code: 1, stdout: Buffer.alloc(0) };
        return { code: 0, stdout: await readFile(join(source, file)) };
      },
    });
    expect(results.filter((r) => !r.ok)).toEqual([
      { file: 'listeners.json', ok: false, detail: 'powershell.exe exited 1' },
    ]);
    expect(runs).toContain('netsh http show sslcert');
    const bundle = await loadEvidenceBundle(output);
    expect(bundle.applicationHost?.sites.map((s) => s.name)).toContain('Default Web Site');
    expect(bundle.listeners?.length).toBeGreaterThan(0); // from netstat.txt, since listeners.json failed
  });
});

import { cp, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectEvidence, COLLECT_COMMANDS } from '../../src/evidence/collect.js';
import { iisConfigFolder, locateIisConfig } from '../../src/evidence/iis-config-location.js';
import { loadEvidenceBundle } from '../../src/evidence/load-bundle.js';
import { decodeWindowsText } from '../../src/evidence/text-lines.js';
import { EVIDENCE_FILES } from '../../src/evidence/types.js';

const SOURCE = 'samples/evidence/mp-dp-default-web-site';

/** A %windir% of the test's own, with an IIS configuration folder (and what the test puts in it). */
async function windirWith(files: Record<string, string> = {}): Promise<string> {
  const windir = await mkdtemp(join(tmpdir(), 'pf-windir-'));
  const config = join(windir, 'System32', 'inetsrv', 'config');
  await mkdir(config, { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(join(config, name), text);
  return windir;
}

const redirection = (enabled: string, path: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<configuration>\n  <configSections>\n    <section name="configurationRedirection" />\n  </configSections>\n  <configurationRedirection enabled="${enabled}" path="${path}" userName="" password="" />\n</configuration>\n`;

/** Every command answers with the sample bundle's file; listeners.json from a failing PowerShell. */
const sampleRunner = async (command: string, args: readonly string[]) => {
  const file = COLLECT_COMMANDS.find((entry) => entry.command === command && entry.args === args)?.file ?? '';
  if (file === 'listeners.json') return { code: 1, stdout: Buffer.alloc(0) };
  return { code: 0, stdout: await readFile(join(SOURCE, file)) };
};

describe('where collect finds the IIS configuration', () => {
  it('reads System32 from a 64-bit process, and the 64-bit System32 through Sysnative from a 32-bit one', () => {
    const env = { PROCESSOR_ARCHITEW6432: 'AMD64' };
    expect(iisConfigFolder({ windir: 'W', arch: 'x64', env: {} })).toBe(
      join('W', 'System32', 'inetsrv', 'config'),
    );
    expect(iisConfigFolder({ windir: 'W', arch: 'ia32', env })).toBe(
      join('W', 'Sysnative', 'inetsrv', 'config'),
    );
    // A 32-bit process on 32-bit Windows has no WOW64 and no Sysnative.
    expect(iisConfigFolder({ windir: 'W', arch: 'ia32', env: {} })).toBe(
      join('W', 'System32', 'inetsrv', 'config'),
    );
  });

  it('follows redirection.config to the shared configuration when it is enabled (with %VARIABLES%)', async () => {
    const shared = await mkdtemp(join(tmpdir(), 'pf-shared-'));
    const windir = await windirWith({ 'redirection.config': redirection('true', '%IISSHARE%') });
    expect(await locateIisConfig({ windir, arch: 'x64', env: { iisshare: shared } })).toEqual({
      applicationHost: join(shared, 'applicationHost.config'),
      sharedFrom: shared,
    });
    const off = await windirWith({ 'redirection.config': redirection('false', shared) });
    expect(await locateIisConfig({ windir: off, arch: 'x64', env: {} })).toEqual({
      applicationHost: join(off, 'System32', 'inetsrv', 'config', 'applicationHost.config'),
    });
  });

  it('says what is wrong with a redirection.config it cannot use', async () => {
    const empty = await windirWith({ 'redirection.config': redirection('true', '') });
    await expect(locateIisConfig({ windir: empty, arch: 'x64', env: {} })).rejects.toThrow(
      /redirection\.config: shared configuration is enabled but names no path/,
    );
    const dtd = await windirWith({ 'redirection.config': '<!DOCTYPE x [<!ENTITY a "b">]><configuration/>' });
    await expect(locateIisConfig({ windir: dtd, arch: 'x64', env: {} })).rejects.toThrow(/DTD/);
  });
});

describe('collectEvidence', () => {
  it('writes every command output as UTF-8, under the names the bundle loader reads', async () => {
    const windir = await windirWith();
    await cp(
      join(SOURCE, 'applicationHost.config'),
      join(windir, 'System32/inetsrv/config/applicationHost.config'),
    );
    const output = await mkdtemp(join(tmpdir(), 'pf-collect-'));
    // netsh redirected by cmd writes the OEM code page: "Réservée" as CP850 bytes.
    const oem = Buffer.from([0x52, 0x82, 0x73, 0x65, 0x72, 0x76, 0x82, 0x65, 0x0a]);
    await collectEvidence(output, {
      platform: 'win32',
      windir,
      env: {},
      runner: async (command, args) =>
        args.includes('iplisten')
          ? { code: 0, stdout: oem }
          : args.includes('urlacl') // PowerShell's redirection writes UTF-16
            ? { code: 0, stdout: Buffer.from('\ufeffRéservée\r\n', 'utf16le') }
            : sampleRunner(command, args),
    });
    expect(await readFile(join(output, 'iplisten.txt'), 'utf8')).toBe('Réservée\n');
    expect(await readFile(join(output, 'urlacl.txt'), 'utf8')).toBe('Réservée\r\n');
    // Every other output comes out as the loader decodes it.
    for (const name of ['sslcert.txt', 'netstat.txt'])
      expect(await readFile(join(output, name), 'utf8'), name).toBe(
        decodeWindowsText(await readFile(join(SOURCE, name))),
      );
    const known = Object.values(EVIDENCE_FILES).filter((name) => name !== 'listeners.json');
    expect((await readdir(output)).sort()).toEqual([...known].sort());
  });

  it('copies the shared applicationHost.config, saying where it came from', async () => {
    const shared = await mkdtemp(join(tmpdir(), 'pf-shared-'));
    await cp(join(SOURCE, 'applicationHost.config'), join(shared, 'applicationHost.config'));
    const windir = await windirWith({ 'redirection.config': redirection('true', shared) });
    const output = await mkdtemp(join(tmpdir(), 'pf-collect-'));
    const results = await collectEvidence(output, {
      platform: 'win32',
      windir,
      env: {},
      runner: sampleRunner,
    });
    expect(results[0]).toEqual({
      file: 'applicationHost.config',
      ok: true,
      detail: `IIS shared configuration, from ${shared}`,
    });
    const bundle = await loadEvidenceBundle(output);
    expect(bundle.applicationHost?.sites.map((site) => site.name)).toContain('Default Web Site');
  });

  it('names the shared folder and the way out when the shared configuration cannot be read', async () => {
    const windir = await windirWith({
      'redirection.config': redirection('true', join(tmpdir(), 'pf-no-such-share')),
    });
    const output = await mkdtemp(join(tmpdir(), 'pf-collect-'));
    const [applicationHost] = await collectEvidence(output, {
      platform: 'win32',
      windir,
      env: {},
      runner: sampleRunner,
    });
    expect(applicationHost?.ok).toBe(false);
    expect(applicationHost?.detail).toMatch(
      /pf-no-such-share.applicationHost\.config: ENOENT \(IIS uses the shared configuration in .*pf-no-such-share, per redirection\.config: run collect as a user who can read it, or copy applicationHost\.config from there into the bundle\)/,
    );
  });
});

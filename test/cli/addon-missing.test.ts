import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliRun } from '../support/cli.js';

/**
 * The built CLI installed without a working raw-socket addon, and without the terminal UI chunk: a
 * copy of dist/, rules/, samples/ and package.json in a folder of its own. The build bundles every
 * other dependency, so its node_modules holds at most net-ping and raw-socket:
 * - not installed: no node_modules at all (the optional dependencies left out)
 * - not built: both packages, but raw-socket without its build/ (no C++ toolchain, or an install
 *   that skipped the addon's build script)
 * Nothing may crash; the raw probes are skipped with the reason in the report.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe.each([
  { addon: 'not installed', packages: [] as string[] },
  { addon: 'installed but not built', packages: ['net-ping', 'raw-socket'] },
])('with the raw-socket addon $addon, and without the terminal UI code', ({ packages }) => {
  let install = '';

  function run(args: readonly string[]): Promise<CliRun> {
    const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true', NO_COLOR: '1' };
    delete env.NODE_PATH;
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [join(install, 'dist/cli/main.js'), ...args], {
        cwd: install,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
  }

  beforeAll(async () => {
    install = await mkdtemp(join(tmpdir(), 'portflight-no-addon-'));
    for (const part of ['dist', 'rules', 'samples', 'package.json']) {
      await cp(join(ROOT, part), join(install, part), { recursive: true });
    }
    for (const name of packages) {
      const from = join(ROOT, 'node_modules', name);
      await mkdir(join(install, 'node_modules'), { recursive: true });
      await cp(from, join(install, 'node_modules', name), {
        recursive: true,
        filter: (path) => !`${relative(from, path)}${sep}`.startsWith(`build${sep}`),
      });
    }
    // Ink and React live in the interactive chunk: an unattended command must never need it.
    const chunks = await readdir(join(install, 'dist/chunks'));
    const ui = chunks.filter((name) => /^(interactive|devtools)-.*\.js$/.test(name));
    expect(ui.length, `no interactive-*.js chunk in dist/chunks (${chunks.join(', ')})`).toBeGreaterThan(0);
    for (const name of ui) await rm(join(install, 'dist/chunks', name));
  });

  afterAll(async () => {
    if (install) await rm(install, { recursive: true, force: true });
  });

  it('cannot load raw-socket, ink or react from the copied CLI (the premise of these tests)', () => {
    const requireFromChunks = createRequire(join(install, 'dist/chunks/x.js'));
    for (const name of ['raw-socket', 'net-ping', 'ink', 'react'])
      expect(() => requireFromChunks(name), name).toThrow(/Cannot find module/);
  });

  it('prints the version and the help', async () => {
    const version = await run(['--version']);
    expect(version.stderr).toBe('');
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(version.code).toBe(0);
    const help = await run(['--help']);
    expect(help.stdout).toMatch(/Usage: portflight/);
    expect(help.code).toBe(0);
  });

  it('lists and explains the rules', async () => {
    const list = await run(['rules', 'list']);
    expect(list.stderr).toBe('');
    expect(list.stdout).toMatch(/^ID\s+SEVERITY\s+TITLE\n/);
    expect(list.code).toBe(0);
    const explain = await run(['rules', 'explain', 'PF-OFFLINE']);
    expect(explain.stdout).toMatch(/^PF-OFFLINE: /);
    expect(explain.code).toBe(0);
  });

  it('runs collect as far as it goes here (it says it belongs on Windows)', async () => {
    const collect = await run(['collect', '-o', join(install, 'bundle')]);
    expect(collect.stderr).toMatch(/^portflight: collect reads IIS and Windows port state/);
    expect(collect.code).toBe(64);
  });

  it('analyses the demo evidence offline (check and scan)', async () => {
    const check = await run([
      'check',
      '127.0.0.1',
      '--http',
      '8080',
      '--https',
      '8443',
      '--evidence',
      'samples/demo/evidence-p01',
      '--offline',
      '--no-interactive',
      '-f',
      'json',
    ]);
    expect(check.stderr).not.toMatch(/internal error/);
    expect(JSON.parse(check.stdout)).toMatchObject({ scan: { offline: true } });
    expect([2, 3]).toContain(check.code);
    const scan = await run(['scan', 'samples/demo/plan.yaml', '--offline', '--no-interactive', '-f', 'json']);
    expect(scan.stderr).not.toMatch(/internal error/);
    expect(JSON.parse(scan.stdout)).toMatchObject({ scan: { offline: true } });
    expect([2, 3]).toContain(scan.code);
  });

  it('probes with connect() and skips path and ICMP echo probes, saying the addon is missing', async () => {
    const probe = await run(['check', '127.0.0.1', '--ports', '1', '-f', 'json', '--no-interactive']);
    expect(probe.stderr).not.toMatch(/internal error/);
    // A verdict exit code (GO … INCOMPLETE), never 70 (internal error).
    expect([0, 1, 2, 3]).toContain(probe.code);
    const report = JSON.parse(probe.stdout);
    expect(report.probes).toEqual([expect.objectContaining({ port: 1, state: 'closed' })]);
    const skipped: { probe: string; reason: string }[] = report.vantage.privileges.skipped;
    expect(skipped.map((entry) => entry.probe)).toEqual(expect.arrayContaining(['icmp-echo', 'path']));
    for (const entry of skipped) {
      expect(entry.reason, entry.probe).toMatch(/addon/);
      expect(entry.reason, entry.probe).toMatch(/raw-socket|net-ping|raw\.node/);
      // One line: not require()'s stack of file paths.
      expect(entry.reason, entry.probe).not.toMatch(/\n|Require stack/);
    }
  });
});

import { spawn, spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliRun } from '../support/cli.js';

/**
 * The built CLI installed without a working raw-socket addon, and never initialising the terminal
 * UI: a copy of dist/, rules/, samples/ and package.json in a folder of its own, run with a preload
 * that makes WebAssembly modules throw — initialising Ink instantiates its layout engine (yoga, a
 * WebAssembly module), so a command that so much as loads the UI fails. The build bundles every
 * other dependency, so its node_modules holds at most net-ping and raw-socket:
 * - not installed: no node_modules at all (the optional dependencies left out)
 * - not built: both packages, but raw-socket without its build/ (no C++ toolchain, or an install
 *   that skipped the addon's build script)
 * Nothing may crash; the raw probes are skipped with the reason in the report.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const UI_GUARD = 'ui-guard.cjs';
const UI_INITIALISED = 'the terminal UI was initialised';

describe.each([
  { addon: 'not installed', packages: [] as string[] },
  { addon: 'installed but not built', packages: ['net-ping', 'raw-socket'] },
])('with the raw-socket addon $addon, never initialising the terminal UI', ({ packages }) => {
  let install = '';

  function run(args: readonly string[]): Promise<CliRun> {
    const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true', NO_COLOR: '1' };
    delete env.NODE_PATH;
    return new Promise((resolve, reject) => {
      const argv = ['--require', join(install, UI_GUARD), join(install, 'dist/cli/main.js'), ...args];
      const child = spawn(process.execPath, argv, {
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
    await writeFile(
      join(install, UI_GUARD),
      `WebAssembly.Module = function () { throw new Error(${JSON.stringify(UI_INITIALISED)}); };\n`,
    );
  });

  afterAll(async () => {
    if (install) await rm(install, { recursive: true, force: true });
  });

  it('cannot load raw-socket, nor initialise the terminal UI (the premises of these tests)', async () => {
    const requireFromBundle = createRequire(join(install, 'dist/cli/portflight.cjs'));
    for (const name of ['raw-socket', 'net-ping'])
      expect(() => requireFromBundle(name), name).toThrow(/Cannot find module/);
    // The UI needs a terminal: util-linux's script(1) gives it one.
    const command = [process.execPath, '--require', `./${UI_GUARD}`, 'dist/cli/main.js', 'check', '127.0.0.1']
      .concat(['--ports', '1', '--interactive'])
      .map((word) => `'${word}'`)
      .join(' ');
    const ui = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: install, encoding: 'utf8' });
    expect(ui.stdout).toContain(UI_INITIALISED);
    expect(ui.status).not.toBe(0);
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

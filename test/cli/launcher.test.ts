import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * dist/cli/main.js, the launcher (src/cli/launcher.ts), on a copy of the build: it uses the code
 * cache `npm run build` made only for the very bundle and Node flags it was made with, and an
 * install without its bundle fails in one line.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('the launcher (dist/cli/main.js)', () => {
  let install = '';
  const run = (nodeFlags: readonly string[], args: readonly string[]) => {
    const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true', PORTFLIGHT_DEBUG: 'timing' };
    delete env.NODE_OPTIONS;
    return spawnSync(process.execPath, [...nodeFlags, join(install, 'dist/cli/main.js'), ...args], {
      cwd: install,
      env,
      encoding: 'utf8',
    });
  };

  beforeAll(async () => {
    install = await mkdtemp(join(tmpdir(), 'portflight-launcher-'));
    for (const part of ['dist', 'package.json'])
      await cp(join(ROOT, part), join(install, part), { recursive: true });
  });

  afterAll(async () => {
    if (install) await rm(install, { recursive: true, force: true });
  });

  it('runs under plain node, with the build’s code cache', () => {
    // No V8 flag on the launcher line: any one would cost every command ~20 ms (src/cli/launcher.ts).
    const shebang = readFileSync(join(install, 'dist/cli/main.js'), 'utf8').split('\n', 1)[0];
    expect(shebang).toBe('#!/usr/bin/env node');
    // The build made the cache by running the demo, which probes: a scan that changed a V8 flag
    // while the cache was made would have it refused here (src/shared/young-generation.ts).
    const help = run([], ['--help']);
    expect(help.stderr).toBe('portflight: code cache used\n');
    expect(help.stdout).toMatch(/^Usage: portflight/);
    expect(help.status).toBe(0);
  });

  it('runs without a cache under other Node flags, and says so', () => {
    const help = run(['--no-warnings'], ['--help']);
    expect(help.stderr).toBe(
      'portflight: code cache not used: none for these Node flags (["--no-warnings"])\n',
    );
    expect(help.stdout).toMatch(/^Usage: portflight/);
  });

  it('answers --version from package.json without loading the CLI', async () => {
    const { version } = JSON.parse(await readFile(join(install, 'package.json'), 'utf8')) as {
      version: string;
    };
    for (const flag of ['--version', '-V']) {
      const answer = run([], [flag]);
      expect(answer.stdout).toBe(`${version}\n`);
      expect(answer.stderr).toBe('');
    }
  });

  it('refuses a cache made from other bytes of the same length, and still runs correctly', async () => {
    const bundle = join(install, 'dist/cli/portflight.cjs');
    const original = await readFile(bundle, 'latin1');
    const from = 'Usage: portflight';
    expect(original).toContain('portflight change plan');
    // Same length, another text: V8 alone (which checks the length) would take the old cache.
    await writeFile(bundle, original.replace('portflight change plan', 'portflight change PLAN'), 'latin1');
    try {
      const help = run([], ['--help']);
      expect(help.stderr).toBe('portflight: code cache not used: made from another bundle\n');
      expect(help.stdout).toContain(from);
      expect(help.status).toBe(0);
    } finally {
      await writeFile(bundle, original, 'latin1');
    }
  });

  it('fails in one line, exit 70, when the bundle is missing', async () => {
    const bundle = join(install, 'dist/cli/portflight.cjs');
    const original = await readFile(bundle);
    await rm(bundle);
    try {
      const help = run([], ['--help']);
      expect(help.stderr).toMatch(
        /^portflight: cannot read \S+portflight\.cjs \(ENOENT\): run npm run build\n$/,
      );
      expect(help.stdout).toBe('');
      expect(help.status).toBe(70);
    } finally {
      await writeFile(bundle, original);
    }
  });
});

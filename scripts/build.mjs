// Builds the CLI with esbuild (no type check: that is `npm run typecheck`) into dist/cli/:
//
//   main.js                      the launcher (bin, src/cli/launcher.ts): loads portflight.cjs with
//                                V8's code cache
//   package.json                 {"type": "commonjs"}: main.js is CommonJS
//   portflight.cjs               the CLI as one CommonJS bundle (scripts/esbuild-shared.mjs bundleCli,
//                                the same the executables carry)
//   portflight.cjs.<flags>.cache V8's compiled code for the bundle, for the Node flag line the launcher
//                                runs under (its shebang's: plain `node`)
//
// Why: most of a command's start-up was V8 compiling the code it runs (the plan schemas, the YAML
// parser, the rules); Node 20 caches compiled code only for scripts, so the CLI is one script, and the
// cache is made here, by running the demo (which loads a plan, probes loopback, applies the rules and
// writes a report) with PORTFLIGHT_WRITE_CODE_CACHE=1. The launcher then compiles only what the demo
// did not run. When the demo cannot run here (no loopback, say), the build warns and the CLI runs
// without a cache, correctly, only slower to start.
//
// dist/cli/main.js stays two folders below the package root, as src/cli/ is, so src/shared/
// package-files.ts finds package.json, rules/ and samples/ the same way from both.
//
// The built-in rules (rules/*.yaml) are compiled at bundling, once, and embedded as
// src/rules/engine/builtin-precompiled.ts: commands that load the rules then skip parsing and
// checking 40 YAML files. The CLI uses a precompiled rule only for a file whose text is the one
// compiled here (and the same catalogue); test/rules/engine/precompiled.test.ts fails when dist/
// holds rules compiled from other sources than the checkout's.
//
// zod's `locales` namespace (error messages in 40 languages, a third of zod's code) is bundled as
// English alone: portflight never switches zod's language (test/bundle.test.ts checks that no
// source reaches for another one), and zod registers English itself.
//
// The raw-socket native addon and net-ping (which loads it) are not bundled: src/probes loads them
// with createRequire only when a probe needs a raw socket, so a missing or unbuilt addon disables
// those probes with a stated reason instead of breaking the build or the start-up.
//
//   node scripts/build.mjs [--analyze]     (--analyze: print what the bundle holds)
import { spawnSync } from 'node:child_process';
import { chmod, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import process from 'node:process';
import { analyzeMetafile, build } from 'esbuild';
import { bundleCli, moduleUrlShim, root } from './esbuild-shared.mjs';

const outdir = join(root, 'dist/cli');
const launcher = join(outdir, 'main.js');
const bundle = join(outdir, 'portflight.cjs');

// Old caches first: a cache left from another bundle would only be refused (its digest differs), but
// a build that cannot make new ones should leave none.
for (const name of await readdir(outdir).catch(() => [])) {
  if (name.endsWith('.cache')) await rm(join(outdir, name));
}

const result = await bundleCli(bundle);
// The launcher reads the bundle as Latin-1 (a one-byte string, the cheapest to make), exact for ASCII;
// esbuild escapes non-ASCII (charset: 'ascii') except in a regular expression it cannot rewrite.
const bytes = await readFile(bundle);
const nonAscii = bytes.findIndex((byte) => byte > 0x7f);
if (nonAscii >= 0) {
  const context = bytes.subarray(Math.max(0, nonAscii - 60), nonAscii + 4).toString('utf8');
  throw new Error(
    `${bundle}: a character that is not ASCII at byte ${nonAscii} (escape it in the source): …${context}`,
  );
}

// CommonJS too, by the package.json beside it: Node then starts it without its ES module loader
// (about 15 ms less for every command).
await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/launcher.ts'],
  outfile: launcher,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  banner: { js: moduleUrlShim },
  define: { 'import.meta.url': '__portflightModuleUrl' },
  logLevel: 'warning',
});
await writeFile(join(outdir, 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
await chmod(launcher, 0o755);

/**
 * The launcher line's Node flags (none: src/cli/launcher.ts says why), read from its shebang, the one
 * place they are written. A cache is made for that line; with no flags it is `node dist/cli/main.js`'s too.
 */
const shebang = /^#!\/usr\/bin\/env (?:-S )?node((?: --[^\s]+)*)\n/.exec(await readFile(launcher, 'utf8'));
if (!shebang) throw new Error(`${launcher}: the first line is not \`#!/usr/bin/env node [--flag…]\``);
const flags = shebang[1].trim().split(' ').filter(Boolean);

const demo = spawnSync(process.execPath, [...flags, launcher, 'demo', '--no-interactive'], {
  cwd: root,
  env: { ...process.env, PORTFLIGHT_WRITE_CODE_CACHE: '1', CI: 'true', NO_COLOR: '1' },
  stdio: ['ignore', 'ignore', 'pipe'],
  encoding: 'utf8',
  timeout: 60_000,
});
// The demo's verdict is CONDITIONAL (exit 0 from `demo`); any other end means no cache.
if (demo.status !== 0) {
  const why =
    demo.error?.message ?? `exit ${demo.status ?? demo.signal}: ${demo.stderr.trim().split('\n').pop()}`;
  process.stderr.write(`build: no code cache for \`node ${flags.join(' ')}\` (the demo failed: ${why})\n`);
}

// What older builds left (dist/chunks/ of the split ES module build, a file per module from tsc):
// removed after writing, so that a CLI started meanwhile never finds dist/ empty.
const ours = /^(main\.js|package\.json|portflight\.cjs|portflight\.cjs\.[0-9a-f]{16}\.cache)$/;
for (const entry of await readdir(join(root, 'dist'), { withFileTypes: true })) {
  if (entry.name !== 'cli') await rm(join(root, 'dist', entry.name), { recursive: true, force: true });
}
for (const name of await readdir(outdir)) {
  if (!ours.test(name)) await rm(join(outdir, name), { recursive: true, force: true });
}

if (process.argv.includes('--analyze')) process.stdout.write(await analyzeMetafile(result.metafile));

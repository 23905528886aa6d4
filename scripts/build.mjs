// Builds the CLI with esbuild (no type check: that is `npm run typecheck`) into dist/:
//
//   dist/cli/main.js      the entry (bin), with its shebang: argument parsing and the light commands
//   dist/chunks/*.js      code loaded with import() only when a command needs it (the scan pipeline,
//                         the Ink/React terminal UI, evidence collection)
//
// The entry stays at dist/cli/main.js and the chunks one folder below dist/ as well, so that the
// package root src/shared/package-files.ts finds two folders up (package.json, rules/, samples/)
// is the same from dist/ as from src/ under tsx. The single executables are bundled apart, as
// CommonJS with those files inside: scripts/package.mjs.
//
// The built-in rules (rules/*.yaml) are compiled here, once, and embedded in the bundle as
// src/rules/engine/builtin-precompiled.ts: commands that load the rules then skip parsing and
// checking 40 YAML files. The CLI uses a precompiled rule only for a file whose text is the one
// compiled here (and the same catalogue); test/rules/engine/precompiled.test.ts fails when dist/
// holds rules compiled from other sources than the checkout's.
//
// Whitespace is minified (names are kept, so stack traces still name functions): V8 parses every
// byte of a chunk a command loads, and the zod, yaml and Ink code alone is megabytes; this took
// ~20 ms off each command that loads the plan and scan code.
//
// zod's `locales` namespace (error messages in 40 languages, a third of zod's code) is bundled as
// English alone: portflight never switches zod's language (test/bundle.test.ts checks that no
// source reaches for another one), and zod registers English itself.
//
// Dependencies are bundled (one file read instead of hundreds of module resolutions at start-up),
// except the raw-socket native addon and net-ping (which loads it): src/probes loads them with
// createRequire only when a probe needs a raw socket, so a missing or unbuilt addon disables those
// probes with a stated reason instead of breaking the build or the start-up.
//
//   node scripts/build.mjs [--analyze]     (--analyze: print what each output file holds)
import { chmod, readdir, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import process from 'node:process';
import { analyzeMetafile, build } from 'esbuild';
import { embedPrecompiledRules, requireShim, root, zodEnglishOnly } from './esbuild-shared.mjs';
const outdir = join(root, 'dist');

const result = await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/main.ts'],
  outbase: 'src',
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // react-devtools-core: Ink imports it only under DEV=true, and says so when it is not installed.
  external: ['raw-socket', 'net-ping', 'react-devtools-core'],
  banner: { js: requireShim },
  define: { 'process.env.NODE_ENV': '"production"' },
  minifyWhitespace: true,
  logLevel: 'warning',
  metafile: true,
  plugins: [await embedPrecompiledRules(), zodEnglishOnly],
});
await chmod(join(outdir, 'cli/main.js'), 0o755);

// Chunk names change with their content, and an older tsc build left a file per module: remove what
// this build did not write (after writing, so a CLI started meanwhile never finds dist/ empty).
const written = new Set(Object.keys(result.metafile.outputs).map((file) => join(root, file)));
for (const entry of await readdir(outdir, { recursive: true, withFileTypes: true })) {
  const path = join(entry.parentPath ?? entry.path, entry.name);
  if (entry.isFile() && !written.has(path)) await rm(path);
}
for (const entry of await readdir(outdir, { withFileTypes: true })) {
  const path = join(outdir, entry.name);
  if (entry.isDirectory() && ![...written].some((file) => !relative(path, file).startsWith('..')))
    await rm(path, { recursive: true, force: true });
}

if (process.argv.includes('--analyze')) process.stdout.write(await analyzeMetafile(result.metafile));

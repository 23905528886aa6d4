#!/usr/bin/env node
// dist/cli/main.js, the command users run: it loads the CLI (dist/cli/portflight.cjs, one CommonJS
// bundle) with V8's code cache, made by `npm run build` (scripts/build.mjs).
//
// Why a launcher: most of a command's start-up is V8 compiling the JavaScript it runs — the plan
// schemas, the YAML parser, the rules — before the command does anything. Node 20 can reuse compiled
// code only for scripts (vm.Script's cachedData), not for ES modules (module.enableCompileCache is
// Node 22), so the CLI is bundled as a script and its cache made once, at build time, by running the
// demo. Nothing is written at run time: the cache lives beside the bundle, read-only, and a root-run
// scan never writes compiled code into a shared temporary folder (which is what the v8-compile-cache
// package would do, and why it is not used).
//
// A cache is used only for the exact bytes it was made from (its first 32 bytes are the bundle's
// SHA-256: V8 itself checks no more than the source length) and for the same Node flags (V8 refuses
// a cache made under other flags; the build makes the one for plain `node`).
//
// No V8 flag on the launcher line: any one costs every command ~20-25 ms, because Node's built-in
// modules come compiled for V8's default flags and are compiled from source under any other
// (src/shared/lazy-builtin.ts). The young generation a scan wants (4 MiB semi-spaces, once a flag on
// this line) is set while it runs instead: src/shared/young-generation.ts.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { writingCodeCache } from '../shared/code-cache-build.js';
import { debugTimingOn } from '../shared/debug-timing.js';
import { ExitCode } from '../shared/exit-codes.js';
import { sha256Hex } from '../shared/sha256.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const BUNDLE = join(HERE, 'portflight.cjs');
/** Set by scripts/build.mjs only: write the code cache for this process's Node flags on exit. */
const WRITE_CACHE = writingCodeCache();
const DIGEST_BYTES = 32;

/** The cache file for the Node flags this process runs with (V8 accepts no other). */
function codeCacheFile(execArgv: readonly string[]): string {
  const flags = sha256Hex(JSON.stringify(execArgv)).slice(0, 16);
  return join(HERE, `portflight.cjs.${flags}.cache`);
}

/** The cached data made from exactly these bytes, or why there is none. */
function cachedDataFor(file: string, digest: Buffer): { data: Buffer } | { none: string } {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch {
    return { none: `none for these Node flags (${JSON.stringify(process.execArgv)})` };
  }
  if (!data.subarray(0, DIGEST_BYTES).equals(digest)) return { none: 'made from another bundle' };
  return { data: data.subarray(DIGEST_BYTES) };
}

/** PORTFLIGHT_DEBUG=timing also says whether the code cache was used (a slow start-up's first suspect). */
function reportCache(what: string): void {
  if (debugTimingOn()) process.stderr.write(`portflight: code cache ${what}\n`);
}

function launch(argv: readonly string[]): void {
  // `--version` alone needs no CLI: the answer is in package.json (as the CLI's own --version reads it).
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    const packageJson = JSON.parse(readFileSync(join(HERE, '../../package.json'), 'utf8')) as {
      version: string;
    };
    process.stdout.write(`${packageJson.version}\n`);
    return;
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(BUNDLE);
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    return brokenInstall(`cannot read ${BUNDLE} (${code ?? String(error)})`);
  }
  const digest = createHash('sha256').update(bytes).digest();
  // ASCII, as scripts/build.mjs checks: Latin-1 decodes it exactly, into V8's one-byte strings.
  const source = bytes.toString('latin1');
  const cacheFile = codeCacheFile(process.execArgv);
  const cached = WRITE_CACHE ? { none: 'being made' } : cachedDataFor(cacheFile, digest);
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: BUNDLE,
    cachedData: 'data' in cached ? cached.data : undefined,
  });
  if ('none' in cached) reportCache(`not used: ${cached.none}`);
  else reportCache(script.cachedDataRejected ? 'not used: refused by V8' : 'used');
  if (WRITE_CACHE) {
    process.once('exit', () => writeFileSync(cacheFile, Buffer.concat([digest, script.createCachedData()])));
  }
  const module = { exports: {} as { runCli?: (argv: readonly string[]) => void } };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper(module.exports, createRequire(BUNDLE), module, BUNDLE, HERE);
  if (typeof module.exports.runCli !== 'function')
    return brokenInstall(`${BUNDLE} is not the portflight CLI`);
  module.exports.runCli(argv);
}

/** An install without its bundle (a partial copy, an interrupted build): one line, exit 70. */
function brokenInstall(what: string): void {
  process.stderr.write(`portflight: ${what}: run npm run build\n`);
  process.exitCode = ExitCode.internal;
}

launch(process.argv.slice(2));

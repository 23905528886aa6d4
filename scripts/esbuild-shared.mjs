// The CLI's one bundle (bundleCli: CommonJS, one file), which dist/cli/main.js launches
// (scripts/build.mjs) and the executables carry (scripts/package.mjs), and the build plugins it needs.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL, URL } from 'node:url';
import { build } from 'esbuild';

export const root = fileURLToPath(new URL('..', import.meta.url));

// Bundled CommonJS (commander, react, …) calls require() for Node built-ins; an ES module has no
// require of its own. The aliased import cannot clash with a bundled `createRequire` import.
export const requireShim =
  "import { createRequire as __portflightCreateRequire } from 'node:module';\n" +
  'const require = __portflightCreateRequire(import.meta.url);';

/**
 * import.meta has no CommonJS equivalent; the code uses its url only to find files, which inside the
 * executable come from its assets (src/shared/package-files.ts) or from beside it. With
 * `define: { 'import.meta.url': '__portflightModuleUrl' }`.
 */
export const moduleUrlShim =
  'var __portflightModuleUrl = require("node:url").pathToFileURL(__filename).href;';

/** rules/*.yaml compiled by the sources of this checkout (scripts/precompile-rules.ts), as JSON. */
async function precompiledRulesJson() {
  const generator = await build({
    absWorkingDir: root,
    entryPoints: ['scripts/precompile-rules.ts'],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    banner: { js: requireShim },
    logLevel: 'warning',
  });
  const dir = await mkdtemp(join(tmpdir(), 'portflight-build-'));
  try {
    const file = join(dir, 'precompile-rules.mjs');
    await writeFile(file, generator.outputFiles[0].text);
    const { precompiledRulesJson } = await import(pathToFileURL(file).href);
    return precompiledRulesJson(join(root, 'rules'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Puts the precompiled rules in place of builtin-precompiled.ts, with a legal comment (esbuild keeps
 * those) naming their SHA-256, by which the test tells whether the bundle holds what the sources give.
 */
export async function embedPrecompiledRules() {
  const precompiledRules = await precompiledRulesJson();
  const precompiledDigest = createHash('sha256').update(precompiledRules).digest('hex');
  return {
    name: 'embed-precompiled-rules',
    setup(build) {
      build.onLoad({ filter: /[\\/]src[\\/]rules[\\/]engine[\\/]builtin-precompiled\.ts$/ }, () => ({
        contents:
          `/*! portflight:precompiled-rules sha256:${precompiledDigest} */\n` +
          `export const BUILTIN_PRECOMPILED = JSON.parse(${JSON.stringify(precompiledRules)});\n`,
        loader: 'js',
      }));
    },
  };
}

/** zod/v4/locales/index.js with English only (see the comment at the top). */
export const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      contents: 'export { default as en } from "./en.js";\n',
      resolveDir: dirname(args.path),
      loader: 'js',
    }));
  },
};

/**
 * commander requires node:child_process when it loads, for executable subcommands, which portflight
 * has none of: with the internals it pulls in (internal/child_process, dgram…), ~1.5 ms of every
 * command's start-up. Loaded when commander first spawns instead.
 */
const commanderLazyChildProcess = {
  name: 'commander-lazy-child-process',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]commander[\\/]lib[\\/]command\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const from = "const childProcess = require('node:child_process');";
      const uses = text.match(/childProcess\.\w+/g) ?? [];
      if (!text.includes(from) || uses.some((use) => use !== 'childProcess.spawn'))
        throw new Error(
          `commander: \`${from}\` for spawn alone not found in ${args.path} (did its code change?)`,
        );
      const lazy =
        'let childProcessLoaded;\n' +
        "const childProcess = { spawn: (...args) => (childProcessLoaded ??= require('node:child_process')).spawn(...args) };";
      return { contents: text.replace(from, lazy), loader: 'js' };
    });
  },
};

/**
 * yoga-layout (Ink's layout engine) instantiates its WebAssembly with a top-level await, which a
 * CommonJS bundle cannot hold. The same module, instantiated synchronously from the bytes it embeds
 * (emscripten's instantiateWasm hook: the module is ready when the factory returns).
 */
const yogaSynchronous = {
  name: 'yoga-synchronous',
  setup(build) {
    build.onLoad(
      { filter: /[\\/]node_modules[\\/]yoga-layout[\\/]dist[\\/]src[\\/]index\.js$/ },
      async (args) => {
        const binary = await readFile(join(args.path, '../../binaries/yoga-wasm-base64-esm.js'), 'utf8');
        const base64 = /"data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)"/.exec(binary)?.[1];
        if (!base64) throw new Error('yoga-layout: no embedded WebAssembly found (did its build change?)');
        return {
          contents: [
            "import loadYoga from '../binaries/yoga-wasm-base64-esm.js';",
            "import wrapAssembly from './wrapAssembly.js';",
            `const bytes = Buffer.from(${JSON.stringify(base64)}, 'base64');`,
            'const yogaModule = {',
            '  instantiateWasm(imports, receiveInstance) {',
            '    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), imports);',
            '    receiveInstance(instance);',
            '    return instance.exports;',
            '  },',
            '};',
            'loadYoga(yogaModule);',
            'const Yoga = wrapAssembly(yogaModule);',
            'export default Yoga;',
            "export * from './generated/YGEnums.js';",
          ].join('\n'),
          resolveDir: join(args.path, '..'),
          loader: 'js',
        };
      },
    );
  },
};

/**
 * Ink, under DEV=true, connects to React devtools and reads its package.json, each with a top-level
 * await: neither from the executable.
 */
const inkWithoutDevtools = {
  name: 'ink-without-devtools',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]ink[\\/]build[\\/]reconciler\.js$/ }, async (args) => {
      let text = await readFile(args.path, 'utf8');
      for (const [from, to] of [
        ["await import('./devtools.js');", 'void 0;'],
        ['await loadPackageJson()', '{ name: undefined, version: undefined }'],
      ]) {
        if (!text.includes(from))
          throw new Error(`ink: \`${from}\` not found in ${args.path} (did its build change?)`);
        text = text.replace(from, to);
      }
      return { contents: text, loader: 'js' };
    });
  },
};

/**
 * The CLI as one CommonJS file: the bundle dist/cli/main.js launches (scripts/build.mjs) and the
 * executables' main script (scripts/package.mjs). Modules reached only by import() are initialised
 * when first imported (esbuild wraps them), so a command runs only the code it needs.
 */
export async function bundleCli(file) {
  return build({
    absWorkingDir: root,
    entryPoints: ['src/cli/main.ts'],
    outfile: file,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['raw-socket', 'net-ping', 'react-devtools-core'],
    banner: { js: moduleUrlShim },
    define: { 'process.env.NODE_ENV': '"production"', 'import.meta.url': '__portflightModuleUrl' },
    // Whitespace only (names are kept, so stack traces still name functions): V8 reads every byte.
    minifyWhitespace: true,
    charset: 'ascii',
    logLevel: 'warning',
    metafile: true,
    plugins: [
      await embedPrecompiledRules(),
      zodEnglishOnly,
      yogaSynchronous,
      inkWithoutDevtools,
      commanderLazyChildProcess,
    ],
  });
}

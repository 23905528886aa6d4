// What both bundles of the CLI share: the npm bundle (scripts/build.mjs, ESM, dist/) and the
// executable's (scripts/package.mjs, CommonJS, one file). See scripts/build.mjs for why each exists.
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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

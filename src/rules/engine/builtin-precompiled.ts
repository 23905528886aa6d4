import type { PrecompiledRules } from './precompiled.js';

/**
 * The built-in rules (rules/*.yaml) compiled at build time. scripts/build.mjs replaces this module in
 * the bundle with the rules it compiles from the same sources (scripts/precompile-rules.ts); run from
 * the sources (tsx, vitest) there are none, and every rule file is compiled when it loads.
 * test/rules/engine/precompiled.test.ts fails when the build's copy is not what the sources give.
 */
export const BUILTIN_PRECOMPILED: PrecompiledRules | undefined = undefined;

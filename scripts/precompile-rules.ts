// The built-in rules compiled ahead of time, for scripts/build.mjs: it bundles this file, runs it,
// and embeds the JSON in the CLI as src/rules/engine/builtin-precompiled.ts. The CLI still checks
// each rule file's text (and the catalogue) against it when it loads them, and compiles what differs.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULE_CATALOGUE } from '../src/rules/catalogue.js';
import { precompileRuleFiles } from '../src/rules/engine/compile-rule.js';

/** The *.yaml files of `dir` (as cli/rule-packs.ts reads them), compiled, as JSON. */
export function precompiledRulesJson(dir: string): string {
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => (entry.isFile() || entry.isSymbolicLink()) && entry.name.endsWith('.yaml'))
    .map((entry) => entry.name)
    .sort();
  const files = names.map((name) => ({ file: name, text: readFileSync(join(dir, name), 'utf8') }));
  return JSON.stringify(precompileRuleFiles(files, RULE_CATALOGUE));
}

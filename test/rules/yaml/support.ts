import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Facts } from '../../../src/facts/index.js';
import { RULE_CATALOGUE } from '../../../src/rules/catalogue.js';
import { evaluateRuleSet, loadRuleSet, type CompiledRule } from '../../../src/rules/engine/index.js';
import { factTreeOf } from '../../../src/rules/fact-tree.js';
import type { Finding } from '../../../src/rules/types.js';

export const RULES_DIR = fileURLToPath(new URL('../../../rules/', import.meta.url));

/** The rule files of rules/, as the CLI will read them. */
export function ruleFiles(): { file: string; text: string }[] {
  return readdirSync(RULES_DIR)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => ({ file: `rules/${name}`, text: readFileSync(join(RULES_DIR, name), 'utf8') }));
}

/** Every built-in rule, compiled against the real catalogue (throws with file:line:col problems). */
export const YAML_RULES: readonly CompiledRule[] = await loadRuleSet(ruleFiles(), RULE_CATALOGUE);

export function yamlRule(id: string): CompiledRule {
  const rule = YAML_RULES.find((candidate) => candidate.id === id);
  if (!rule) throw new Error(`no rule ${id} in rules/`);
  return rule;
}

/** The findings of one rule (or all of them) over facts, projected as the CLI will project them. */
export function run(id: string | null, facts: Facts): Finding[] {
  return evaluateRuleSet(id === null ? YAML_RULES : [yamlRule(id)], factTreeOf(facts));
}

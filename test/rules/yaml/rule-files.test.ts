import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULE_CATALOGUE } from '../../../src/rules/catalogue.js';
import { KNOWN_DOCUMENTS } from '../../../src/rules/documents.js';
import { parseRuleFile } from '../../../src/rules/engine/compile-rule.js';
import { loadRuleSet } from '../../../src/rules/engine/index.js';
import { YAML_RULES, ruleFiles } from './support.js';

/** The rows of the README's rule table: `| \`ID\` | severity | fires when |`. */
function readmeRuleTable(): Map<string, string> {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const rows = [...readme.matchAll(/^\| `([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+)` +\| ([a-z-]+) +\|/gm)];
  return new Map(rows.map(([, id, severity]) => [id as string, severity as string]));
}

describe('rules/*.yaml', () => {
  it('load against the fact catalogue without a single problem', async () => {
    // loadRuleSet rejects with an InputError listing file:line:col problems; this is the catalogue test.
    await expect(loadRuleSet(ruleFiles(), RULE_CATALOGUE)).resolves.toHaveLength(ruleFiles().length);
    expect(YAML_RULES.length).toBe(ruleFiles().length);
  });

  it.each(ruleFiles().map((file) => [file.file, file] as const))(
    '%s is named after its id and cites at least one document',
    (name, file) => {
      const rule = parseRuleFile(file.text, name, RULE_CATALOGUE);
      expect(name).toBe(`rules/${rule.id.toLowerCase()}.yaml`);
      expect(rule.references.length).toBeGreaterThan(0);
      expect(rule.description?.trim()).toBeTruthy();
      expect(rule.source.line).toBe(1); // the id comes first, where `rules explain` points
    },
  );

  it('match the README rule table, id for id and severity for severity', () => {
    const table = readmeRuleTable();
    expect([...table.keys()].sort()).toEqual(YAML_RULES.map((rule) => rule.id).sort());
    for (const rule of YAML_RULES) expect(table.get(rule.id), rule.id).toBe(rule.severity);
  });

  it('cite Microsoft documents by title, each known with its Microsoft Learn URL (src/rules/documents.ts)', () => {
    for (const rule of YAML_RULES)
      for (const reference of rule.references) {
        expect(KNOWN_DOCUMENTS[reference.title], `${rule.id}: ${reference.title}`).toBe(reference.url);
        expect(reference.url).toMatch(/^https:\/\/learn\.microsoft\.com\/[a-z]/);
      }
  });

  it('leave no known document uncited (a title nobody cites is a stale entry)', () => {
    const cited = new Set(YAML_RULES.flatMap((rule) => rule.references.map((reference) => reference.title)));
    expect(Object.keys(KNOWN_DOCUMENTS).filter((title) => !cited.has(title))).toEqual([]);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULE_CATALOGUE } from '../../../src/rules/catalogue.js';
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

  it('cite documents by their titles, from a known list', () => {
    const known = new Set([
      'Ports used in Configuration Manager',
      'How to configure client communication ports in Configuration Manager',
      'Windows Firewall and port settings for clients in Configuration Manager',
      'About client settings in Configuration Manager',
      'How to configure Wake on LAN',
      'Planning how to wake up clients',
      'Enhanced HTTP',
      'Plan for the SMS Provider',
      'About client installation parameters and properties',
      'About client installation properties published to Active Directory Domain Services',
      'Websites for site system servers in Configuration Manager',
      'Data flow for cloud management gateway',
      'How to deploy clients to UNIX and Linux servers in Configuration Manager',
      'Binding <binding>',
      'add sslcert',
      'UrlPrefix Strings',
      'Site <site>',
      'IP Listen List',
      'The default dynamic port range for TCP/IP has changed in Windows Vista and in Windows Server 2008',
    ]);
    for (const rule of YAML_RULES)
      for (const reference of rule.references) expect(known, `${rule.id}: ${reference}`).toContain(reference);
  });
});

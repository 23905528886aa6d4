import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { precompiledRulesJson } from '../../../scripts/precompile-rules.js';
import { RULE_CATALOGUE } from '../../../src/rules/catalogue.js';
import { precompileRuleFiles } from '../../../src/rules/engine/compile-rule.js';
import { loadRuleSet, type PrecompiledRules } from '../../../src/rules/engine/index.js';
import { RULES_DIR, ruleFiles } from '../yaml/support.js';
import { ruleText, testCatalogue } from './fixtures.js';

const BUNDLE = fileURLToPath(new URL('../../../dist/cli/portflight.cjs', import.meta.url));

/** The precompiled rules with one entry's serialised rule edited, to see whether it is the one used. */
function tampered(precompiled: PrecompiledRules, name: string, title: string): PrecompiledRules {
  const entry = precompiled.files[name];
  if (!entry) throw new Error(`no entry ${name}`);
  const rule = { ...(entry.rule as object), title };
  return { ...precompiled, files: { ...precompiled.files, [name]: { ...entry, rule } } };
}

describe('precompiled rules', () => {
  const files = ruleFiles();
  const precompiled = precompileRuleFiles(files, RULE_CATALOGUE);

  it('load as the very rules compiling the files gives', async () => {
    expect(Object.keys(precompiled.files)).toHaveLength(files.length);
    const compiled = await loadRuleSet(files, RULE_CATALOGUE, undefined);
    expect(await loadRuleSet(files, RULE_CATALOGUE, precompiled)).toEqual(compiled);
  });

  it('name the file as the caller does, wherever the folder is', async () => {
    const moved = files.map(({ file, text }) => ({ file: `/opt/portflight/${file}`, text }));
    const [first] = await loadRuleSet(moved, RULE_CATALOGUE, precompiled);
    expect(first?.source).toEqual({ file: '/opt/portflight/rules/cm-alternate-port.yaml', line: 1, col: 5 });
  });

  it('are used for a file of the same name and text, and only then', async () => {
    const name = 'cm-alternate-port.yaml';
    const edited = tampered(precompiled, name, 'from the precompiled entry');
    const titleOf = async (list: typeof files, set: PrecompiledRules) =>
      (await loadRuleSet(list, RULE_CATALOGUE, set)).find((rule) => rule.id === 'CM-ALTERNATE-PORT')?.title;
    expect(await titleOf(files, edited)).toBe('from the precompiled entry');
    // Another text (an administrator edited the rule): compiled from the text.
    const changed = files.map((file) =>
      file.file.endsWith(name) ? { ...file, text: file.text.replace(/^title: .*$/m, 'title: Edited') } : file,
    );
    expect(await titleOf(changed, edited)).toBe('Edited');
    // Another catalogue, or another format: nothing precompiled applies.
    expect(await titleOf(files, { ...edited, catalogue: JSON.stringify(testCatalogue) })).toBe(
      'Alternate client request port set',
    );
    expect(await titleOf(files, { ...edited, format: 0 as PrecompiledRules['format'] })).toBe(
      'Alternate client request port set',
    );
  });

  it('leave out a file that does not compile, so that loading it reports its problems', async () => {
    const broken = {
      file: 'rules/b-rule.yaml',
      text: ruleText('B-RULE', 'when: { fact: nope, gt: 0 }\nmessage: m'),
    };
    const set = precompileRuleFiles([broken], testCatalogue);
    expect(set.files).toEqual({});
    await expect(loadRuleSet([broken], testCatalogue, set)).rejects.toThrow('unknown fact "nope"');
  });

  it('are embedded in the built CLI as this checkout compiles them (npm run build)', () => {
    const digest = createHash('sha256').update(precompiledRulesJson(RULES_DIR)).digest('hex');
    const text = existsSync(BUNDLE) ? readFileSync(BUNDLE, 'utf8') : '';
    const embedded = [...text.matchAll(/portflight:precompiled-rules sha256:([0-9a-f]{64})/g)].map(
      (match) => match[1],
    );
    expect(embedded, 'dist/ holds rules compiled from other sources: run npm run build').toEqual([digest]);
  });
});

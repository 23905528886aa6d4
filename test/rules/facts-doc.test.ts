import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderCatalogueMarkdown } from '../../src/rules/engine/index.js';
import { RULE_CATALOGUE } from '../../src/rules/catalogue.js';

/** Cells without the padding prettier adds, so the comparison is about content. */
const normalize = (table: string) =>
  table
    .trim()
    .split('\n')
    .map((line) =>
      line
        .split('|')
        .map((cell) => cell.trim().replace(/^-+$/, '---'))
        .join('|'),
    );

describe('README fact table', () => {
  it('documents every fact of the catalogue (run `npm run schema` when this fails)', () => {
    const readme = readFileSync('README.md', 'utf8');
    const table = /<!-- facts:begin[^>]*-->([\s\S]*?)<!-- facts:end -->/.exec(readme)?.[1] ?? '';
    expect(normalize(table)).toEqual(normalize(renderCatalogueMarkdown(RULE_CATALOGUE)));
  });
});

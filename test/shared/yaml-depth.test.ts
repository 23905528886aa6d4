import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePlanText } from '../../src/plan/index.js';
import { excessiveNestingAt } from '../../src/shared/yaml-depth.js';

const problemOf = (text: string) => {
  try {
    parsePlanText(text, 'plan.yaml');
    return 'accepted';
  } catch (error) {
    return (error as Error).message;
  }
};

describe('YAML nesting limit', () => {
  it('refuses 5,000 nested flow sequences at the bracket past the limit, not with a stack overflow', () => {
    const text = `portflight: 1\nname: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    expect(problemOf(text)).toBe('plan.yaml:2:70: nested more than 64 levels deep');
  });

  it('refuses block mappings nested past the limit, at the first line too deep', () => {
    const lines = Array.from({ length: 80 }, (_, depth) => `${' '.repeat(depth * 2)}k${depth}:`);
    expect(problemOf(`portflight: 1\nname:\n${lines.map((line) => `  ${line}`).join('\n')} x\n`)).toMatch(
      /^plan\.yaml:\d+:\d+: nested more than 64 levels deep$/,
    );
  });

  it('counts neither brackets in quoted strings nor in comments', () => {
    const brackets = '['.repeat(200);
    expect(excessiveNestingAt(`name: "${brackets}"\nother: '${brackets}'\n# ${brackets}\n`)).toBeNull();
  });

  it('lets ordinary plans through untouched', () => {
    expect(excessiveNestingAt('a:\n  - { b: [1, [2, [3]]] }\n  - c:\n      d: e\n')).toBeNull();
  });

  it('ends on any text, within the text', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom('[', ']', '{', '}', ' ', '-', '\n', '"', "'", '#', 'a', ':', '\\'),
        }),
        (text) => {
          const at = excessiveNestingAt(text, 8);
          expect(at === null || (at >= 0 && at <= text.length)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

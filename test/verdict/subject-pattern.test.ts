import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { subjectPattern } from '../../src/verdict/index.js';

/** The meaning of a waiver glob, as the slow reference: `*` any run, the rest literal. */
function reference(glob: string, subject: string): boolean {
  const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${glob.split('*').map(literal).join('.*')}$`, 's').test(subject);
}

describe('waiver subject globs', () => {
  it.each([
    ['mp01.corp.example:tcp/8080', 'mp01.corp.example:tcp/8080', true],
    ['mp01.corp.example:tcp/8080', 'mp01.corp.example:tcp/80800', false],
    ['*:tcp/8080', 'dp01:tcp/8080', true],
    ['*:tcp/8080', 'dp01:tcp/8443', false],
    ['mp0*.corp.*:tcp/*', 'mp02.corp.example:tcp/443', true],
    ['a*a', 'a', false],
    ['a*a', 'aa', true],
    ['*', '', true],
    ['**', 'x', true],
    ['x.y', 'xzy', false],
  ])('%s against %s → %s', (glob, subject, expected) => {
    expect(subjectPattern(glob).test(subject)).toBe(expected);
  });

  it('agrees with the regular-expression meaning on random globs and subjects', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', '*', '.', ':'), maxLength: 12 });
    fc.assert(
      fc.property(text, text, (glob, subject) => {
        const plain = subject.replaceAll('*', 'c');
        expect(subjectPattern(glob).test(plain)).toBe(reference(glob, plain));
      }),
      { numRuns: 2000 },
    );
  });

  it('decides a glob of many stars on a long subject without backtracking', () => {
    // `^a.*a.*…a.*b$` on 20 000 a's: the RegExp form backtracks for minutes.
    const glob = `${'a*'.repeat(40)}b`;
    expect(subjectPattern(glob).test('a'.repeat(20_000))).toBe(false);
    expect(subjectPattern(glob).test(`${'a'.repeat(20_000)}b`)).toBe(true);
  });
});

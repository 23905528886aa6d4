import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { YAML_OPTIONS, yamlText } from '../../src/report/yaml-text.js';

/** The reference: what reports were written with before yamlText, and what it must keep writing. */
const reference = (value: unknown) => stringify(value, YAML_OPTIONS);

/**
 * Characters that change a scalar's style in YAML: indicators, quotes, blanks, line breaks, digits
 * and letters of the words YAML reads as other types, escapes JSON and YAML spell differently, a
 * lone surrogate and a pair.
 */
const TRICKY = [
  ...'-?:,[]{}#&*!|>\'"%@`~. \t\n\r\\/0123456789xoeEnNuUlLtTrRfFaAsS+_=;',
  '\u0000',
  '\u0007',
  '\u000b',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u00a0',
  '\u2028',
  '\u2029',
  '\ud800',
  '😀',
  'é',
  '---',
  '...',
  'null',
  'true',
  'False',
  '.inf',
  '0x1F',
  '0o17',
  '1e3',
];
const trickyString = fc.array(fc.constantFrom(...TRICKY), { maxLength: 14 }).map((parts) => parts.join(''));
const text = fc.oneof(
  trickyString,
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
);
const scalar = fc.oneof(
  text,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(0, -0, 1e21, 1.5e-7, Number.MAX_SAFE_INTEGER),
);
const { value: plainData } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(text, fc.oneof(tie('value'), fc.constant(undefined)), { maxKeys: 5 }),
  ),
}));
const documents = fc.oneof(
  fc.array(plainData, { maxLength: 5 }),
  fc.dictionary(text, plainData, { maxKeys: 6 }),
);

describe('yamlText', () => {
  it('writes what the yaml package writes, for any plain data', () => {
    fc.assert(
      fc.property(documents, (value) => {
        expect(yamlText(value)).toBe(reference(value));
      }),
      { numRuns: 3000 },
    );
  });

  it('writes strings in every style as the yaml package does, as values and as keys, at every depth', () => {
    fc.assert(
      fc.property(fc.array(trickyString, { minLength: 1, maxLength: 4 }), (strings) => {
        const nested = {
          top: strings,
          [strings[0] ?? '']: { inner: strings, [strings.at(-1) ?? '']: [{ deep: strings.join('\n') }] },
        };
        expect(yamlText(nested)).toBe(reference(nested));
        expect(yamlText(strings)).toBe(reference(strings));
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ['multi-line text with trailing line breaks', { a: 'one\ntwo\n', b: ['x\n\n', '\n lead', 'tail \n'] }],
    ['empty collections', { a: {}, b: [], c: [[], {}], d: { e: undefined } }],
    ['numbers and types that look like strings', { a: '8080', b: 'true', c: 'null', d: '', e: '~', f: 1.5 }],
    ['top-level keys that look like document markers', { '--- a': 1, '...': { '--- b': 2 } }],
    ['a sparse array', [1, undefined, 3]],
  ])('matches the yaml package on %s', (_name, value) => {
    expect(yamlText(value)).toBe(reference(value));
    expect(parse(yamlText(value))).toEqual(parse(reference(value)));
  });

  it('leaves values that are not plain data to the yaml package', () => {
    const values = [
      { when: new Date(0) },
      { map: new Map([['a', 1]]) },
      { big: 10n },
      { [`${'k'.repeat(1100)}`]: 1 },
      { json: { toJSON: () => 'converted' } },
      'a bare string',
    ];
    for (const value of values) expect(yamlText(value)).toBe(reference(value));
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalText } from '../../src/report/canonical-json.js';

// Keys that sort differently by UTF-16 code units than by code points or by number, and keys an
// object's prototype has, mixed with arbitrary ones.
const key = fc.oneof(
  fc.constantFrom(
    'a',
    'b',
    'A',
    '80',
    '9',
    '10',
    '',
    'é',
    '\u{1F600}',
    '\uFB01',
    'constructor',
    'toString',
    'length',
  ),
  fc.string({ maxLength: 6 }),
);
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.string({ maxLength: 8 }),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(key, fc.option(tie('value'), { nil: undefined }), { maxKeys: 6 }),
  ),
})).value;

describe('canonicalJson (RFC 8785)', () => {
  it('equals the member-by-member canonical text for any plain JSON value', () => {
    fc.assert(
      fc.property(json, (value) => {
        expect(canonicalJson(value)).toBe(canonicalText(value));
      }),
      { seed: 8785, numRuns: 1000 },
    );
  });

  it('sorts keys by UTF-16 code units at every depth, index-like keys included', () => {
    expect(canonicalJson({ 9: 1, 80: 2, b: [{ z: 1, '\u{1F600}': 2, '\uFB01': 3 }], a: undefined })).toBe(
      '{"80":2,"9":1,"b":[{"z":1,"\u{1F600}":2,"\uFB01":3}]}',
    );
  });

  it('is exact where the native path is not taken: a __proto__ key, or an index-like key', () => {
    const withProto = JSON.parse('[{"__proto__":{"x":1},"a":1},{"b":2}]') as unknown;
    expect(canonicalJson(withProto)).toBe('[{"__proto__":{"x":1},"a":1},{"b":2}]');
    expect(canonicalJson([{ b: 1 }, { 10: 'x', 9: 'y', a: { 0: [] } }])).toBe(
      '[{"b":1},{"10":"x","9":"y","a":{"0":[]}}]',
    );
  });

  it('refuses what is not plain data, as the reference does', () => {
    for (const bad of [
      Number.NaN,
      Infinity,
      { a: () => 1 },
      [Symbol('s')],
      { d: new Date(0) },
      undefined,
      1n,
    ])
      expect(() => canonicalJson(bad)).toThrow(TypeError);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareNatural, compareText } from '../../src/shared/text-order.js';

describe('compareNatural', () => {
  it('orders digit runs by value and letters without regard to case', () => {
    const sorted = ['host10', 'HOST2', 'host1', '198.18.0.10', '198.18.0.9', '198.18.10.1', 'Mp01', 'mp1']
      .slice()
      .sort(compareNatural);
    expect(sorted).toEqual([
      '198.18.0.9',
      '198.18.0.10',
      '198.18.10.1',
      'host1',
      'HOST2',
      'host10',
      'Mp01',
      'mp1',
    ]);
  });

  it('calls only identical texts equal, and is a total order', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (a, b, c) => {
        expect(compareNatural(a, b) === 0).toBe(a === b);
        expect(Math.sign(compareNatural(a, b)) + Math.sign(compareNatural(b, a))).toBe(0);
        if (compareNatural(a, b) < 0 && compareNatural(b, c) < 0)
          expect(compareNatural(a, c)).toBeLessThan(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('orders as the plain definition does: runs copied, leading zeros cut, compared by length then text', () => {
    const reference = (a: string, b: string): number => {
      const runs = (text: string) => text.toLowerCase().match(/\d+|\D/g) ?? [];
      const [x, y] = [runs(a), runs(b)];
      for (let k = 0; k < Math.min(x.length, y.length); k += 1) {
        const [p, q] = [x[k] as string, y[k] as string];
        if (/\d/.test(p) && /\d/.test(q)) {
          const [u, v] = [p.replace(/^0+(?=\d)/, ''), q.replace(/^0+(?=\d)/, '')];
          const byValue = u.length - v.length || compareText(u, v);
          if (byValue !== 0) return byValue;
        } else if (p !== q) return p.charCodeAt(0) - q.charCodeAt(0);
      }
      return x.length - y.length || compareText(a, b);
    };
    const text = fc.stringMatching(/^[0-9a-zA-Z.:/]{0,12}$/);
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(Math.sign(compareNatural(a, b))).toBe(Math.sign(reference(a, b)));
      }),
      { numRuns: 5000 },
    );
  });

  it('keeps digit runs longer than any number exact', () => {
    expect(compareNatural('a99999999999999999999', 'a100000000000000000000')).toBeLessThan(0);
    expect(compareNatural('a0009', 'a10')).toBeLessThan(0);
  });
});

describe('compareText', () => {
  it('is code-point order, whatever the locale says', () => {
    expect(['b', 'B', 'a', '_', '-'].sort(compareText)).toEqual(['-', 'B', '_', 'a', 'b']);
  });
});

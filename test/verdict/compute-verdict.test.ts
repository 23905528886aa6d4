import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SEVERITIES, type Severity } from '../../src/rules/index.js';
import { computeVerdict, VERDICTS } from '../../src/verdict/index.js';

const f = (severity: Severity) => ({ severity });

describe('computeVerdict', () => {
  it.each([
    [[], 'go'],
    [[f('info'), f('info')], 'go'],
    [[f('info'), f('condition')], 'conditional'],
    [[f('condition'), f('incomplete')], 'incomplete'],
    [[f('incomplete'), f('no-go'), f('condition')], 'no-go'],
  ] as const)('%j → %s', (findings, verdict) => {
    expect(computeVerdict(findings)).toBe(verdict);
  });

  it('never improves when a finding is added', () => {
    const severity = fc.constantFrom(...SEVERITIES);
    fc.assert(
      fc.property(fc.array(severity), severity, (existing, added) => {
        const before = VERDICTS.indexOf(computeVerdict(existing.map(f)));
        const after = VERDICTS.indexOf(computeVerdict([...existing, added].map(f)));
        expect(after).toBeGreaterThanOrEqual(before);
      }),
    );
  });
});

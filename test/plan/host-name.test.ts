import fc from 'fast-check';
import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { hostProblem } from '../../src/plan/host-name.js';

describe('host values', () => {
  it.each([
    'mp01',
    'mp01.corp.example',
    'mp01.corp.example.',
    'sms_mp-01.corp',
    '198.18.0.5',
    '::1',
    '[2001:db8::5]',
    'fe80::1%eth0',
  ])('accepts %s', (host) => {
    expect(hostProblem(host)).toBeUndefined();
  });

  it.each([
    ['mp01:8080', /without a port/],
    ['198.18.0.5:443', /without a port/],
    ['a:b:c', /not an IPv6 address/],
    ['[mp01]', /brackets are only for an IPv6 address/],
    ['[::1', /brackets/],
    ['123', /all-numeric/],
    ['10.1', /all-numeric/],
    ['0x7f.1', /all-numeric/],
    ['01.02.03.04', /all-numeric/],
    ['256.1.1.1', /all-numeric/],
    ['a..b', /must be a host name/],
    ['-mp01', /must be a host name/],
    ['mp 01', /must be a host name/],
    [`${'a'.repeat(64)}.corp`, /must be a host name/],
  ])('refuses %s', (host, why) => {
    expect(hostProblem(host)).toMatch(why);
  });

  it('never accepts what the resolver would read as an address nobody wrote', () => {
    // Dotted numbers and hex labels are what inet_aton turns into some address: only canonical
    // dotted-quad IPv4 may pass.
    const label = fc.oneof(
      fc.nat({ max: 999 }).map(String),
      fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), maxLength: 3 }).map((h) => `0x${h}`),
    );
    fc.assert(
      fc.property(fc.array(label, { minLength: 1, maxLength: 5 }), (labels) => {
        const host = labels.join('.');
        if (hostProblem(host) === undefined) expect(isIP(host)).toBe(4);
      }),
      { numRuns: 3000 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import { attributeSocketProbe, HopBudgets, type RawReply } from '../../../src/probes/raw/index.js';
import type { ProbeRecord } from '../../../src/probes/types.js';

const SERVER = '198.18.4.2';
const FW = '198.18.2.2';

const record = (
  protocol: 'tcp' | 'udp',
  state: ProbeRecord['state'],
  reason: ProbeRecord['reason'],
): ProbeRecord => ({
  target: 'mp01',
  address: SERVER,
  protocol,
  port: 8443,
  roles: ['candidate-https'],
  state,
  reason,
  rttMs: state === 'filtered' && reason === 'no-response' ? null : 1,
});

const answer = (kind: RawReply['kind'], from: string, code: number | null = null, ttl = 61): RawReply => ({
  kind,
  from,
  ttl,
  icmpType: kind === 'unreachable' ? 3 : null,
  icmpCode: code,
  rttMs: 1,
});

describe('attributeSocketProbe: whose answer it is', () => {
  it('keeps a refusal closed only when the destination sent the RST, and records who and the TTL', () => {
    expect(
      attributeSocketProbe(record('tcp', 'closed', 'conn-refused'), answer('rst', SERVER)),
    ).toMatchObject({
      state: 'closed',
      replyFrom: SERVER,
      replyTtl: 61,
    });
  });

  it.each([
    [3, 'port-unreach'],
    [1, 'host-unreach'],
    [0, 'net-unreach'],
    [13, 'admin-prohibited'],
    [10, 'host-prohibited'],
    [9, 'net-prohibited'],
  ] as const)(
    'makes a TCP refusal by ICMP 3/%i from a firewall filtered (%s), blocked by its sender',
    (code, reason) => {
      // Linux reports 3/3, 3/9 and 3/10 as ECONNREFUSED: the false "closed" this fixes.
      const refused = record(
        'tcp',
        code === 1 || code === 0 || code === 13 ? 'filtered' : 'closed',
        'conn-refused',
      );
      expect(attributeSocketProbe(refused, answer('unreachable', FW, code, 63))).toMatchObject({
        state: 'filtered',
        reason,
        replyFrom: FW,
        replyTtl: 63,
        blockedBy: FW,
        localisation: 'probed',
      });
    },
  );

  it('blames the destination itself for an ICMP reject it sent for TCP (its host firewall)', () => {
    expect(
      attributeSocketProbe(record('tcp', 'closed', 'conn-refused'), answer('unreachable', SERVER, 3)),
    ).toMatchObject({ state: 'filtered', reason: 'port-unreach', blockedBy: 'destination' });
  });

  it('reads a host-unreachable the kernel kept as a soft error (connect timed out)', () => {
    expect(
      attributeSocketProbe(record('tcp', 'filtered', 'no-response'), answer('unreachable', FW, 1)),
    ).toMatchObject({ state: 'filtered', reason: 'host-unreach', blockedBy: FW });
  });

  it('keeps UDP port-unreachable from the destination closed, and from anyone else filtered', () => {
    const udp = record('udp', 'closed', 'port-unreach');
    expect(attributeSocketProbe(udp, answer('unreachable', SERVER, 3))).toMatchObject({
      state: 'closed',
      replyFrom: SERVER,
    });
    expect(attributeSocketProbe(udp, answer('unreachable', FW, 3))).toMatchObject({
      state: 'filtered',
      blockedBy: FW,
    });
  });

  it('leaves a refusal nobody was seen sending unattributed, and says so', () => {
    const out = attributeSocketProbe(record('tcp', 'closed', 'conn-refused'), undefined);
    expect(out.state).toBe('closed');
    expect(out.replyFrom).toBeUndefined();
    expect(out.detail).toMatch(/sender is unknown/);
  });
});

describe('HopBudgets: a router’s ICMP budget toward this host', () => {
  it('allows a burst of 6, then one message per second, and gives back what silent probes held', () => {
    let now = 0;
    const budgets = new HopBudgets({ burst: 6, perSecond: 1 }, () => now);
    for (let i = 0; i < 6; i += 1) budgets.spent(FW);
    expect(budgets.available(FW)).toBeLessThan(1);
    expect(budgets.msUntilAvailable(FW)).toBe(1000);
    now = 500;
    expect(budgets.msUntilAvailable(FW)).toBe(500);
    now = 1000;
    expect(budgets.msUntilAvailable(FW)).toBe(0);
    budgets.hold(FW);
    expect(budgets.available(FW)).toBeCloseTo(0);
    expect(budgets.heldAt(FW)).toBe(1);
    budgets.refund(FW);
    expect(budgets.available(FW)).toBeCloseTo(1);
    expect(budgets.heldAt(FW)).toBe(0);
    expect(budgets.msUntilNoneDrained()).toBe(0);
    now = 10_000;
    expect(budgets.available(FW)).toBe(6);
  });

  it('learns a smaller budget from a hop that stayed silent where it should have answered', () => {
    const now = 0;
    const budgets = new HopBudgets({ burst: 6, perSecond: 1 }, () => now);
    budgets.overestimated(FW);
    expect(budgets.available(FW)).toBeLessThanOrEqual(0);
    expect(budgets.msUntilAvailable(FW)).toBe(1000);
    budgets.overestimated(FW);
    budgets.overestimated(FW);
    budgets.overestimated(FW);
    // The burst shrinks to 1 at the least; the refill rate stays.
    expect(budgets.msUntilAvailable(FW)).toBe(1000);
  });
});

import { describe, expect, it } from 'vitest';
import { HopBudgets } from '../../../src/probes/raw/hop-budget.js';

describe('HopBudgets', () => {
  it('wakes an ask waiting for a held message as soon as it is given back, not at its next poll', async () => {
    const budgets = new HopBudgets({ burst: 1, perSecond: 0.001 });
    budgets.hold('198.18.2.2');
    expect(budgets.available('198.18.2.2')).toBeLessThan(1);
    const woken = budgets.refundOrAfter(60_000); // would time the test out if it waited
    budgets.refund('198.18.2.2');
    await woken;
    expect(budgets.available('198.18.2.2')).toBeGreaterThanOrEqual(1);
  });

  it('learns a router is empty while asks hold its messages: their refunds do not refill it', async () => {
    // Three asks out, then a control the model gave budget to went unanswered: the router had
    // nothing left. When the three come back silent, it still has nothing until it refills.
    let now = 0;
    const budgets = new HopBudgets({ burst: 6, perSecond: 1 }, () => now);
    for (let i = 0; i < 3; i += 1) budgets.hold('198.18.2.2');
    budgets.overestimated('198.18.2.2');
    for (let i = 0; i < 3; i += 1) budgets.refund('198.18.2.2');
    expect(budgets.available('198.18.2.2')).toBeLessThanOrEqual(0);
    expect(budgets.msUntilAvailable('198.18.2.2')).toBe(1000);
    now = 1000;
    expect(budgets.msUntilAvailable('198.18.2.2')).toBe(0);
  });

  it('gives up waiting after its time when nothing is given back', async () => {
    await new HopBudgets().refundOrAfter(5);
  });
});

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

  it('gives up waiting after its time when nothing is given back', async () => {
    await new HopBudgets().refundOrAfter(5);
  });
});

import type { ProbeRecord } from '../types.js';
import type { RawReply } from './engine.js';
import type { LocaliseOptions } from './localise.js';
import type { HopBudgets } from './hop-budget.js';
import type { Ask } from './path-groups.js';
import { FULL_TTL } from './walk.js';
import { sleep } from '../../shared/sleep.js';

/** How often a wait for a router's budget looks again (messages held by probes out come back). */
export const BUDGET_POLL_MS = 20;

export type RecordAsk = (
  record: ProbeRecord,
  ttl: number,
  hop: string | null,
  /** Wait for the hop's budget to refill (pilots); otherwise answer `no-budget` at once. */
  wait?: boolean,
  /**
   * Identical probes sent at once, first answer wins: silence counts only when it holds on all of
   * them. One message of budget is held for them all — one answer is all the question needs.
   */
  copies?: number,
  /** Messages of the hop's budget to leave for others (the pilots walking beside a second sample). */
  reserve?: number,
) => Promise<RawReply | 'no-budget'>;

/**
 * An ask that respects each router's ICMP budget: it waits for the hop to have budget left (until
 * the deadline), holds one message of it while the probe is out (so concurrent asks do not count
 * the same message twice) and gives it back when the reply came — the reply itself is counted
 * when it arrives, like every ICMP error from that hop.
 */
export function budgetedAsk(
  ask: Ask,
  budgets: HopBudgets,
  options: LocaliseOptions,
  timeoutMs: number | undefined,
): RecordAsk {
  /** The messages are there but held by probes out, and it is not too late to wait for them. */
  const heldBack = (hop: string, needed: number, until: number) =>
    performance.now() < until && budgets.available(hop) + budgets.heldAt(hop) >= needed;
  return async (record, ttl, hop, mayWait = true, copies = 1, reserve = 0) => {
    if (hop === null && ttl !== FULL_TTL && mayWait) {
      // A router not known yet may be one that is out of budget now: let them all refill first.
      const wait = budgets.msUntilNoneDrained();
      if (wait > 0 && performance.now() + wait <= options.deadline) await sleep(wait);
    }
    if (hop !== null) {
      // An ask that does not wait for the hop's refill still waits for the messages other asks
      // hold, up to two of their timeouts: most are given back when those probes end in silence.
      const heldUntil = performance.now() + 2 * (timeoutMs ?? options.maxTimeoutMs) + BUDGET_POLL_MS;
      for (;;) {
        const needed = 1 + reserve;
        const wait = budgets.msUntilAvailable(hop, needed);
        if (wait === 0) break;
        if (options.signal.aborted) return 'no-budget';
        if (mayWait ? performance.now() + wait > options.deadline : !heldBack(hop, needed, heldUntil))
          return 'no-budget';
        // Look again soon, or as soon as a message held by a probe still out comes back.
        await budgets.refundOrAfter(Math.min(wait, BUDGET_POLL_MS));
      }
      budgets.hold(hop);
    }
    try {
      const send = () => ask(record.address as string, record.protocol, record.port, ttl, timeoutMs);
      const replies = await Promise.all(Array.from({ length: copies }, send));
      return replies.find((reply) => reply.kind !== 'none') ?? (replies[0] as RawReply);
    } finally {
      if (hop !== null) budgets.refund(hop);
    }
  };
}

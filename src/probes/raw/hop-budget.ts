import { wakeAll, wakeableSleep } from '../../shared/sleep.js';

/**
 * What each router is likely to have left of its ICMP budget toward this host. Routers rate-limit
 * the ICMP errors they send to one destination: Linux allows a burst of 6, then 1 per second
 * (net.ipv4.icmp_ratelimit, XRLIM_BURST_FACTOR); Cisco IOS 1 per 500 ms. Silence from a router that
 * has no budget left is not evidence, so localisation asks a hop only when this model says it can
 * answer, and counts every ICMP error the hop sent here — the unreachables it returned to the
 * connect probes drain the same bucket. A hop that stays silent where the model expected an answer
 * teaches the model a smaller budget.
 */
export interface HopBudgetModel {
  /** Messages a hop can send at once after a quiet period. */
  readonly burst: number;
  /** Messages per second it recovers. */
  readonly perSecond: number;
}

/** Linux defaults: the strictest common router behaviour we know of that still answers at all. */
export const LINUX_ICMP_BUDGET: HopBudgetModel = { burst: 6, perSecond: 1 };

interface Bucket {
  tokens: number;
  /** Of the messages spent, those held for probes still out (given back by refund). */
  held: number;
  at: number;
  burst: number;
  perSecond: number;
}

export class HopBudgets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly refundWaiters = new Set<() => void>();

  constructor(
    private readonly model: HopBudgetModel = LINUX_ICMP_BUDGET,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** An ICMP error arrived from this hop (for any probe): one message of its budget is spent. */
  spent(hop: string): void {
    const bucket = this.refill(hop);
    bucket.tokens -= 1;
  }

  /** A message held for a probe in flight, in case the hop answers it (refund gives it back). */
  hold(hop: string): void {
    const bucket = this.refill(hop);
    bucket.tokens -= 1;
    bucket.held += 1;
  }

  /** A message held for a probe in flight is given back (its reply, if any, was counted itself). */
  refund(hop: string): void {
    const bucket = this.refill(hop);
    bucket.held = Math.max(0, bucket.held - 1);
    bucket.tokens = Math.min(bucket.burst, bucket.tokens + 1);
    wakeAll(this.refundWaiters);
  }

  /**
   * Resolves when a held message is given back (on any hop), or after `ms`: an ask waiting for one
   * looks again at once instead of at its next poll.
   */
  refundOrAfter(ms: number): Promise<void> {
    return wakeableSleep(ms, this.refundWaiters);
  }

  /** Messages held for probes still out: they come back within those probes' timeouts. */
  heldAt(hop: string): number {
    return this.refill(hop).held;
  }

  /** Messages the hop can still send now, by the model. */
  available(hop: string): number {
    return this.refill(hop).tokens;
  }

  /**
   * Milliseconds until the hop has at least `messages` left (0 when it has them now); Infinity when
   * its burst, as learnt, is smaller.
   */
  msUntilAvailable(hop: string, messages = 1): number {
    const bucket = this.refill(hop);
    if (bucket.burst < messages) return Number.POSITIVE_INFINITY;
    return bucket.tokens >= messages ? 0 : Math.ceil(((messages - bucket.tokens) / bucket.perSecond) * 1000);
  }

  /**
   * Milliseconds until every hop that is out of budget now has one message again: a TTL whose
   * router is not known (silent so far) may be one of them.
   */
  msUntilNoneDrained(): number {
    let wait = 0;
    for (const hop of this.buckets.keys()) wait = Math.max(wait, this.msUntilAvailable(hop));
    return wait;
  }

  /**
   * The hop stayed silent although the model gave it budget and the probe provably reached it:
   * it has less than we thought (another source drains it, or it is stricter than Linux).
   */
  overestimated(hop: string): void {
    // Most often the bucket was simply empty (another scan from here a moment ago spent it): it
    // restarts from nothing, and a smaller burst is assumed. The refill rate is kept — routers
    // refill at least as fast as Linux's 1/s (Cisco's 1 per 500 ms is faster).
    // Empty means empty once the messages held for probes still out come back: their refunds add
    // them again, and a bucket reset to nothing with them outstanding would refill by refunds alone.
    const bucket = this.refill(hop);
    bucket.burst = Math.max(1, Math.floor(bucket.burst / 2));
    bucket.tokens = Math.min(bucket.tokens, -bucket.held);
  }

  private refill(hop: string): Bucket {
    const now = this.now();
    let bucket = this.buckets.get(hop);
    if (!bucket) {
      bucket = { tokens: this.model.burst, held: 0, at: now, ...this.model };
      this.buckets.set(hop, bucket);
    }
    bucket.tokens = Math.min(bucket.burst, bucket.tokens + ((now - bucket.at) / 1000) * bucket.perSecond);
    bucket.at = now;
    return bucket;
  }
}

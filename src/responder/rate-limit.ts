/**
 * Token buckets per source address: a burst, then a steady rate. A prober needs a handful of proofs
 * per port; anything faster is a flood (or a reflection attempt with forged sources) and is dropped.
 */
export class SourceRateLimit {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private global: { tokens: number; at: number };

  constructor(
    private readonly limits: {
      readonly burst: number;
      readonly perSecond: number;
      readonly globalPerSecond: number;
      /** Buckets kept at most; the oldest are dropped first (a spoofed-source flood cannot grow memory). */
      readonly maxSources: number;
    },
    private readonly now: () => number = () => performance.now(),
  ) {
    this.global = { tokens: limits.globalPerSecond, at: now() };
  }

  /** True when `source` may have one more answer now (and takes it). */
  take(source: string): boolean {
    const at = this.now();
    const { burst, perSecond, globalPerSecond, maxSources } = this.limits;
    const bucket = this.buckets.get(source) ?? { tokens: burst, at };
    bucket.tokens = Math.min(burst, bucket.tokens + ((at - bucket.at) / 1000) * perSecond);
    bucket.at = at;
    this.global.tokens = Math.min(
      globalPerSecond,
      this.global.tokens + ((at - this.global.at) / 1000) * globalPerSecond,
    );
    this.global.at = at;
    this.buckets.delete(source);
    if (this.buckets.size >= maxSources) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    this.buckets.set(source, bucket);
    if (bucket.tokens < 1 || this.global.tokens < 1) return false;
    bucket.tokens -= 1;
    this.global.tokens -= 1;
    return true;
  }
}

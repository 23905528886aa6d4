/**
 * Spaces events at least 1/ratePerSecond apart across every caller (a global packet rate).
 * Hand-written like run/pace.ts (which probes/ may not import): a few lines, plus cancel on close.
 */
export class Pacer {
  private readonly interval: number;
  private nextAt = 0;
  private readonly sleepers = new Set<() => void>();

  constructor(ratePerSecond: number) {
    if (!(ratePerSecond > 0)) throw new Error(`ratePerSecond must be > 0, got ${ratePerSecond}`);
    this.interval = 1000 / ratePerSecond;
  }

  wait(): Promise<void> {
    const now = performance.now();
    const delay = this.nextAt - now;
    this.nextAt = Math.max(now, this.nextAt) + this.interval;
    if (delay < 1) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, delay);
      this.sleepers.add(wake);
    });
  }

  /** Wakes every waiter at once (they then see the engine closed); leaves no timers behind. */
  cancel(): void {
    for (const wake of [...this.sleepers]) wake();
  }
}

/** At most `concurrency` tasks in flight; the rest wait in arrival order. */
export class Semaphore {
  private active = 0;
  private readonly queue: (() => void)[] = [];

  constructor(private readonly concurrency: number) {
    if (!(concurrency >= 1)) throw new Error(`concurrency must be >= 1, got ${concurrency}`);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.concurrency) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.active += 1;
    try {
      return await task();
    } finally {
      this.active -= 1;
      this.queue.shift()?.();
    }
  }
}

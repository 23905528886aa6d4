import { wakeAll, wakeableSleep } from '../../shared/sleep.js';

/**
 * Gives events slots 1/ratePerSecond apart across every caller (a global packet rate), in two
 * lanes: `wait()` in turn, and `waitAhead()` before every `wait()` still queued. The localisation's
 * TTL-limited probes go ahead: they are few, and each router's answer decides the next ask, while
 * the full-TTL asks beside them are thousands of independent ones (2,000 at 1,000 addresses, 200 ms
 * of a 10,000/s rate) that would otherwise hold every step of a walk back by as much.
 * Hand-written like run/pace.ts (which probes/ may not import): a queue, one timer, cancel on close.
 */
export class Pacer {
  private readonly interval: number;
  /** When the next slot is free. */
  private nextAt = 0;
  /** `wait()` callers not yet given a slot, in order, from `head`. */
  private readonly queue: (() => void)[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly sleepers = new Set<() => void>();

  constructor(ratePerSecond: number) {
    if (!(ratePerSecond > 0)) throw new Error(`ratePerSecond must be > 0, got ${ratePerSecond}`);
    this.interval = 1000 / ratePerSecond;
  }

  /** A slot in turn: after every caller before, and after any `waitAhead()` meanwhile. */
  wait(): Promise<void> {
    if (this.head === this.queue.length && this.nextAt - performance.now() < 1) {
      this.take(performance.now());
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.queue.push(resolve);
      this.schedule();
    });
  }

  /** The next free slot, ahead of every `wait()` still queued. */
  waitAhead(): Promise<void> {
    const now = performance.now();
    const delay = this.nextAt - now;
    this.take(now);
    if (delay < 1) return Promise.resolve();
    return wakeableSleep(delay, this.sleepers);
  }

  /** Wakes every waiter at once (they then see the engine closed); leaves no timers behind. */
  cancel(): void {
    wakeAll(this.sleepers);
    clearTimeout(this.timer);
    this.timer = undefined;
    const queued = this.queue.splice(this.head);
    this.queue.length = 0;
    this.head = 0;
    for (const resolve of queued) resolve();
  }

  private take(now: number): void {
    this.nextAt = Math.max(now, this.nextAt) + this.interval;
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => this.release(), Math.max(0, this.nextAt - performance.now()));
  }

  /** Gives the queue the slots of the next millisecond (timers are no finer), then waits for more. */
  private release(): void {
    this.timer = undefined;
    const now = performance.now();
    // A timer fires late: the slots it missed are given now rather than lost, so a busy event loop
    // does not slow the queue below the rate (as when each waiter had a timer of its own). Only a
    // queue that stayed full keeps its past slots: an empty one starts again from now.
    while (this.head < this.queue.length && this.nextAt < now + 1) {
      this.nextAt += this.interval;
      const resolve = this.queue[this.head] as () => void;
      this.head += 1;
      resolve();
    }
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    } else {
      // A queue fed as fast as it drains never empties: what was served is dropped now and then.
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      this.schedule();
    }
  }
}

/**
 * At most `concurrency` tasks in flight; the rest wait in arrival order, except those run `ahead`
 * (the walks' TTL-limited asks, as in the Pacer), which wait before all others.
 */
export class Semaphore {
  private active = 0;
  private readonly queue: (() => void)[] = [];

  constructor(private readonly concurrency: number) {
    if (!(concurrency >= 1)) throw new Error(`concurrency must be >= 1, got ${concurrency}`);
  }

  async run<T>(task: () => Promise<T>, ahead = false): Promise<T> {
    if (this.active >= this.concurrency)
      await new Promise<void>((resolve) => (ahead ? this.queue.unshift(resolve) : this.queue.push(resolve)));
    this.active += 1;
    try {
      return await task();
    } finally {
      this.active -= 1;
      this.queue.shift()?.();
    }
  }
}

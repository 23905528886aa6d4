import { describe, expect, it } from 'vitest';
import { Pacer, Semaphore } from '../../../src/probes/raw/pacer.js';

/** Calls `wait()` `queued` times, then `waitAhead()` `ahead` times; the order and times they resolved. */
async function race(pacer: Pacer, queued: number, ahead: number) {
  const order: string[] = [];
  const times: number[] = [];
  const done = (name: string) => () => {
    order.push(name);
    times.push(performance.now());
  };
  const waits = [
    ...Array.from({ length: queued }, (_, i) => pacer.wait().then(done(`q${i}`))),
    ...Array.from({ length: ahead }, (_, i) => pacer.waitAhead().then(done(`a${i}`))),
  ];
  await Promise.all(waits);
  return { order, times };
}

describe('Pacer (the raw engine’s packet rate, two lanes)', () => {
  it('spaces every send by the rate, whichever lane it takes', async () => {
    // 200 per second is one slot every 5 ms: 15 sends span at least 14 slots, less the millisecond a
    // timer's release looks ahead (timers fire late, never early).
    const { times } = await race(new Pacer(200), 10, 5);
    expect(times).toHaveLength(15);
    expect((times.at(-1) as number) - (times[0] as number)).toBeGreaterThanOrEqual(14 * 5 - 6);
  });

  it('sends a TTL-limited probe ahead of the full-TTL ones still queued', async () => {
    const { order } = await race(new Pacer(200), 20, 1);
    // The queue's first slot was free at once; the one ahead takes the next, before the other 19.
    expect(order.indexOf('a0')).toBeLessThanOrEqual(2);
    expect(order.filter((name) => name.startsWith('q'))).toEqual(
      Array.from({ length: 20 }, (_, i) => `q${i}`),
    );
  });

  it('releases every waiter of both lanes at once when cancelled', async () => {
    const pacer = new Pacer(10); // 100 ms a slot: without cancel, this would take two seconds
    const started = performance.now();
    const waiting = race(pacer, 10, 10);
    setTimeout(() => pacer.cancel(), 20);
    const { order } = await waiting;
    expect(order).toHaveLength(20);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('Semaphore (the localisation’s concurrency cap)', () => {
  it('runs a task asked ahead before those waiting in turn, never more than the cap at once', async () => {
    const semaphore = new Semaphore(2);
    const order: string[] = [];
    let inFlight = 0;
    let peak = 0;
    const task = (name: string) => async () => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push(name);
      inFlight -= 1;
    };
    const runs = [
      ...['t0', 't1', 't2', 't3', 't4'].map((name) => semaphore.run(task(name))),
      semaphore.run(task('ahead'), true),
    ];
    await Promise.all(runs);
    expect(peak).toBe(2);
    expect(order.slice(0, 2).sort()).toEqual(['t0', 't1']);
    expect(order.indexOf('ahead')).toBeLessThanOrEqual(3);
    expect(order.filter((name) => name !== 'ahead')).toEqual(['t0', 't1', 't2', 't3', 't4']);
  });
});

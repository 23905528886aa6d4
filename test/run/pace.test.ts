import { describe, expect, it } from 'vitest';
import { runPaced } from '../../src/run/index.js';

describe('runPaced', () => {
  it('never has more tasks in flight than the concurrency cap, and keeps result order', async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await runPaced(
      [...Array(40).keys()],
      { concurrency: 5, ratePerSecond: 10_000 },
      async (n) => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 2 + (n % 3)));
        inFlight -= 1;
        return n * 2;
      },
    );
    expect(peak).toBe(5);
    expect(results).toEqual([...Array(40).keys()].map((n) => n * 2));
  });

  it('spaces task starts by the rate cap', async () => {
    const starts: number[] = [];
    await runPaced([...Array(6).keys()], { concurrency: 6, ratePerSecond: 50 }, async () => {
      starts.push(performance.now());
    });
    // 50 per second is one start every 20 ms: six starts span at least 100 ms (timers may fire late,
    // and a few milliseconds early relative to when the task body runs).
    const span = (starts.at(-1) as number) - (starts[0] as number);
    expect(span).toBeGreaterThanOrEqual(100 - 4);
  });

  it('stops waiting for its pace once aborted, still running every task (tasks see the signal)', async () => {
    const controller = new AbortController();
    const seen: boolean[] = [];
    const run = runPaced(
      [...Array(5).keys()],
      { concurrency: 1, ratePerSecond: 1, signal: controller.signal },
      async () => {
        seen.push(controller.signal.aborted);
      },
    );
    setTimeout(() => controller.abort(), 50);
    await run;
    expect(seen).toEqual([false, true, true, true, true]);
  });
});

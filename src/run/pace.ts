import { wakeAll, wakeableSleep } from '../shared/sleep.js';

/**
 * Runs tasks with at most `concurrency` in flight and starts at most `ratePerSecond` per second.
 * Hand-written because it is a dozen lines and the probe loop needs both caps plus abort in one place.
 */
export async function runPaced<T, R>(
  items: readonly T[],
  limits: { concurrency: number; ratePerSecond: number; signal?: AbortSignal },
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  const interval = 1000 / limits.ratePerSecond;
  // One abort listener wakes every sleeping worker: one per sleep cost a listener added and removed
  // for each of a scan's thousands of probes.
  const sleepers = new Set<() => void>();
  const wakeSleepers = () => wakeAll(sleepers);
  limits.signal?.addEventListener('abort', wakeSleepers, { once: true });
  const sleep = (ms: number) => wakeableSleep(ms, sleepers);
  let nextStart = performance.now();
  let nextIndex = 0;
  const worker = async () => {
    while (nextIndex < items.length) {
      const index = nextIndex;
      nextIndex += 1;
      const now = performance.now();
      const wait = nextStart - now;
      nextStart = Math.max(now, nextStart) + interval;
      if (wait > 1 && !limits.signal?.aborted) await sleep(wait);
      results[index] = await task(items[index] as T, index);
    }
  };
  const workers = Array.from({ length: Math.min(limits.concurrency, items.length) }, worker);
  try {
    await Promise.all(workers);
  } finally {
    limits.signal?.removeEventListener('abort', wakeSleepers);
  }
  return results;
}

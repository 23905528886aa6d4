/** Sleeps `ms`. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sleeps `ms`, or less: the function it puts in `sleepers` ends the sleep early (and takes itself
 * out). Whoever holds the set wakes every sleeper at once — on abort, on a given-back budget, on
 * close — with one listener instead of one per sleep.
 */
export function wakeableSleep(ms: number, sleepers: Set<() => void>): Promise<void> {
  return new Promise((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      sleepers.delete(wake);
      resolve();
    };
    const timer = setTimeout(wake, ms);
    sleepers.add(wake);
  });
}

/** Wakes every sleeper of the set (a copy is walked: each takes itself out). */
export function wakeAll(sleepers: ReadonlySet<() => void>): void {
  for (const wake of [...sleepers]) wake();
}

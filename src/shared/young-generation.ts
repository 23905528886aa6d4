import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { writingCodeCache } from './code-cache-build.js';

/** The semi-space size a scan runs best with, as measured (see capYoungGeneration). */
export const MAX_SEMI_SPACE_BYTES = 4 * 1024 * 1024;
/** V8's own growth factor: each growth doubles the semi-spaces. */
const DEFAULT_GROWTH_FACTOR = 2;

let growthFactor = DEFAULT_GROWTH_FACTOR;
let observer: PerformanceObserver | undefined;

/**
 * Usable bytes of one semi-space now: new_space's capacity, what is allocated in it plus what is left.
 * (Its space_size is the memory committed, which counts the other semi-space only while V8 keeps it.)
 */
export function semiSpaceBytes(): number {
  const newSpace = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
  return newSpace ? newSpace.space_used_size + newSpace.space_available_size : 0;
}

/** Lets the semi-spaces double while they are under the cap, and no further once they reach it. */
function steer(): void {
  // Semi-spaces are sized in powers of two, and a little of each goes to page headers.
  const wanted = semiSpaceBytes() > 0.75 * MAX_SEMI_SPACE_BYTES ? 1 : DEFAULT_GROWTH_FACTOR;
  if (wanted === growthFactor) return;
  setFlagsFromString(`--semi-space-growth-factor=${wanted}`);
  growthFactor = wanted;
}

/**
 * Holds V8's young generation to 4 MiB semi-spaces from now on, without a command-line flag; the
 * function returned stops steering (the last factor stays). A scan calls it when it starts.
 *
 * Why: most of a scan's young objects live as long as their probe, so V8 grows its semi-spaces to
 * their maximum, 16 MiB, which took a 240-address scan's peak RSS to ~110 MB; 2 MiB semi-spaces copy
 * the live probes over and over (~90 ms more for the same scan); 4 MiB gives ~88 MB at no cost in
 * time. The command-line flag (`--max-semi-space-size=4`, on the launcher line until this) has a price
 * for every command, probing or not: Node's built-in modules come compiled for V8's default flags and
 * are compiled from source under any other (~20-25 ms a command). V8 fixes the maximum when the heap
 * is made, but it reads its growth factor each time it grows the semi-spaces (after a scavenge in
 * which much survived), so a factor of 1 once they have reached the cap stops them there. It is
 * steered after each garbage collection, when the event loop delivers the collection's entry; a scan
 * turns the loop for every probe's events, but code that allocates for long without letting it turn
 * (a large report being built, say) can grow the semi-spaces past the cap before the next steer.
 *
 * Not while the build makes the code cache (code-cache-build.ts): a cache made after this changed
 * a flag would be refused by every later run.
 */
export function capYoungGeneration(): () => void {
  if (writingCodeCache()) return () => {};
  steer();
  observer ??= new PerformanceObserver(steer);
  observer.observe({ entryTypes: ['gc'] });
  return () => observer?.disconnect();
}

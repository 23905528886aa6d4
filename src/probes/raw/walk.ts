/** A TTL big enough to reach any destination: the answer the destination itself gives. */
export const FULL_TTL = 64;

/**
 * The TTL at which a sender whose replies arrive with `receivedTtl` is reached: stacks start at 64,
 * 128 or 255 (32 on old ones), so the reply crossed (initial − received) routers. An estimate that
 * sizes the first trace; the trace itself is the evidence.
 */
export function estimateDistance(receivedTtl: number): number {
  const initial = [32, 64, 128, 255].find((candidate) => candidate >= receivedTtl) ?? 255;
  return initial - receivedTtl + 1;
}

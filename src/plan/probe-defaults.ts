/**
 * Probe settings a plan or the command line leaves out. Kept apart from the zod schema so that the
 * command line's help (loaded by every command) states them without loading zod.
 */
export const DEFAULT_PROBE_SETTINGS = {
  timeoutMs: 2000,
  minTimeoutMs: 100,
  retries: 1,
  udpRetries: 2,
  concurrency: 512,
  ratePerSecond: 10000,
};

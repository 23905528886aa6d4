/**
 * PORTFLIGHT_DEBUG=timing (one of a comma-separated list): the launcher says whether the code cache
 * was used, and an unattended run when each stage started and how long the stages after the scan took.
 */
export function debugTimingOn(): boolean {
  return process.env.PORTFLIGHT_DEBUG?.split(',').includes('timing') ?? false;
}

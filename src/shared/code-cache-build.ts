/**
 * scripts/build.mjs runs the demo with PORTFLIGHT_WRITE_CODE_CACHE=1 to make the launcher's code
 * cache: the launcher then writes the cache on exit, and nothing may change a V8 flag meanwhile (a
 * cache carries a digest of the flags it was made under, and V8 refuses it under any other).
 */
export function writingCodeCache(): boolean {
  return process.env.PORTFLIGHT_WRITE_CODE_CACHE === '1';
}

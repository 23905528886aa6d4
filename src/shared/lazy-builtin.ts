import { createRequire } from 'node:module';

const requireBuiltin = createRequire(import.meta.url);

/**
 * A Node built-in module loaded on first use instead of at start-up. The CLI is one bundle whose
 * modules all initialise when it starts, and so do the built-ins they import (node:http 2.4 ms,
 * node:zlib 1.3 ms); once a scan has changed a V8 flag (src/shared/young-generation.ts) Node compiles
 * each built-in it loads from source, as its embedded code cache is made for V8's default flags
 * (node:http 7.5 ms, node:zlib 2.6 ms). Modules that only some commands need take them through this.
 */
export function lazyBuiltin<T>(id: `node:${string}`): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireBuiltin(id) as T);
}

import { createRequire } from 'node:module';

const requireBuiltin = createRequire(import.meta.url);

/**
 * A Node built-in module loaded on first use instead of at start-up. The CLI is one bundle whose
 * modules all initialise when it starts, and so do the built-ins they import; under the V8 flag of
 * the launcher line Node compiles each built-in from source (its embedded code cache is made for
 * V8's default flags), e.g. node:zlib 2.6 ms and node:child_process 2.9 ms. Modules that only some
 * commands need take them through this.
 */
export function lazyBuiltin<T>(id: `node:${string}`): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireBuiltin(id) as T);
}

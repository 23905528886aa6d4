import { isIP } from 'node:net';
import { lazyBuiltin } from '../shared/lazy-builtin.js';

/** Plans and checks name their hosts by address as often as not: those never load the resolver. */
const dns = lazyBuiltin<typeof import('node:dns/promises')>('node:dns/promises');

export type HostResolution =
  | { readonly ok: true; readonly addresses: readonly string[] }
  | { readonly ok: false; readonly detail: string };

/** A name with more addresses than this is a load-balanced pool; probing the first ones is representative. */
const MAX_ADDRESSES_PER_HOST = 8;

/**
 * Resolves a target the way clients do (the system resolver, hosts file included) and keeps every
 * address: a port blocked on one of them strands the clients that pick it.
 */
export async function resolveHost(host: string, timeoutMs: number): Promise<HostResolution> {
  const literal = host.replace(/^\[(.*)\]$/, '$1');
  if (isIP(literal)) return { ok: true, addresses: [literal] };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<HostResolution>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, detail: `no answer from the resolver in ${timeoutMs} ms` }),
      timeoutMs,
    );
  });
  const answer = dns()
    .lookup(host, { all: true, verbatim: true })
    .then(
      (entries): HostResolution => ({
        ok: true,
        addresses: [...new Set(entries.map((entry) => entry.address))].slice(0, MAX_ADDRESSES_PER_HOST),
      }),
      (error: NodeJS.ErrnoException): HostResolution => ({ ok: false, detail: error.code ?? error.message }),
    );
  try {
    return await Promise.race([answer, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

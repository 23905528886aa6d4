import { readFile } from 'node:fs/promises';
import { hostname, networkInterfaces } from 'node:os';

export interface Vantage {
  readonly hostname: string;
  /** The addresses probes leave from (non-loopback first; loopback only when there is nothing else). */
  readonly addresses: readonly string[];
  readonly privileges: {
    /** Raw sockets (root or CAP_NET_RAW): needed for TTL path probes, forged-RST and ICMP analysis. */
    readonly rawSocket: boolean;
    readonly detail: string;
  };
}

/** CAP_NET_RAW is capability bit 13 (linux/capability.h). */
const CAP_NET_RAW_BIT = 13n;

/** Describes where the probes run from: a report is only as good as its vantage point. */
export async function describeVantage(): Promise<Vantage> {
  const all = Object.values(networkInterfaces()).flatMap((list) => list ?? []);
  const external = all.filter((entry) => !entry.internal).map((entry) => entry.address);
  const addresses = external.length > 0 ? external : all.map((entry) => entry.address);
  return { hostname: hostname(), addresses, privileges: await detectRawSocketPrivilege() };
}

async function detectRawSocketPrivilege(): Promise<Vantage['privileges']> {
  if (process.platform === 'linux') {
    try {
      const status = await readFile('/proc/self/status', 'utf8');
      const hex = /^CapEff:\s*([0-9a-f]+)$/im.exec(status)?.[1];
      if (hex !== undefined) {
        const rawSocket = ((BigInt(`0x${hex}`) >> CAP_NET_RAW_BIT) & 1n) === 1n;
        return {
          rawSocket,
          detail: rawSocket ? 'CAP_NET_RAW effective' : 'no CAP_NET_RAW (run as root or grant it)',
        };
      }
    } catch {
      // Fall through to the uid check: /proc may be hidden in some sandboxes.
    }
  }
  const root = process.getuid?.() === 0;
  return { rawSocket: root, detail: root ? 'running as root' : 'not root: raw-socket probes unavailable' };
}

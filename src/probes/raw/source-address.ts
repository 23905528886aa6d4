import { createSocket, type Socket } from 'node:dgram';

const cache = new Map<string, Promise<string>>();
/** One socket answers every lookup, connected to one destination at a time (`queue`). */
let socket: Socket | undefined;
let queue: Promise<unknown> = Promise.resolve();

/**
 * The source address the kernel would use toward `destination`: the TCP checksum covers it, so a
 * hand-built SYN must know it. Connecting a UDP socket asks the routing table and sends nothing.
 * One socket serves every destination in turn (a socket made, bound and closed per address was
 * ~20 ms of a 240-address scan); its lookups are a few process ticks each.
 */
export function sourceAddressFor(destination: string): Promise<string> {
  let lookup = cache.get(destination);
  if (!lookup) {
    lookup = queue.then(() => routeTo(destination));
    queue = lookup.catch(() => undefined);
    // A failed lookup (no route yet) is not remembered: routes may appear later.
    lookup.catch(() => cache.delete(destination));
    cache.set(destination, lookup);
  }
  return lookup;
}

function routeTo(destination: string): Promise<string> {
  // Unreferenced: a scan's end, not this socket, decides when the process may exit.
  const udp = (socket ??= createSocket('udp4').unref());
  return new Promise((resolve, reject) => {
    // A failure of the socket itself (binding it) comes as an event: the next lookup gets a new one.
    const broken = (error: Error) => {
      socket = undefined;
      udp.close();
      reject(error);
    };
    udp.once('error', broken);
    udp.connect(9, destination, (error?: Error) => {
      udp.off('error', broken);
      // No route: the connect callback gets the error (ENETUNREACH), and the socket stays unconnected.
      if (error) return reject(error);
      const { address } = udp.address();
      udp.disconnect();
      resolve(address);
    });
  });
}

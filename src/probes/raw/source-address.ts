import { createSocket } from 'node:dgram';

const cache = new Map<string, Promise<string>>();

/**
 * The source address the kernel would use toward `destination`: the TCP checksum covers it, so a
 * hand-built SYN must know it. Connecting a UDP socket asks the routing table and sends nothing.
 */
export function sourceAddressFor(destination: string): Promise<string> {
  let lookup = cache.get(destination);
  if (!lookup) {
    lookup = new Promise<string>((resolve, reject) => {
      const socket = createSocket('udp4');
      socket.once('error', (error) => {
        socket.close();
        reject(error);
      });
      socket.connect(9, destination, () => {
        const { address } = socket.address();
        socket.close();
        resolve(address);
      });
    });
    // A failed lookup (no route yet) is not remembered: routes may appear later.
    lookup.catch(() => cache.delete(destination));
    cache.set(destination, lookup);
  }
  return lookup;
}

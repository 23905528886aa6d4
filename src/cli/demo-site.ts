import { createServer, type Server, type Socket } from 'node:net';
import type { ScanSpec } from '../plan/index.js';

/**
 * Stands in for the site systems of the demo plan: loopback listeners on today's ports, and on the
 * first system's candidate HTTPS port (as if its new binding were already in place). Anything else
 * stays closed, so the demo shows open and closed ports and a real verdict without a lab.
 */
export async function startDemoSite(spec: ScanSpec): Promise<{ close(): Promise<void>; notes: string[] }> {
  const servers: Server[] = [];
  const notes: string[] = [];
  const wanted: { host: string; port: number }[] = [];
  spec.targets.forEach((target, index) => {
    if (!/^127\./.test(target.host))
      throw new Error(`demo plan must only name loopback addresses, not ${target.host}`);
    for (const assignment of target.ports) {
      const roles = assignment.roles;
      if (
        roles.includes('current-http') ||
        roles.includes('current-https') ||
        roles.includes('client-notification')
      ) {
        wanted.push({ host: target.host, port: assignment.port });
      } else if (index === 0 && roles.includes('candidate-https')) {
        wanted.push({ host: target.host, port: assignment.port });
      }
    }
  });
  const sockets = new Set<Socket>();
  for (const { host, port } of wanted) {
    const server = createServer((socket) => {
      // Answer as a web server refusing a stranger would, so the HTTP probe has something to record.
      sockets.add(socket.once('close', () => sockets.delete(socket)));
      socket.on('error', () => socket.destroy());
      socket.end(
        'HTTP/1.1 403 Forbidden\r\nServer: portflight-demo\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
      );
    });
    const listening = await new Promise<boolean>((resolve) => {
      server.once('error', (error: NodeJS.ErrnoException) => {
        notes.push(
          `demo listener ${host}:${port} not started (${error.code}); the scan reports what is there`,
        );
        resolve(false);
      });
      server.listen(port, host, () => resolve(true));
    });
    if (listening) servers.push(server);
  }
  return {
    notes,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all(
        servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
      );
    },
  };
}

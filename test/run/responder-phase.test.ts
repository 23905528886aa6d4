// The responder phase against a loopback responder: many ports of one server are all proved, never
// turned into "middlebox" by the responder's own rate limit.
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { probeSettingsSchema } from '../../src/plan/probe-settings-schema.js';
import type { ScanTarget } from '../../src/plan/index.js';
import type { ProbeRecord } from '../../src/probes/index.js';
import { startResponder, type Responder } from '../../src/responder/listen.js';
import { runResponderPhase } from '../../src/run/responder-phase.js';

const TOKEN = Buffer.from('r'.repeat(64));
const LOOPBACK = '127.0.0.1';
let responder: Responder | undefined;
afterAll(() => responder?.close());

async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, async () => {
      const server = createServer();
      await new Promise<void>((done) => server.listen(0, LOOPBACK, done));
      return server;
    }),
  );
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  return ports;
}

describe('responder phase', () => {
  it('proves 40 ports of one server, paced under its per-source limit', async () => {
    const ports = await freePorts(40);
    responder = await startResponder({
      token: TOKEN,
      identity: 'srv',
      ports: ports.map((port) => ({ protocol: 'tcp', port })),
      bind: [LOOPBACK],
      log: () => undefined,
    });
    const records: ProbeRecord[] = ports.map((port) => ({
      target: LOOPBACK,
      address: LOOPBACK,
      protocol: 'tcp',
      port,
      roles: ['extra'],
      state: 'open',
      reason: 'syn-ack',
      rttMs: 1,
    }));
    const target = { host: LOOPBACK, responder: true, ports: [] } as unknown as ScanTarget;
    const settings = probeSettingsSchema.parse({ timeoutMs: 1000 });
    const proved = await runResponderPhase(records, [target], {
      token: TOKEN,
      settings,
      signal: new AbortController().signal,
    });
    expect(proved.map((record) => record.reason)).toEqual(ports.map(() => 'responder'));
    // Today's ports and hosts without a responder are left as they were.
    const untouched = await runResponderPhase([{ ...records[0]!, roles: ['current-http'] }], [target], {
      token: TOKEN,
      settings,
      signal: new AbortController().signal,
    });
    expect(untouched[0]?.responder).toBeUndefined();
  }, 30_000);
});

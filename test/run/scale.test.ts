import { describe, expect, it } from 'vitest';
import { buildAdhocSpec } from '../../src/plan/index.js';
import { runScan } from '../../src/run/index.js';

describe('scan at scale (real sockets, loopback)', () => {
  it('runs 10,000 probes without running out of file descriptors', async () => {
    // 127.0.0.2-5 × 2,500 ports nobody listens on: every probe must come back closed, none as error.
    const spec = buildAdhocSpec({
      hosts: ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5'],
      ports: Array.from({ length: 2500 }, (_, i) => ({ protocol: 'tcp' as const, port: 40_000 + i })),
      // Connect phase only: this is about sockets, not about path or HTTP probes of 10,000 closed ports.
      probe: {
        concurrency: 1024,
        ratePerSecond: 20_000,
        timeoutMs: 5000,
        pathProbing: false,
        icmpEcho: false,
        appProbes: false,
      },
    });
    const result = await runScan(spec);
    expect(result.records).toHaveLength(10_000);
    const states = new Map<string, number>();
    for (const record of result.records) states.set(record.state, (states.get(record.state) ?? 0) + 1);
    expect(Object.fromEntries(states)).toEqual({ closed: 10_000 });
    expect(result.complete).toBe(true);
  }, 120_000);
});

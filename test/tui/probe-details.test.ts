import { describe, expect, it } from 'vitest';
import type { ProbeRecord } from '../../src/probes/types.js';
import { probeDetailLines } from '../../src/tui/describe.js';

const base: ProbeRecord = {
  target: 'mp01',
  address: '198.19.1.7',
  protocol: 'tcp',
  port: 8443,
  roles: ['candidate-https'],
  state: 'filtered',
  reason: 'no-response',
  rttMs: null,
};

describe('probe details: who answered and how the blocker was found', () => {
  it('says a blocker was inferred, and from which address', () => {
    const lines = probeDetailLines(
      { ...base, blockedBy: '198.18.2.2', localisation: 'inferred', inferredFrom: '198.19.1.1' },
      'tcp/8443',
    );
    expect(lines).toContain('blocked by: 198.18.2.2 (inferred from 198.19.1.1: same path and port)');
  });

  it('names the two hops around a router that sends no time-exceeded', () => {
    const lines = probeDetailLines(
      { ...base, blockedBy: null, blockedBetween: ['198.18.1.2', '198.18.3.2'], localisation: 'probed' },
      'tcp/8443',
    );
    expect(lines).toContain(
      'blocked by: between 198.18.1.2 and 198.18.3.2 (they send no time-exceeded) (probed)',
    );
  });

  it('shows the sender of a reject and a NAT rewrite on the path', () => {
    const lines = probeDetailLines(
      {
        ...base,
        reason: 'admin-prohibited',
        replyFrom: '198.18.2.2',
        replyTtl: 63,
        blockedBy: '198.18.2.2',
        localisation: 'probed',
        path: [
          { ttl: 1, address: '198.18.1.2', rttMs: 1 },
          { ttl: 2, address: '198.18.2.2', rttMs: 1, rewrites: ['dscp 0→8'] },
        ],
      },
      'tcp/8443',
    );
    expect(lines).toContain('answered by: 198.18.2.2 (TTL 63)');
    expect(lines).toContain('path: 1 198.18.1.2 → 2 198.18.2.2 ⊘ [dscp 0→8]');
  });

  it('warns when a closer device answered in the server’s place', () => {
    const lines = probeDetailLines(
      {
        ...base,
        state: 'open',
        reason: 'syn-ack',
        rttMs: 1,
        answeredCloser: { replyHops: 2, destinationHops: 3 },
      },
      'tcp/8443',
    );
    expect(lines.join('\n')).toMatch(/answered from 2 hop\(s\) away, the server is 3/);
  });
});

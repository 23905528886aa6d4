import { describe, expect, it } from 'vitest';
import { addressViews } from '../../../src/probes/raw/path-groups.js';
import { analyseReplyTtls } from '../../../src/probes/raw/reply-ttls.js';
import type { ProbeRecord } from '../../../src/probes/types.js';

const SERVER = '198.19.1.1';
const answer = (port: number, state: 'open' | 'closed', ttl: number, window = 0, ipId = 0): ProbeRecord => ({
  target: SERVER,
  address: SERVER,
  protocol: 'tcp',
  port,
  roles: ['extra'],
  state,
  reason: state === 'open' ? 'syn-ack' : 'conn-refused',
  rttMs: 1,
  replyFrom: SERVER,
  replyTtl: ttl,
  replyFingerprint: { ipId, window },
});

function analyse(records: ProbeRecord[]) {
  const [view] = addressViews(records);
  const out = analyseReplyTtls(view as NonNullable<typeof view>);
  return (port: number) => out.get(records.find((r) => r.port === port) as ProbeRecord);
}

describe('what reply TTLs and stack marks say about the sender', () => {
  it('flags an open port whose SYN-ACK crossed fewer routers than the server’s (a DNAT, a proxy)', () => {
    const refined = analyse([answer(80, 'open', 61), answer(443, 'open', 61), answer(8443, 'open', 62)]);
    expect(refined(8443)?.answeredCloser).toEqual({ replyHops: 2, destinationHops: 3 });
    expect(refined(80)).toBeUndefined();
  });

  it('calls a RST from fewer hops than the server’s SYN-ACKs reset-injected', () => {
    const refined = analyse([answer(80, 'open', 61), answer(8081, 'closed', 63)]);
    expect(refined(8081)).toMatchObject({
      state: 'filtered',
      reason: 'reset-injected',
      localisation: 'probed',
    });
  });

  it('suspects the one RST whose marks differ from the host’s other RSTs, at the same TTL', () => {
    const refined = analyse([
      answer(80, 'open', 61),
      answer(8530, 'closed', 61, 0, 0),
      answer(8531, 'closed', 61, 0, 0),
      answer(8082, 'closed', 61, 29200, 4711),
    ]);
    expect(refined(8082)).toMatchObject({ state: 'closed', reason: 'reset-suspected' });
    expect(refined(8530)).toBeUndefined();
  });

  it('suspects nothing when there is no majority to compare with', () => {
    const refined = analyse([
      answer(80, 'open', 61),
      answer(8530, 'closed', 61, 0, 0),
      answer(8082, 'closed', 61, 512, 9),
    ]);
    expect(refined(8530)).toBeUndefined();
    expect(refined(8082)).toBeUndefined();
  });
});

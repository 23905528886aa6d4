// The decision rules over canned replies: the same packets the netns test sees, plus the cases a
// test network cannot easily produce (no reference, mute hops, forged RST seen only by its TTL).
import { describe, expect, it } from 'vitest';
import type { ProbeRecord } from '../../../src/probes/types.js';
import type { RawReply } from '../../../src/probes/raw/engine.js';
import type { ReferencePath } from '../../../src/probes/raw/reference.js';
import {
  classifyBlocked,
  classifyPortUnreachable,
  classifyReset,
  reasonOfUnreachable,
} from '../../../src/probes/raw/classify.js';

const DEST = '198.18.4.2';
const [R1, FW, R2] = ['198.18.1.2', '198.18.2.2', '198.18.3.2'];
const none: RawReply = { kind: 'none', from: null, ttl: null, icmpType: null, icmpCode: null, rttMs: null };
const exceeded = (from: string): RawReply => ({
  ...none,
  kind: 'time-exceeded',
  from,
  ttl: 64,
  icmpType: 11,
  icmpCode: 0,
  rttMs: 1,
});
const unreachable = (from: string, code: number): RawReply => ({
  ...none,
  kind: 'unreachable',
  from,
  ttl: 63,
  icmpType: 3,
  icmpCode: code,
  rttMs: 1,
});
const rst = (ttl: number): RawReply => ({ ...none, kind: 'rst', from: DEST, ttl, rttMs: 1 });
const walk = (...replies: RawReply[]) => new Map(replies.map((reply, index) => [index + 1, reply]));

const REFERENCE: ReferencePath = {
  basis: 'syn-ack',
  protocol: 'tcp',
  port: 80,
  distance: 4,
  destinationTtl: 61,
  hops: [R1, FW, R2, DEST].map((address, index) => ({ ttl: index + 1, address, rttMs: 1 })),
};
const UNKNOWN: ReferencePath = {
  ...REFERENCE,
  basis: 'none',
  protocol: null,
  port: null,
  distance: null,
  destinationTtl: null,
  hops: [],
};

function record(
  protocol: 'tcp' | 'udp',
  state: ProbeRecord['state'],
  reason: ProbeRecord['reason'],
): ProbeRecord {
  return { target: 'server', address: DEST, protocol, port: 8080, roles: [], state, reason, rttMs: null };
}
const tcpFiltered = record('tcp', 'filtered', 'no-response');

describe('classifying raw replies', () => {
  it('blames the last hop that answered time-exceeded before the silence', () => {
    const result = classifyBlocked(
      tcpFiltered,
      { full: none, walk: walk(exceeded(R1), exceeded(FW), none, none) },
      REFERENCE,
    );
    expect(result).toMatchObject({ state: 'filtered', reason: 'no-response', blockedBy: FW });
    expect(result.path?.map((hop) => hop.address)).toEqual([R1, FW, null, null]);
  });

  it('says destination when every network hop answered and only the destination is silent', () => {
    const result = classifyBlocked(
      tcpFiltered,
      { full: none, walk: walk(exceeded(R1), exceeded(FW), exceeded(R2), none) },
      REFERENCE,
    );
    expect(result.blockedBy).toBe('destination');
  });

  it('keeps UDP silence open|filtered when the hop after the last answer never answers anyone', () => {
    const mute: ReferencePath = {
      ...REFERENCE,
      hops: REFERENCE.hops.map((hop) => (hop.ttl === 3 ? { ...hop, address: null } : hop)),
    };
    const udp = record('udp', 'open|filtered', 'no-response');
    const observation = { full: none, walk: walk(exceeded(R1), exceeded(FW), none, none) };
    expect(classifyBlocked(udp, observation, mute)).toMatchObject({ state: 'open|filtered', blockedBy: FW });
    expect(classifyBlocked(udp, observation, REFERENCE)).toMatchObject({ state: 'filtered', blockedBy: FW });
  });

  it('cannot say where it stops when no hop answers, and says so with a null blockedBy', () => {
    const result = classifyBlocked(tcpFiltered, { full: none, walk: walk(none, none, none) }, UNKNOWN);
    expect(result.blockedBy).toBeNull();
    expect(result.detail).toMatch(/no hop answered/);
  });

  it.each([
    [13, 'admin-prohibited'],
    [10, 'admin-prohibited'],
    [9, 'admin-prohibited'],
    [1, 'host-unreach'],
    [0, 'net-unreach'],
  ] as const)('maps ICMP 3/%i to %s, blocked by its sender', (code, reason) => {
    const observation = {
      full: unreachable(FW, code),
      walk: walk(exceeded(R1), exceeded(FW), unreachable(FW, code)),
    };
    const result = classifyBlocked(record('tcp', 'filtered', 'host-unreach'), observation, REFERENCE);
    expect(result).toMatchObject({ state: 'filtered', reason, blockedBy: FW, replyTtl: 63 });
    expect(reasonOfUnreachable(code)).toBe(reason);
  });

  it('turns a filtered port open only on a SYN-ACK actually received from the destination', () => {
    const synAck: RawReply = { ...none, kind: 'syn-ack', from: DEST, ttl: 61, rttMs: 2 };
    expect(classifyBlocked(tcpFiltered, { full: synAck, walk: walk() }, REFERENCE)).toMatchObject({
      state: 'open',
      reason: 'syn-ack',
    });
  });

  it('keeps a RST with the destination TTL closed and marks one from fewer hops as injected', () => {
    const closed = record('tcp', 'closed', 'conn-refused');
    expect(classifyReset(closed, { full: rst(61) }, REFERENCE)).toMatchObject({
      state: 'closed',
      reason: 'conn-refused',
      replyTtl: 61,
    });
    // TTL arithmetic alone: 63 vs 61 is two hops closer than the destination at 4 → hop 2.
    const byTtl = classifyReset(closed, { full: rst(63) }, REFERENCE);
    expect(byTtl).toMatchObject({ state: 'filtered', reason: 'reset-injected', blockedBy: FW });
    expect(byTtl.path?.map((hop) => hop.address)).toEqual([R1, FW]);
  });

  it('prefers the walk: a RST to a SYN that could not reach the destination names the hop before it', () => {
    const closed = record('tcp', 'closed', 'conn-refused');
    const result = classifyReset(
      closed,
      { full: rst(63), walk: walk(exceeded(R1), rst(63), rst(63)) },
      REFERENCE,
    );
    expect(result).toMatchObject({ reason: 'reset-injected', blockedBy: R1 });
    expect(result.detail).toMatch(/TTL 2/);
  });

  it('says a forged RST cannot be told when the only reference is a RST', () => {
    const closed = record('tcp', 'closed', 'conn-refused');
    const rstReference: ReferencePath = { ...REFERENCE, basis: 'rst', destinationTtl: 63 };
    const result = classifyReset(closed, { full: rst(63) }, rstReference);
    expect(result).toMatchObject({ state: 'closed', reason: 'conn-refused' });
    expect(result.detail).toMatch(/no SYN-ACK reference \(basis: rst\)/);
  });

  it('keeps UDP port-unreachable from the destination closed, and from another device a reject', () => {
    const closed = record('udp', 'closed', 'port-unreach');
    expect(classifyPortUnreachable(closed, { full: unreachable(DEST, 3) }, REFERENCE)).toMatchObject({
      state: 'closed',
      reason: 'port-unreach',
    });
    const reject = classifyPortUnreachable(closed, { full: unreachable(FW, 3) }, REFERENCE);
    expect(reject).toMatchObject({ state: 'filtered', reason: 'port-unreach', blockedBy: FW });
    expect(reject.path?.map((hop) => hop.address)).toEqual([R1, FW]);
  });
});

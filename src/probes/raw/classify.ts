// Pure: turns the replies raw probes actually received into a refined ProbeRecord. Every state,
// reason and blockedBy set here points at one received packet (or at the silence after the last
// one); when the packets cannot tell, blockedBy is null and `detail` says why.
import type { PathHop, ProbeReason, ProbeRecord, ProbeState } from '../types.js';
import type { RawReply } from './engine.js';
import type { ReferencePath } from './reference.js';
import { crossedHopsOf, type TtlReplies } from './walk.js';

/** What was observed for one port: the full-TTL reply and, when walked, the TTL-limited ones. */
export interface PortObservation {
  readonly full: RawReply;
  readonly walk?: TtlReplies;
}

const ICMP_PORT_UNREACHABLE = 3;

/** ICMP destination-unreachable codes (RFC 792, RFC 1812) to the probe vocabulary. */
export function reasonOfUnreachable(code: number | null): ProbeReason | undefined {
  switch (code) {
    case 9: // network administratively prohibited
    case 10: // host administratively prohibited
    case 13: // communication administratively prohibited (what firewalls send)
      return 'admin-prohibited';
    case 0:
    case 6:
    case 11:
      return 'net-unreach';
    case 1:
    case 7:
    case 12:
      return 'host-unreach';
    case ICMP_PORT_UNREACHABLE:
      return 'port-unreach';
    default:
      return undefined;
  }
}

function withDetail(record: ProbeRecord, detail: string): string {
  return record.detail ? `${record.detail}; ${detail}` : detail;
}

function refined(
  record: ProbeRecord,
  changes: {
    state?: ProbeState;
    reason?: ProbeReason;
    reply?: RawReply;
    path?: readonly PathHop[];
    blockedBy?: string | null;
    detail?: string;
  },
): ProbeRecord {
  const { reply, detail, ...rest } = changes;
  return {
    ...record,
    ...rest,
    ...(reply?.ttl != null ? { replyTtl: reply.ttl } : {}),
    ...(reply?.rttMs != null && changes.state !== undefined ? { rttMs: reply.rttMs } : {}),
    ...(detail ? { detail: withDetail(record, detail) } : {}),
  };
}

const hopAt = (hops: readonly PathHop[], ttl: number) => hops.find((hop) => hop.ttl === ttl)?.address ?? null;

function firstByTtl(walk: TtlReplies | undefined, test: (reply: RawReply) => boolean): number | undefined {
  return [...(walk ?? new Map<number, RawReply>())]
    .filter(([, reply]) => test(reply))
    .map(([ttl]) => ttl)
    .sort((a, b) => a - b)[0];
}

/** A `filtered` TCP record, or a UDP `filtered` / `open|filtered` one (silence or a reject). */
export function classifyBlocked(
  record: ProbeRecord,
  observation: PortObservation,
  reference: ReferencePath,
): ProbeRecord {
  const { full, walk } = observation;
  const address = record.address;
  const path = walk ? crossedHopsOf(walk) : undefined;
  const rejectTtl = firstByTtl(walk, (reply) => reply.kind === 'unreachable');
  const reject =
    full.kind === 'unreachable' ? full : rejectTtl !== undefined ? walk?.get(rejectTtl) : undefined;
  if (reject) {
    const reason = reasonOfUnreachable(reject.icmpCode);
    const icmp = `ICMP 3/${reject.icmpCode} from ${reject.from}`;
    if (reason === 'port-unreach' && reject.from === address && record.protocol === 'udp')
      return refined(record, { state: 'closed', reason, reply: reject, detail: `raw probe: ${icmp}` });
    return refined(record, {
      state: 'filtered',
      reason: reason ?? record.reason,
      reply: reject,
      blockedBy: reject.from,
      ...(path ? { path } : {}),
      detail: reason === undefined ? `rejected with ${icmp}` : undefined,
    });
  }
  if (full.from === address && (full.kind === 'syn-ack' || full.kind === 'udp-reply')) {
    const reason = full.kind === 'syn-ack' ? 'syn-ack' : 'udp-response';
    const detail = `the connect-phase probe saw ${record.reason}; a raw probe got ${full.kind}`;
    return refined(record, { state: 'open', reason, reply: full, detail });
  }
  if (full.kind === 'rst') return classifyReset(record, observation, reference);
  return classifySilence(record, walk, reference);
}

function classifySilence(
  record: ProbeRecord,
  walk: TtlReplies | undefined,
  reference: ReferencePath,
): ProbeRecord {
  const path = walk ? crossedHopsOf(walk) : [];
  const exceeded = path.filter((hop) => walk?.get(hop.ttl)?.kind === 'time-exceeded');
  const last = exceeded.at(-1);
  if (!last) {
    const detail = 'no hop answered a TTL-limited probe: where it stops cannot be told';
    return refined(record, { path, blockedBy: null, detail });
  }
  const distance = reference.distance;
  if (distance !== null && last.ttl === distance - 1) {
    const detail =
      record.protocol === 'udp'
        ? 'every network hop passes it; the destination stays silent (no answer from the service, or its host firewall)'
        : 'every network hop passes it; the destination host drops it (host firewall)';
    return refined(record, { path, blockedBy: 'destination', detail });
  }
  // A firewall sends time-exceeded before its filter runs, so the blocker is the last hop that answered.
  const nextHopAnswers =
    distance !== null && last.ttl + 1 < distance && hopAt(reference.hops, last.ttl + 1) !== null;
  const detail = nextHopAnswers
    ? `hop ${last.ttl + 1} answers on the reference path but not for this port: dropped at hop ${last.ttl}`
    : distance === null
      ? `silence after hop ${last.ttl}; the destination's distance is unknown, so this may be the destination`
      : `silence after hop ${last.ttl}; hop ${last.ttl + 1} never answers, so the drop is at hop ${last.ttl} or the next`;
  // UDP silence at the destination is ambiguous; silence where the next hop is known to answer is not.
  const state = record.state === 'open|filtered' && nextHopAnswers ? 'filtered' : undefined;
  return refined(record, { ...(state ? { state } : {}), path, blockedBy: last.address, detail });
}

/**
 * A TCP port that answered with a RST. A RST that arrives with a higher TTL than the destination's
 * own SYN-ACKs left a device fewer hops away: forged by a middlebox. A RST to a SYN whose TTL could
 * not reach the destination is the same proof, and names the device directly.
 */
export function classifyReset(
  record: ProbeRecord,
  observation: PortObservation,
  reference: ReferencePath,
): ProbeRecord {
  const { full, walk } = observation;
  const rstTtl = full.kind === 'rst' ? full.ttl : null;
  if (rstTtl === null) {
    const detail = `the connect-phase probe saw ${record.reason}; a raw SYN got ${full.kind}`;
    if (full.kind === 'syn-ack' && full.from === record.address)
      return refined(record, { state: 'open', reason: 'syn-ack', reply: full, detail });
    return refined(record, { detail });
  }
  const distance = reference.distance;
  const earlyRst = distance === null ? undefined : firstByTtl(walk, (r) => r.kind === 'rst');
  const forgedByWalk = earlyRst !== undefined && distance !== null && earlyRst < distance;
  const trustedTtl = reference.basis === 'syn-ack' ? reference.destinationTtl : null;
  const forgedByTtl = trustedTtl !== null && rstTtl > trustedTtl;
  if (full.from !== record.address) {
    const detail = `RST from ${full.from}, not from the destination`;
    return refined(record, {
      state: 'filtered',
      reason: 'reset-injected',
      reply: full,
      blockedBy: full.from,
      detail,
    });
  }
  if (!forgedByWalk && !forgedByTtl) {
    if (trustedTtl === rstTtl) return refined(record, { reply: full });
    const detail =
      trustedTtl === null
        ? `no SYN-ACK reference (basis: ${reference.basis}): a forged RST cannot be told from a real one`
        : `RST TTL ${rstTtl} below the destination's ${trustedTtl}: not from a closer device`;
    return refined(record, { reply: full, detail });
  }
  const forgerTtl = forgedByWalk
    ? (earlyRst as number) - 1
    : (distance ?? 0) - (rstTtl - (trustedTtl as number));
  const hops = walk ? crossedHopsOf(walk) : reference.hops.filter((hop) => hop.ttl <= forgerTtl);
  const blockedBy = forgerTtl >= 1 ? (hopAt(hops, forgerTtl) ?? hopAt(reference.hops, forgerTtl)) : null;
  const detail = forgedByWalk
    ? `a SYN with TTL ${earlyRst} (short of the destination at ${distance}) got a RST: forged at hop ${forgerTtl}`
    : `RST TTL ${rstTtl} vs the destination's ${trustedTtl}: forged ${rstTtl - (trustedTtl as number)} hops closer, at hop ${forgerTtl}`;
  return refined(record, {
    state: 'filtered',
    reason: 'reset-injected',
    reply: full,
    path: hops,
    blockedBy,
    detail: blockedBy === null ? `${detail}, which did not answer time-exceeded` : detail,
  });
}

/** A UDP port closed by ICMP port-unreachable: closed if the destination sent it, else a reject. */
export function classifyPortUnreachable(
  record: ProbeRecord,
  observation: PortObservation,
  reference: ReferencePath,
): ProbeRecord {
  const { full } = observation;
  if (full.kind !== 'unreachable') {
    return refined(record, {
      detail: `the connect-phase probe saw ${record.reason}; a raw probe got ${full.kind}`,
    });
  }
  if (full.from === record.address && full.icmpCode === ICMP_PORT_UNREACHABLE)
    return refined(record, { reply: full });
  const senderTtl = reference.hops.find((hop) => hop.address === full.from)?.ttl;
  const path = senderTtl === undefined ? undefined : reference.hops.filter((hop) => hop.ttl <= senderTtl);
  return refined(record, {
    state: 'filtered',
    reason: reasonOfUnreachable(full.icmpCode) ?? 'port-unreach',
    reply: full,
    blockedBy: full.from,
    ...(path ? { path } : {}),
    detail: `ICMP 3/${full.icmpCode} from ${full.from}, not from the destination`,
  });
}

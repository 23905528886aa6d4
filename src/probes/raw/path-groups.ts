// Addresses that share a path are one question per port: grouped here, each group traced once.
import type { PathHop, ProbeProtocol, ProbeRecord } from '../types.js';
import type { RawReply } from './engine.js';
import { estimateDistance, FULL_TTL } from './walk.js';
import { pushTo } from '../../shared/push-to.js';

/** What the destination itself answered from this address: its own SYN-ACKs, RSTs, ICMP. */
export interface AddressView {
  readonly address: string;
  readonly records: readonly ProbeRecord[];
  /** Received TTL of the destination's own SYN-ACKs (the most common one); null without one. */
  readonly synAckTtl: number | null;
  /** TTL of any answer that came from the destination's address (SYN-ACK first); null if none. */
  readonly answerTtl: number | null;
  /** Slowest RTT the destination showed in the connect phase; null when it never answered. */
  readonly rttMs: number | null;
}

const fromDestination = (record: ProbeRecord) =>
  record.replyFrom !== undefined && record.replyFrom === record.address && record.replyTtl !== undefined;

function mostCommon(values: readonly number[]): number | null {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best: number | null = null;
  for (const [value, count] of counts) if (best === null || count > (counts.get(best) ?? 0)) best = value;
  return best;
}

export function addressViews(records: readonly ProbeRecord[]): AddressView[] {
  const byAddress = new Map<string, ProbeRecord[]>();
  for (const record of records) {
    if (record.address === null) continue;
    pushTo(byAddress, record.address, record);
  }
  return [...byAddress].map(([address, list]) => {
    const answered = list.filter(fromDestination);
    const synAcks = answered.filter((r) => r.reason === 'syn-ack').map((r) => r.replyTtl as number);
    const synAckTtl = mostCommon(synAcks);
    const rtts = list.filter((r) => r.state === 'open' || r.state === 'closed').map((r) => r.rttMs ?? 0);
    return {
      address,
      records: list,
      synAckTtl,
      // A RST's TTL last: a forged one comes from closer than the destination.
      answerTtl:
        synAckTtl ??
        mostCommon(answered.filter((r) => r.reason !== 'conn-refused').map((r) => r.replyTtl as number)) ??
        mostCommon(answered.map((r) => r.replyTtl as number)),
      rttMs: rtts.length > 0 ? Math.max(...rtts) : null,
    };
  });
}

/**
 * Addresses in the same /24 whose own answers come from the same distance are taken to share the
 * path up to the last router: one reference trace and one localisation sample set per port stand
 * for all of them (the rest are labelled inferred). IPv4 only, as raw probing is.
 */
export function groupByPath(views: readonly AddressView[]): Map<string, AddressView[]> {
  const prefixOf = (view: AddressView) => view.address.split('.').slice(0, 3).join('.');
  const distances = new Map<string, Set<number>>();
  for (const view of views) {
    if (view.answerTtl === null) continue;
    const set = distances.get(prefixOf(view)) ?? new Set<number>();
    set.add(estimateDistance(view.answerTtl));
    distances.set(prefixOf(view), set);
  }
  const groups = new Map<string, AddressView[]>();
  for (const view of views) {
    const known = distances.get(prefixOf(view));
    // An address whose own answers were not seen joins its /24 when that has a single distance.
    const distance =
      view.answerTtl !== null ? estimateDistance(view.answerTtl) : known?.size === 1 ? [...known][0] : '?';
    const key = `${prefixOf(view)}|${distance}`;
    pushTo(groups, key, view);
  }
  return groups;
}

/** The path to a group, measured on one address and a port its destination answers. */
export interface ReferencePath {
  readonly address: string;
  readonly basis: 'syn-ack' | 'rst' | 'port-unreach' | 'echo-reply' | 'none';
  readonly protocol: ProbeProtocol | 'icmp' | null;
  readonly port: number;
  /** TTL at which the destination itself answers; null when unknown. */
  readonly distance: number | null;
  /** TTL 1..distance-1 (or as far as probed): the routers, null where a hop sent nothing. */
  readonly hops: readonly PathHop[];
  /** Slowest answer on the trace (the destination's, when it answered): sizes the walks' timeouts. */
  readonly rttMs: number | null;
}

/** The router the reference trace found at this TTL; null where it sent nothing (or was not probed). */
export const hopAddress = (reference: ReferencePath, ttl: number): string | null =>
  reference.hops.find((hop) => hop.ttl === ttl)?.address ?? null;

export type Ask = (
  address: string,
  protocol: ProbeProtocol | 'icmp',
  port: number,
  ttl: number,
  /** Wait this long for the reply; the caller's default for the address when absent. */
  timeoutMs?: number,
) => Promise<RawReply>;

export function isDestinationAnswer(
  reference: Pick<ReferencePath, 'basis'>,
  address: string,
  reply: RawReply,
) {
  if (reply.from !== address) return false;
  if (reference.basis === 'port-unreach') return reply.kind === 'unreachable' && reply.icmpCode === 3;
  if (reference.basis === 'echo-reply') return reply.kind === 'echo-reply';
  return reply.kind === 'syn-ack' || reply.kind === 'rst';
}

function referencePort(
  view: AddressView,
  allowEcho: boolean,
): Pick<ReferencePath, 'basis' | 'protocol' | 'port'> {
  const answered = view.records.filter(fromDestination);
  const pick = (basis: ReferencePath['basis'], test: (r: ProbeRecord) => boolean) => {
    const record = answered.find(test);
    return record ? { basis, protocol: record.protocol, port: record.port } : undefined;
  };
  // A RST comes last: a firewall that forges one answers in the destination's name, closer to here.
  return (
    pick('syn-ack', (r) => r.protocol === 'tcp' && r.reason === 'syn-ack') ??
    pick('port-unreach', (r) => r.protocol === 'udp' && r.reason === 'port-unreach') ??
    (allowEcho ? { basis: 'echo-reply', protocol: 'icmp', port: 0 } : undefined) ??
    pick('rst', (r) => r.protocol === 'tcp' && r.reason === 'conn-refused') ?? {
      basis: 'echo-reply',
      protocol: 'icmp',
      port: 0,
    }
  );
}

/**
 * Traces the path to `view`'s address on a port its destination answers (ICMP echo when none
 * does): every TTL up to the estimated distance at once, further in waves of 4 when the estimate
 * was short. A silent TTL is asked once more (one lost packet is not a mute router).
 */
export async function traceReference(view: AddressView, ask: Ask, maxTtl: number): Promise<ReferencePath> {
  const traced = await traceOn(view, referencePort(view, true), ask, maxTtl);
  if (traced.distance !== null || traced.basis !== 'echo-reply') return traced;
  // ICMP echo may be filtered where TCP is not: a RST from the destination is the last resort.
  const rst = referencePort(view, false);
  return rst.basis === 'rst' ? traceOn(view, rst, ask, maxTtl) : traced;
}

async function traceOn(
  view: AddressView,
  port: Pick<ReferencePath, 'basis' | 'protocol' | 'port'>,
  ask: Ask,
  maxTtl: number,
): Promise<ReferencePath> {
  const protocol = port.protocol ?? 'icmp';
  const reference = { address: view.address, ...port };
  const probe = async (ttl: number) => {
    const reply = await ask(view.address, protocol, port.port, ttl);
    return reply.kind === 'none' ? ask(view.address, protocol, port.port, ttl) : reply;
  };
  const replies = new Map<number, RawReply>();
  let next = 1;
  let last = Math.min(maxTtl, view.answerTtl === null ? 4 : estimateDistance(view.answerTtl));
  let distance: number | null = null;
  while (distance === null && next <= maxTtl) {
    const ttls = Array.from({ length: last - next + 1 }, (_, i) => next + i);
    const wave = await Promise.all(ttls.map(probe));
    ttls.forEach((ttl, i) => replies.set(ttl, wave[i] as RawReply));
    distance =
      ttls.find((ttl) => isDestinationAnswer(reference, view.address, replies.get(ttl) as RawReply)) ?? null;
    const stop = ttls.some((ttl) => replies.get(ttl)?.kind === 'unreachable');
    if (stop) break;
    next = last + 1;
    last = Math.min(maxTtl, next + 3);
  }
  if (distance === null && port.basis !== 'echo-reply') {
    // The estimate may be wrong (a middlebox answered): confirm the destination answers at all.
    const full = await ask(view.address, protocol, port.port, FULL_TTL);
    if (!isDestinationAnswer(reference, view.address, full))
      return { ...reference, basis: 'none', distance: null, hops: hopsOf(replies, maxTtl), rttMs: null };
  }
  const rtts = [...replies.values()].map((reply) => reply.rttMs ?? 0);
  return {
    ...reference,
    distance,
    hops: hopsOf(replies, distance === null ? maxTtl : distance - 1),
    rttMs: rtts.length > 0 ? Math.max(...rtts) : null,
  };
}

function hopsOf(replies: ReadonlyMap<number, RawReply>, last: number): PathHop[] {
  return [...replies.keys()]
    .filter((ttl) => ttl <= last)
    .sort((a, b) => a - b)
    .map((ttl) => {
      const reply = replies.get(ttl) as RawReply;
      const answered = reply.kind === 'time-exceeded';
      return {
        ttl,
        address: answered ? reply.from : null,
        rttMs: answered ? reply.rttMs : null,
        ...(answered && reply.rewrites ? { rewrites: reply.rewrites } : {}),
      };
    });
}

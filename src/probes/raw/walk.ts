import type { PathHop } from '../types.js';
import type { RawReply } from './engine.js';

/** One TTL-limited probe of a fixed (address, protocol, port), already paced and bounded. */
export type TtlProbe = (ttl: number) => Promise<RawReply>;

/** Replies by TTL. A TTL missing from the map was not probed. */
export type TtlReplies = ReadonlyMap<number, RawReply>;

/** A TTL big enough to reach any destination: the answer the destination itself gives. */
export const FULL_TTL = 64;

/** Probes one TTL, again up to `retries` times while it stays silent (one lost packet is not a filter). */
export async function probeWithRetries(probe: TtlProbe, ttl: number, retries: number): Promise<RawReply> {
  let reply = await probe(ttl);
  for (let attempt = 0; attempt < retries && reply.kind === 'none'; attempt += 1) reply = await probe(ttl);
  return reply;
}

/** Probes TTLs 1..last concurrently (the caller's probe bounds concurrency). */
export async function walkTtls(probe: TtlProbe, last: number, retries: number): Promise<TtlReplies> {
  const ttls = Array.from({ length: Math.max(0, last) }, (_, index) => index + 1);
  const replies = await Promise.all(ttls.map((ttl) => probeWithRetries(probe, ttl, retries)));
  return new Map(ttls.map((ttl, index) => [ttl, replies[index] as RawReply]));
}

export interface OpenWalkOptions {
  readonly firstWave: number;
  readonly wave: number;
  readonly maxTtl: number;
  /** Stop once this many TTLs past the last answering one stayed silent. */
  readonly stopAfterSilences: number;
  readonly retries: number;
  /** A reply after which higher TTLs cannot tell more (the destination, or an ICMP unreachable). */
  readonly isTerminal: (reply: RawReply) => boolean;
}

/**
 * Walks TTLs upward in waves when the distance is unknown, stopping at the first terminal reply,
 * after a run of silences past the last answering hop, or at maxTtl. Returns replies up to the
 * terminal TTL (inclusive) or up to the last TTL probed.
 */
export async function walkUntil(probe: TtlProbe, options: OpenWalkOptions): Promise<TtlReplies> {
  const replies = new Map<number, RawReply>();
  let next = 1;
  let size = options.firstWave;
  while (next <= options.maxTtl) {
    const ttls = Array.from({ length: Math.min(size, options.maxTtl - next + 1) }, (_, i) => next + i);
    const wave = await Promise.all(ttls.map((ttl) => probeWithRetries(probe, ttl, options.retries)));
    ttls.forEach((ttl, index) => replies.set(ttl, wave[index] as RawReply));
    const terminal = ttls.find((ttl) => options.isTerminal(replies.get(ttl) as RawReply));
    if (terminal !== undefined) {
      for (const ttl of [...replies.keys()]) if (ttl > terminal) replies.delete(ttl);
      return replies;
    }
    next += ttls.length;
    size = options.wave;
    const lastAnswer = lastAnsweringTtl(replies) ?? 0;
    if (next - 1 - lastAnswer >= options.stopAfterSilences) break;
  }
  return replies;
}

export function lastAnsweringTtl(replies: TtlReplies): number | undefined {
  let last: number | undefined;
  for (const [ttl, reply] of replies)
    if (reply.kind !== 'none' && reply.kind !== 'error') last = Math.max(last ?? 0, ttl);
  return last;
}

/** The walk as path hops, in TTL order: who answered at each TTL (null when nothing did). */
export function pathOf(replies: TtlReplies): PathHop[] {
  return [...replies.keys()]
    .sort((a, b) => a - b)
    .map((ttl) => {
      const reply = replies.get(ttl) as RawReply;
      return { ttl, address: reply.from, rttMs: reply.from === null ? null : reply.rttMs };
    });
}

/**
 * The hops a probe of a blocked port crossed: time-exceeded senders and silent TTLs, up to (not
 * including) the first other answer. A reject or forged RST at TTL n comes from an earlier hop, often
 * with a spoofed source, so listing it as hop n would name the wrong device.
 */
export function crossedHopsOf(replies: TtlReplies): PathHop[] {
  const hops = pathOf(replies);
  const stop = hops.findIndex((hop) => {
    const kind = replies.get(hop.ttl)?.kind;
    return kind !== 'time-exceeded' && kind !== 'none' && kind !== 'error';
  });
  return stop === -1 ? hops : hops.slice(0, stop);
}

/**
 * The initial TTL a reply most likely started with (stacks use 64, 128 or 255; 32 on old ones),
 * hence the hops it crossed. A guess to size the first probe wave, never evidence.
 */
export function estimateDistance(receivedTtl: number): number {
  const initial = [32, 64, 128, 255].find((candidate) => candidate >= receivedTtl) ?? 255;
  return initial - receivedTtl + 1;
}

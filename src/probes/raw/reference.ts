import type { PathHop, ProbeProtocol, ProbeRecord } from '../types.js';
import type { RawReply } from './engine.js';
import { FULL_TTL, estimateDistance, pathOf, probeWithRetries, walkUntil, type TtlProbe } from './walk.js';

/**
 * What the reference path rests on: the destination's own answer on some port.
 * - syn-ack: an open TCP port; a SYN-ACK cannot be forged by a firewall that only drops or resets
 * - udp-reply: an open UDP port (no received TTL: dgram cannot read it)
 * - port-unreach: ICMP port-unreachable from the destination (a closed UDP port)
 * - echo-reply: ICMP echo (traceroute) when no probed port gets an answer from the destination
 * - rst: only a closed TCP port answers; a middlebox may forge it, so reset-injected cannot be told
 * - none: nothing from the destination itself; the distance is unknown
 */
export const REFERENCE_BASES = ['syn-ack', 'udp-reply', 'port-unreach', 'echo-reply', 'rst', 'none'] as const;
export type ReferenceBasis = (typeof REFERENCE_BASES)[number];

export interface ReferencePath {
  readonly basis: ReferenceBasis;
  /** `icmp` for an ICMP traceroute (port 0). */
  readonly protocol: ProbeProtocol | 'icmp' | null;
  readonly port: number | null;
  /** Smallest TTL at which the destination itself answers; null when unknown. */
  readonly distance: number | null;
  /** IP TTL of the destination's answer as received here; null when unknown. */
  readonly destinationTtl: number | null;
  /** TTL 1..distance; the last hop is the destination. */
  readonly hops: readonly PathHop[];
}

export const NO_REFERENCE: ReferencePath = {
  basis: 'none',
  protocol: null,
  port: null,
  distance: null,
  destinationTtl: null,
  hops: [],
};

interface Candidate {
  readonly basis: Exclude<ReferenceBasis, 'none'>;
  readonly protocol: ProbeProtocol | 'icmp';
  readonly port: number;
}

export interface ReferenceContext {
  readonly address: string;
  readonly probeFor: (protocol: ProbeProtocol | 'icmp', port: number) => TtlProbe;
  readonly maxTtl: number;
  readonly retries: number;
  readonly tracerouteFallback: boolean;
}

/** Whether a reply is the destination's own answer of the kind the basis expects. */
export function isDestinationAnswer(basis: ReferenceBasis, address: string, reply: RawReply): boolean {
  if (reply.from !== address) return false;
  switch (basis) {
    case 'syn-ack':
      return reply.kind === 'syn-ack';
    case 'rst':
      return reply.kind === 'rst';
    case 'udp-reply':
      return reply.kind === 'udp-reply';
    case 'port-unreach':
      return reply.kind === 'unreachable' && reply.icmpCode === 3;
    case 'echo-reply':
      return reply.kind === 'echo-reply';
    case 'none':
      return false;
  }
}

/** Ports whose connect-phase answer came from the destination, most trustworthy first. */
export function referenceCandidates(records: readonly ProbeRecord[], fallback: boolean): Candidate[] {
  const pick = (basis: Candidate['basis'], protocol: ProbeProtocol, reason: ProbeRecord['reason']) =>
    records
      .filter((r) => r.protocol === protocol && r.reason === reason)
      .slice(0, 2)
      .map((r) => ({ basis, protocol, port: r.port }));
  return [
    ...pick('syn-ack', 'tcp', 'syn-ack'),
    ...pick('udp-reply', 'udp', 'udp-response'),
    ...pick('port-unreach', 'udp', 'port-unreach'),
    // ICMP traceroute: probes no port, so it stays within what the plan names.
    ...(fallback ? [{ basis: 'echo-reply' as const, protocol: 'icmp' as const, port: 0 }] : []),
    ...pick('rst', 'tcp', 'conn-refused'),
  ];
}

/**
 * Traces the path to the destination on the first candidate port the destination answers now:
 * one full-TTL probe to confirm it and read the reply TTL, then TTL-limited probes upward until the
 * destination answers, which gives the distance and the hop addresses.
 */
export async function traceReferencePath(
  context: ReferenceContext,
  records: readonly ProbeRecord[],
): Promise<ReferencePath> {
  for (const candidate of referenceCandidates(records, context.tracerouteFallback)) {
    const probe = context.probeFor(candidate.protocol, candidate.port);
    const isAnswer = (reply: RawReply) => isDestinationAnswer(candidate.basis, context.address, reply);
    const full = await probeWithRetries(probe, FULL_TTL, context.retries);
    if (!isAnswer(full)) continue;
    const replies = await walkUntil(probe, {
      firstWave: Math.min(full.ttl === null ? 4 : estimateDistance(full.ttl), context.maxTtl),
      wave: 4,
      maxTtl: context.maxTtl,
      // The port answers at full TTL, so silences are mute routers, not a filter: keep going.
      stopAfterSilences: context.maxTtl,
      retries: context.retries,
      // An ICMP unreachable on the way means the port is not the same path after all.
      isTerminal: (reply) => isAnswer(reply) || reply.kind === 'unreachable',
    });
    const distance = [...replies].find(([, reply]) => isAnswer(reply))?.[0];
    if (distance === undefined) continue;
    return {
      basis: candidate.basis,
      protocol: candidate.protocol,
      port: candidate.port,
      distance,
      destinationTtl: full.ttl,
      hops: pathOf(replies),
    };
  }
  return NO_REFERENCE;
}

import { isIPv4 } from 'node:net';
import type { ProbeProtocol, ProbeRecord } from '../types.js';
import { classifyBlocked, classifyPortUnreachable, classifyReset, type PortObservation } from './classify.js';
import type { RawProbeEngine } from './engine.js';
import { Pacer, Semaphore } from './pacer.js';
import { NO_REFERENCE, traceReferencePath, type ReferencePath } from './reference.js';
import { FULL_TTL, probeWithRetries, walkTtls, walkUntil, type TtlProbe, type TtlReplies } from './walk.js';

export interface RawRefineOptions {
  /** Wait for each TTL-limited probe's reply. */
  readonly timeoutMs: number;
  /** Packets started per second by this call (the engine also has a global cap). */
  readonly ratePerSecond: number;
  /** Probes in flight for this call. */
  readonly concurrency: number;
  /** Silent TTLs are probed again this many times (default 1). */
  readonly retries?: number;
  /** Highest TTL tried when the distance is unknown (default 16). */
  readonly maxTtl?: number;
  /** With an unknown distance, stop after this many silent TTLs past the last answer (default 3). */
  readonly stopAfterSilences?: number;
  /** ICMP traceroute (echo with rising TTL) when no probed port reaches the host (default true). */
  readonly tracerouteFallback?: boolean;
}

export interface RawRefinement {
  /** The input records, in order, refined where raw probes could tell more. */
  readonly records: ProbeRecord[];
  /** The path the refinement measured against; `basis: 'none'` when none was found or needed. */
  readonly reference: ReferencePath;
  /** Why raw probing did not run for this address (e.g. IPv6), when it did not. */
  readonly skipped?: string;
}

type Kind = 'blocked' | 'reset' | 'port-unreach';

/** Which refinement a connect-phase record needs; undefined when it stays as it is. */
function kindOf(record: ProbeRecord): Kind | undefined {
  if (record.state === 'filtered' || record.state === 'open|filtered') return 'blocked';
  if (record.state === 'closed' && record.protocol === 'tcp') return 'reset';
  if (record.state === 'closed' && record.protocol === 'udp') return 'port-unreach';
  return undefined;
}

/**
 * Refines the connect-phase records of ONE address with TTL-limited raw probes: where a filtered
 * port is stopped (`blockedBy`, `path`), which ICMP rejects are admin-prohibited, and which RSTs are
 * forged (`reset-injected`). Open records are returned unchanged. Never throws for network outcomes.
 */
export async function refineWithRawProbes(
  engine: RawProbeEngine,
  records: readonly ProbeRecord[],
  options: RawRefineOptions,
): Promise<RawRefinement> {
  const address = records.find((record) => record.address !== null)?.address ?? null;
  const work = records.map((record) => (record.address === address ? kindOf(record) : undefined));
  if (address === null || work.every((kind) => kind === undefined))
    return { records: [...records], reference: NO_REFERENCE };
  if (!isIPv4(address))
    return {
      records: [...records],
      reference: NO_REFERENCE,
      skipped: `raw probes are IPv4 only (${address})`,
    };

  const retries = options.retries ?? 1;
  const maxTtl = options.maxTtl ?? 16;
  const semaphore = new Semaphore(options.concurrency);
  const pacer = new Pacer(options.ratePerSecond);
  const probeFor =
    (protocol: ProbeProtocol | 'icmp', port: number): TtlProbe =>
    (ttl) =>
      semaphore.run(async () => {
        await pacer.wait();
        if (protocol === 'icmp') return engine.sendIcmpEcho(address, ttl, options.timeoutMs);
        return protocol === 'tcp'
          ? engine.sendTcpSyn(address, port, ttl, options.timeoutMs)
          : engine.sendUdp(address, port, ttl, options.timeoutMs);
      });

  const reference = await traceReferencePath(
    { address, probeFor, maxTtl, retries, tracerouteFallback: options.tracerouteFallback ?? true },
    records,
  );
  const walk = (probe: TtlProbe): Promise<TtlReplies> =>
    reference.distance !== null
      ? walkTtls(probe, reference.distance, retries)
      : walkUntil(probe, {
          firstWave: 4,
          wave: 4,
          maxTtl,
          stopAfterSilences: options.stopAfterSilences ?? 3,
          retries,
          isTerminal: (reply) =>
            reply.kind !== 'none' && reply.kind !== 'time-exceeded' && reply.kind !== 'error',
        });

  const refineOne = async (record: ProbeRecord, kind: Kind): Promise<ProbeRecord> => {
    const probe = probeFor(record.protocol, record.port);
    if (kind === 'blocked') {
      const [full, replies] = await Promise.all([probeWithRetries(probe, FULL_TTL, retries), walk(probe)]);
      return classifyBlocked(record, { full, walk: replies }, reference);
    }
    const full = await probe(FULL_TTL);
    if (kind === 'port-unreach') return classifyPortUnreachable(record, { full }, reference);
    const observation: PortObservation = { full };
    // Walk only when the RST may be forged: a RST at the destination's own TTL is genuine.
    const genuine =
      full.kind === 'rst' && reference.basis === 'syn-ack' && full.ttl === reference.destinationTtl;
    if (full.kind === 'rst' && !genuine && reference.distance !== null) {
      const replies = await walkTtls(probe, reference.distance - 1, retries);
      return classifyReset(record, { full, walk: replies }, reference);
    }
    return classifyReset(record, observation, reference);
  };

  const refinedRecords = await Promise.all(
    records.map((record, index) => {
      const kind = work[index];
      return kind === undefined ? record : refineOne(record, kind);
    }),
  );
  return { records: refinedRecords, reference };
}

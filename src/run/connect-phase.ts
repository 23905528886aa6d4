import type { ProbeSettings } from '../plan/index.js';
import {
  baseRecord,
  type Prober,
  type ProbeProtocol,
  type ProbeRecord,
  type ProbeRequest,
} from '../probes/index.js';
import { runPaced } from './pace.js';
import { watchProbe, type ProbeWatch, type RawSession } from './raw-session.js';
import { RttEstimator } from './rtt-estimator.js';

export interface ConnectPhaseOptions {
  readonly settings: ProbeSettings;
  readonly probers: Readonly<Record<ProbeProtocol, Prober>>;
  readonly signal: AbortSignal;
  readonly onStarted: (request: ProbeRequest) => void;
  readonly onFinished: (record: ProbeRecord) => void;
  /** Raw sockets, when available: every outcome is attributed to the packet's sender. */
  readonly raw?: RawSession;
  /** TCP is probed by raw SYNs (whose replies carry their sender), not by connect(). */
  readonly rawTcpProbes?: boolean;
  /** TCP silence is asked again this many times (default: the plan's `retries`). */
  readonly silenceRetries?: number;
}

/** Out of file descriptors is back-pressure, not an outcome: wait and try again. */
const FD_EXHAUSTION = new Set(['EMFILE', 'ENFILE']);
const FD_BACKOFF_MS = 20;
const MAX_FD_BACKOFFS = 200;

/**
 * The socket probes (TCP connect, UDP) of every request, paced, with per-address adaptive timeouts,
 * retries for silence, per-host deadlines, and back-pressure when file descriptors run out.
 */
export async function runConnectPhase(
  requests: readonly ProbeRequest[],
  options: ConnectPhaseOptions,
): Promise<ProbeRecord[]> {
  const { settings, signal } = options;
  const estimator = new RttEstimator(Math.min(settings.minTimeoutMs, settings.timeoutMs), settings.timeoutMs);
  const firstStart = new Map<string, number>();
  const watches = new Map<ProbeRequest, ProbeWatch>();

  const probeOnce = async (request: ProbeRequest, timeoutMs: number): Promise<ProbeRecord> => {
    for (let backoff = 0; ; backoff += 1) {
      const record = await options.probers[request.protocol](request, {
        timeoutMs,
        udpRetries: settings.udpRetries,
        signal,
      });
      if (!(record.state === 'error' && FD_EXHAUSTION.has(record.detail ?? '')) || backoff >= MAX_FD_BACKOFFS)
        return record;
      await new Promise((resolve) => setTimeout(resolve, FD_BACKOFF_MS));
    }
  };

  const probe = async (request: ProbeRequest): Promise<ProbeRecord> => {
    if (signal.aborted) return abortedRecord(request);
    const started = firstStart.get(request.address) ?? performance.now();
    firstStart.set(request.address, started);
    if (settings.hostDeadlineMs !== undefined && performance.now() - started > settings.hostDeadlineMs) {
      return abortedRecord(request, `host deadline of ${settings.hostDeadlineMs} ms passed`);
    }
    options.onStarted(request);
    // A raw SYN's answer comes with its sender already; connect() and dgram need the watch.
    const watched = request.protocol === 'udp' || !options.rawTcpProbes ? options.raw : undefined;
    const watch = watchProbe(watched, request.protocol, request.address, request.port);
    watches.set(request, watch);
    // The first probe of a subnet goes alone; the others wait (up to the initial timeout) for its
    // answer, so that their timeouts come from a measured RTT instead of the initial guess.
    await estimator.firstAnswerNear(request.address);
    let timeoutMs = estimator.timeoutFor(request.address);
    let record = await probeOnce(request, timeoutMs);
    const retries = options.silenceRetries ?? settings.retries;
    for (let retry = 0; retry < retries && isSilence(record) && !signal.aborted; retry += 1) {
      // Silence may be one lost packet: ask again, with the timeout the RTTs measured meanwhile call
      // for (already several RTTs), or twice the last one where nothing near has answered yet.
      timeoutMs = estimator.hasEstimateFor(request.address)
        ? estimator.timeoutFor(request.address)
        : Math.min(settings.timeoutMs, 2 * timeoutMs);
      record = await probeOnce(request, timeoutMs);
    }
    record = await watch.settle(record);
    if (record.rttMs !== null && (record.state === 'open' || record.state === 'closed')) {
      estimator.observe(request.address, record.rttMs);
    }
    options.onFinished(record);
    return record;
  };

  const ordered = orderForEarlyRtt(requests);
  const records = await runPaced(ordered, { ...settings, signal }, probe);
  return Promise.all(
    records.map((record, index) => watches.get(ordered[index] as ProbeRequest)?.finish(record) ?? record),
  );
}

/** TCP silence is worth a retry; UDP silence was already retried inside the UDP probe. */
function isSilence(record: ProbeRecord): boolean {
  return record.protocol === 'tcp' && record.state === 'filtered' && record.reason === 'no-response';
}

/**
 * Today's ports answer on almost every site system, so probing them first across all addresses gives
 * each address an RTT — and an adaptive timeout — before its candidate ports are probed.
 */
function orderForEarlyRtt(requests: readonly ProbeRequest[]): ProbeRequest[] {
  const rank = (request: ProbeRequest) =>
    request.roles.some((role) => role === 'current-http' || role === 'current-https') ? 0 : 1;
  // Round-robin over addresses as well: every address gets its first probe in the first wave.
  const seen = new Map<string, number>();
  const keyed = [...requests]
    .sort((a, b) => rank(a) - rank(b))
    .map((request) => {
      const ordinal = seen.get(request.address) ?? 0;
      seen.set(request.address, ordinal + 1);
      return { request, key: rank(request) * 1e9 + ordinal };
    });
  return keyed.sort((a, b) => a.key - b.key).map((entry) => entry.request);
}

export function abortedRecord(request: ProbeRequest, detail?: string): ProbeRecord {
  return {
    ...baseRecord(request),
    state: 'error',
    reason: 'aborted',
    rttMs: null,
    ...(detail ? { detail } : {}),
  };
}

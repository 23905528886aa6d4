import type { ScanSpec } from '../plan/index.js';
import {
  DEFAULT_PROBERS,
  resolveHost,
  type HostResolution,
  type Prober,
  type ProbeProtocol,
  type ProbeRecord,
  type ProbeRequest,
} from '../probes/index.js';
import { runPaced } from './pace.js';

export type ScanEvent =
  | { readonly type: 'resolved'; readonly target: string; readonly resolution: HostResolution }
  | { readonly type: 'planned'; readonly total: number }
  | { readonly type: 'probe-started'; readonly request: ProbeRequest }
  | {
      readonly type: 'probe-finished';
      readonly record: ProbeRecord;
      readonly done: number;
      readonly total: number;
    };

export interface ScanOptions {
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: ScanEvent) => void;
  readonly probers?: Readonly<Record<ProbeProtocol, Prober>>;
}

export interface ScanResult {
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly records: readonly ProbeRecord[];
  /** False when the scan was interrupted: some probes never ran (they carry reason `aborted`). */
  readonly complete: boolean;
}

/** Resolve timeout: resolvers that take longer than this are as good as broken for clients too. */
const RESOLVE_TIMEOUT_MS = 5000;

/** Resolves every target and probes every (address, protocol, port) once, within the plan's caps. */
export async function runScan(spec: ScanSpec, options: ScanOptions = {}): Promise<ScanResult> {
  const startedAt = new Date();
  const probers = options.probers ?? DEFAULT_PROBERS;
  const emit = options.onEvent ?? (() => {});
  const records: ProbeRecord[] = [];
  const requests: ProbeRequest[] = [];

  const resolutions = await Promise.all(
    spec.targets.map((target) => resolveHost(target.host, RESOLVE_TIMEOUT_MS)),
  );
  spec.targets.forEach((target, index) => {
    const resolution = resolutions[index] as HostResolution;
    emit({ type: 'resolved', target: target.host, resolution });
    if (!resolution.ok) {
      for (const assignment of target.ports) {
        records.push({
          target: target.host,
          address: null,
          protocol: assignment.protocol,
          port: assignment.port,
          roles: assignment.roles,
          state: 'error',
          reason: 'dns-failure',
          rttMs: null,
          detail: resolution.detail,
        });
      }
      return;
    }
    for (const address of resolution.addresses) {
      for (const assignment of target.ports) {
        requests.push({ target: target.host, address, ...assignment });
      }
    }
  });

  emit({ type: 'planned', total: requests.length });
  let done = 0;
  const probeOptions = {
    timeoutMs: spec.probe.timeoutMs,
    udpRetries: spec.probe.udpRetries,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const probed = await runPaced(
    requests,
    {
      concurrency: spec.probe.concurrency,
      ratePerSecond: spec.probe.ratePerSecond,
      ...(options.signal ? { signal: options.signal } : {}),
    },
    async (request) => {
      emit({ type: 'probe-started', request });
      const record = await probers[request.protocol](request, probeOptions);
      done += 1;
      emit({ type: 'probe-finished', record, done, total: requests.length });
      return record;
    },
  );
  records.push(...probed);
  const complete = !records.some((record) => record.reason === 'aborted');
  return { startedAt, finishedAt: new Date(), records, complete };
}

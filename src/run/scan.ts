import { setMaxListeners } from 'node:events';
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
import { runConnectPhase } from './connect-phase.js';
import { runApplicationPhase, runIcmpPhase, runPathPhase, type SkippedProbeKind } from './extra-phases.js';
import type { IcmpEchoResult } from '../probes/icmp-echo.js';
import { openRawSession, type RawSession } from './raw-session.js';
import { runRecheckPhase, type Recheck } from './recheck-phase.js';
import type { RunCommand } from '../probes/tracert.js';
import { offlineScanResult } from './offline.js';
import { capYoungGeneration } from '../shared/young-generation.js';
import { synProber } from '../probes/raw/index.js';

export type ScanEvent =
  | { readonly type: 'resolved'; readonly target: string; readonly resolution: HostResolution }
  | { readonly type: 'planned'; readonly total: number }
  | { readonly type: 'phase'; readonly phase: ScanPhase }
  | { readonly type: 'probe-started'; readonly request: ProbeRequest }
  | {
      readonly type: 'probe-finished';
      readonly record: ProbeRecord;
      readonly done: number;
      readonly total: number;
    };

export type ScanPhase = 'resolve' | 'connect' | 'responder' | 'icmp' | 'path' | 'application' | 'recheck';

export interface ScanOptions {
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: ScanEvent) => void;
  readonly probers?: Readonly<Record<ProbeProtocol, Prober>>;
  /** Send nothing: analyse the plan and evidence only. */
  readonly offline?: boolean;
  /** The token the site systems' responders answer under (`--responder-token-file`); never reported. */
  readonly responderToken?: Uint8Array;
  /** The platform the scan runs on (tests inject win32); default: this process's. */
  readonly platform?: NodeJS.Platform;
  /** Runs `tracert` (tests inject its output); default: the real command. */
  readonly runCommand?: RunCommand;
}

/** Without raw sockets on Windows, tracert's ICMP path stands in for the TTL walks. */
const tracesIcmpPath = (options: ScanOptions) => (options.platform ?? process.platform) === 'win32';
const WINDOWS_PATH_NOTE =
  'the ICMP path of tracert -d is reported instead (it names the routers, not a device that drops one TCP port)';

export interface ScanResult {
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly records: readonly ProbeRecord[];
  /** False when some probes never ran (they carry reason `aborted`). */
  readonly complete: boolean;
  /** True when nothing was sent (`--offline`). */
  readonly offline: boolean;
  /** ICMP echo result per address, when ICMP echo ran. */
  readonly icmpEcho: ReadonlyMap<string, IcmpEchoResult>;
  /** Probe kinds that could not run here (no privilege, IPv6 …), with the reason. */
  readonly skipped: readonly SkippedProbeKind[];
  /** Per address with filtered ports: a port that had answered, asked again at the end of the scan. */
  readonly rechecks: ReadonlyMap<string, Recheck>;
  /** Why the scan stopped early, if it did. */
  readonly interruption: 'signal' | 'deadline' | 'host-deadline' | null;
}

/** With raw sockets TCP is probed by raw SYNs (a SYN scan); UDP always by a dgram socket. */
function probersFor(raw: RawSession | undefined, retries: number): Readonly<Record<ProbeProtocol, Prober>> {
  return raw
    ? { ...DEFAULT_PROBERS, tcp: synProber(raw.engine, { earlyRetransmits: retries }) }
    : DEFAULT_PROBERS;
}

/** Resolve timeout: resolvers that take longer than this are as good as broken for clients too. */
const RESOLVE_TIMEOUT_MS = 5000;

/** Resolves every target and probes every (address, protocol, port) once, within the plan's caps. */
export async function runScan(spec: ScanSpec, options: ScanOptions = {}): Promise<ScanResult> {
  if (options.offline) return offlineScanResult();
  const releaseYoungGeneration = capYoungGeneration();
  const startedAt = new Date();
  const emit = options.onEvent ?? (() => {});
  const stop = stopController(spec.probe.deadlineMs, options.signal);
  let closeRaw = () => {};
  try {
    emit({ type: 'phase', phase: 'resolve' });
    const { requests, unresolved } = await resolveTargets(spec, emit);
    emit({ type: 'planned', total: requests.length });
    const settings = spec.probe;
    const skipped: SkippedProbeKind[] = [];
    const opening =
      requests.length > 0 ? await openRawSession(settings) : { unavailable: 'nothing to probe' };
    const raw = 'session' in opening ? opening.session : undefined;
    if (!raw && requests.length > 0) {
      const reason = 'unavailable' in opening ? opening.unavailable : '';
      if (settings.pathProbing)
        skipped.push({
          probe: 'path',
          reason: tracesIcmpPath(options) ? `${reason}; ${WINDOWS_PATH_NOTE}` : reason,
        });
      skipped.push({
        probe: 'attribution',
        reason: `refusals cannot be told from rejecting firewalls: ${reason}`,
      });
    }
    closeRaw = () => raw?.close();
    emit({ type: 'phase', phase: 'connect' });
    let done = 0;
    // With localisation on, every silent probe is asked again at full TTL there.
    const probers = options.probers ?? probersFor(raw, settings.pathProbing ? 0 : settings.retries);
    const connected = await runConnectPhase(requests, {
      settings: spec.probe,
      ...(raw ? { raw, rawTcpProbes: options.probers === undefined } : {}),
      // Raw SYNs retransmit within their timeout (synProber), instead of asking again after it.
      ...(raw && options.probers === undefined ? { silenceRetries: 0 } : {}),
      probers,
      signal: stop.signal,
      onStarted: (request) => emit({ type: 'probe-started', request }),
      onFinished: (record) => {
        done += 1;
        emit({ type: 'probe-finished', record, done, total: requests.length });
      },
    });
    // Before localisation: the responder turns UDP silence into a drop to localise, and proves open ports.
    let probed = connected;
    if (options.responderToken && !stop.signal.aborted) {
      emit({ type: 'phase', phase: 'responder' });
      const { runResponderPhase } = await import('./responder-phase.js');
      probed = await runResponderPhase(connected, spec.targets, {
        token: options.responderToken,
        settings,
        signal: stop.signal,
      });
    }
    if (!options.responderToken && spec.targets.some((target) => target.responder === true))
      skipped.push({
        probe: 'responder',
        reason: 'no --responder-token-file: the ports of responder systems were probed one-sided',
      });
    // ICMP echo, localisation and the HTTP/TLS probes ask different things of different hosts
    // (echo replies are not rate-limited, HTTP goes to open ports): they run side by side.
    const [icmp, path, app] = await Promise.all([
      settings.icmpEcho && !stop.signal.aborted
        ? (emit({ type: 'phase', phase: 'icmp' }),
          runIcmpPhase([...new Set(requests.map((r) => r.address))], settings, stop.signal, raw))
        : undefined,
      settings.pathProbing && !stop.signal.aborted && (raw || tracesIcmpPath(options))
        ? (emit({ type: 'phase', phase: 'path' }),
          raw
            ? runPathPhase(probed, settings, stop.signal, raw)
            : import('./windows-path-phase.js')
                .then(({ runWindowsPathPhase }) =>
                  runWindowsPathPhase(probed, settings, stop.signal, options.runCommand),
                )
                .then((records) => ({ records, skipped: null })))
        : undefined,
      settings.appProbes && !stop.signal.aborted
        ? (emit({ type: 'phase', phase: 'application' }), runApplicationPhase(probed, settings, stop.signal))
        : undefined,
    ]);
    const icmpEcho = icmp?.results ?? new Map<string, IcmpEchoResult>();
    for (const phase of [icmp, path]) if (phase?.skipped) skipped.push(phase.skipped);
    const refined = (path?.records ?? probed).map((record, index) => {
      const withApp = app?.[index];
      return withApp?.app ? { ...record, app: withApp.app } : record;
    });
    // Last, once the routers' budgets and the firewalls' answers are spent: did each address whose
    // ports were stopped still answer where it answered before?
    const rechecks = stop.signal.aborted
      ? new Map<string, Recheck>()
      : (emit({ type: 'phase', phase: 'recheck' }),
        await runRecheckPhase(refined, { settings, probers, signal: stop.signal }));
    const records = [...unresolved, ...refined];
    // Stopped in any phase means some facts were never gathered: never a complete scan.
    const complete = !stop.signal.aborted && !records.some((record) => record.reason === 'aborted');
    const interruption = stop.signal.aborted ? stop.why() : complete ? null : 'host-deadline';
    return {
      startedAt,
      finishedAt: new Date(),
      records,
      complete,
      offline: false,
      interruption,
      icmpEcho,
      skipped,
      rechecks,
    };
  } finally {
    closeRaw();
    stop.dispose();
    releaseYoungGeneration();
  }
}

async function resolveTargets(spec: ScanSpec, emit: (event: ScanEvent) => void) {
  const requests: ProbeRequest[] = [];
  const unresolved: ProbeRecord[] = [];
  const resolutions = await Promise.all(
    spec.targets.map((target) => resolveHost(target.host, RESOLVE_TIMEOUT_MS)),
  );
  spec.targets.forEach((target, index) => {
    const resolution = resolutions[index] as HostResolution;
    emit({ type: 'resolved', target: target.host, resolution });
    for (const assignment of target.ports) {
      if (!resolution.ok) {
        unresolved.push({
          target: target.host,
          address: null,
          ...assignment,
          state: 'error',
          reason: 'dns-failure',
          rttMs: null,
          detail: resolution.detail,
        });
        continue;
      }
      for (const address of resolution.addresses)
        requests.push({ target: target.host, address, ...assignment });
    }
  });
  return { requests, unresolved };
}

/** One signal for "stop now": the caller's (Ctrl-C) or the scan deadline, whichever comes first. */
function stopController(deadlineMs: number | undefined, outer: AbortSignal | undefined) {
  const controller = new AbortController();
  // Every probe in flight listens for it: hundreds of listeners are expected, not a leak.
  setMaxListeners(0, controller.signal);
  let why: 'signal' | 'deadline' = 'signal';
  const onOuter = () => controller.abort();
  outer?.addEventListener('abort', onOuter, { once: true });
  if (outer?.aborted) controller.abort();
  const timer =
    deadlineMs === undefined
      ? undefined
      : setTimeout(() => {
          why = 'deadline';
          controller.abort();
        }, deadlineMs);
  return {
    signal: controller.signal,
    why: () => why,
    dispose: () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuter);
    },
  };
}

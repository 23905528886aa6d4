import { buildAdhocSpec } from '../../src/plan/index.js';
import type { ProbeRecord, ProbeRequest } from '../../src/probes/types.js';
import type { Report } from '../../src/report/index.js';
import type { Finding } from '../../src/rules/types.js';
import type { ScanEvent } from '../../src/run/scan.js';
import type { InteractiveSession } from '../../src/tui/session.js';
import type { Verdict } from '../../src/verdict/compute-verdict.js';

/** A real ad-hoc spec: two addresses, HTTP 80 → 8080 and HTTPS 443 → 8443. */
export const SPEC = buildAdhocSpec({
  hosts: ['198.18.0.1', '198.18.0.2'],
  http: 8080,
  https: 8443,
  probe: {},
});

export function request(address: string, port: number): ProbeRequest {
  return { target: address, address, protocol: 'tcp', port, roles: ['extra'] };
}

export function record(address: string, port: number, overrides: Partial<ProbeRecord> = {}): ProbeRecord {
  return { ...request(address, port), state: 'open', reason: 'syn-ack', rttMs: 1.2, ...overrides };
}

export function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    rule: 'candidate-port-filtered',
    severity: 'no-go',
    message: 'clients cannot reach 198.18.0.1 on 8080',
    subject: '198.18.0.1:8080',
    evidence: ['probe:198.18.0.1@198.18.0.1/tcp/8080'],
    remediation: 'open tcp/8080 to 198.18.0.1 on the firewall',
    ...overrides,
  };
}

/** A report as the engine builds it, with only the fields the screen reads filled in meaningfully. */
export function report(
  verdict: Verdict,
  findings: readonly Finding[] = [],
  probes: readonly ProbeRecord[] = [],
): Report {
  const count = (severity: Finding['severity']) => findings.filter((f) => f.severity === severity).length;
  return {
    portflight: 1,
    tool: { name: 'portflight', version: '0.0.0-test' },
    verdict,
    verdictWithoutWaivers: verdict,
    counts: {
      'no-go': count('no-go'),
      incomplete: count('incomplete'),
      condition: count('condition'),
      info: count('info'),
    },
    startedAt: '2025-01-01T00:00:00.000Z',
    finishedAt: '2025-01-01T00:00:01.000Z',
    durationMs: 1000,
    vantage: {
      hostname: 'vantage01',
      addresses: ['198.18.0.100'],
      privileges: { rawSocket: false, detail: 'no CAP_NET_RAW', skipped: [] },
    },
    plan: { source: 'command-line', path: null, sha256: 'x' },
    scan: {
      complete: true,
      phase: 'preflight',
      offline: false,
      interruption: null,
      probes: probes.length,
      states: {},
    },
    change: SPEC.change,
    targets: [],
    probes: probes.map((probe) => ({ ...probe, role: probe.roles[0] ?? 'extra' })),
    findings,
    remediation: {
      sites: [],
      portswitch: null,
      repeatOnPrimarySites: [],
      firewallRules: [],
    },
    waivers: [],
  };
}

/** Events of a scan that probes every port of SPEC on both addresses with the given outcome. */
export function scanEvents(outcome: (address: string, port: number) => Partial<ProbeRecord>): ScanEvent[] {
  const events: ScanEvent[] = [];
  const probes: ProbeRecord[] = [];
  for (const target of SPEC.targets) {
    events.push({
      type: 'resolved',
      target: target.host,
      resolution: { ok: true, addresses: [target.host] },
    });
    for (const port of target.ports)
      probes.push(record(target.host, port.port, outcome(target.host, port.port)));
  }
  events.push({ type: 'planned', total: probes.length }, { type: 'phase', phase: 'connect' });
  probes.forEach((probe, index) => {
    events.push({ type: 'probe-started', request: request(probe.address as string, probe.port) });
    events.push({ type: 'probe-finished', record: probe, done: index + 1, total: probes.length });
  });
  return events;
}

export interface FakeSession extends InteractiveSession {
  readonly exports: { format: string; path: string }[];
  /** Files `w` wrote, by path. */
  readonly texts: Map<string, string>;
  readonly signals: AbortSignal[];
  /** Resolves the latest run with this report. */
  finish(report: Report): void;
  emit(event: ScanEvent): void;
}

/** A session whose runs wait until the test finishes them, so every intermediate screen can be seen. */
export function fakeSession(
  options: {
    exportError?: string;
    targets?: InteractiveSession['targets'];
    /** Paths that exist already, for the overwrite question. */
    existing?: readonly string[];
    formats?: InteractiveSession['formats'];
    title?: string;
  } = {},
): FakeSession {
  const exports: { format: string; path: string }[] = [];
  const texts = new Map<string, string>();
  const signals: AbortSignal[] = [];
  let resolveRun: ((report: Report) => void) | undefined;
  let onEvent: ((event: ScanEvent) => void) | undefined;
  return {
    title: options.title ?? 'check 198.18.0.1 198.18.0.2',
    sites: [],
    change: SPEC.change,
    targets: options.targets ?? SPEC.targets,
    formats: options.formats ?? ['yaml', 'json'],
    savedOnQuit: null,
    exports,
    texts,
    existingFiles: async (paths) => paths.filter((path) => options.existing?.includes(path)),
    writeText: async (path, text) => void texts.set(path, text),
    signals,
    run: (run) => {
      signals.push(run.signal);
      onEvent = run.onEvent;
      return new Promise<Report>((resolve) => (resolveRun = resolve));
    },
    exportReport: async (_report, format, path) => {
      exports.push({ format, path });
      if (options.exportError) throw new Error(options.exportError);
    },
    finish: (finished) => resolveRun?.(finished),
    emit: (event) => onEvent?.(event),
  };
}

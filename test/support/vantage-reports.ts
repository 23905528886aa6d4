import { reportOfScan } from '../../src/cli/run-check.js';
import { buildAdhocSpec, type ScanSpec } from '../../src/plan/index.js';
import type { Waiver } from '../../src/plan/schema.js';
import {
  PORT_ROLES,
  type PortRole,
  type ProbeReason,
  type ProbeRecord,
  type ProbeState,
} from '../../src/probes/index.js';
import type { Report } from '../../src/report/index.js';
import { YAML_RULES } from '../rules/yaml/support.js';

/** The plan of these reports: one management point, HTTP 80 → 8080, HTTPS 443 → 8443. */
export const MERGE_SPEC: ScanSpec = buildAdhocSpec({
  hosts: ['mp01.corp.example'],
  http: 8080,
  https: 8443,
  customWebsite: false,
});

const ADDRESS = '198.18.2.2';
const REASON: Record<ProbeState, ProbeReason> = {
  open: 'syn-ack',
  closed: 'conn-refused',
  filtered: 'no-response',
  'open|filtered': 'no-response',
  error: 'local-error',
};

/** `{ '8080': 'filtered' }` over all-open ports; `blockedBy` marks where a filtered port was stopped. */
export type VantagePorts = Partial<Record<'80' | '443' | '8080' | '8443', ProbeState>>;

/**
 * A report as `check` writes it from one vantage point, made by the real pipeline after the scan
 * (facts, the built-in rules, waivers, report) from canned probe records.
 */
export function vantageReport(options: {
  hostname: string;
  ports?: VantagePorts;
  blockedBy?: string;
  startedAt?: string;
  complete?: boolean;
  waivers?: readonly Waiver[];
  spec?: ScanSpec;
}): Report {
  const spec = options.spec ?? MERGE_SPEC;
  const target = spec.targets[0];
  if (!target) throw new Error('the spec has no target');
  const states: VantagePorts = {
    '80': 'open',
    '443': 'open',
    '8080': 'open',
    '8443': 'open',
    ...options.ports,
  };
  const records: ProbeRecord[] = target.ports.map(({ protocol, port, roles }) => {
    const state = states[String(port) as keyof VantagePorts] ?? 'open';
    const aborted = options.complete === false && port === 8443;
    return {
      target: target.host,
      address: ADDRESS,
      protocol,
      port,
      roles: [...roles].sort((a: PortRole, b: PortRole) => PORT_ROLES.indexOf(a) - PORT_ROLES.indexOf(b)),
      state: aborted ? 'error' : state,
      reason: aborted ? 'aborted' : REASON[state],
      rttMs: state === 'open' || state === 'closed' ? 2 : null,
      ...(state === 'filtered' && options.blockedBy
        ? { blockedBy: options.blockedBy, localisation: 'probed' as const }
        : {}),
    };
  });
  const startedAt = new Date(options.startedAt ?? '2026-03-02T09:00:00Z');
  return reportOfScan({
    spec,
    scan: {
      startedAt,
      finishedAt: new Date(startedAt.getTime() + 1500),
      records,
      complete: options.complete ?? true,
      offline: false,
      icmpEcho: new Map(),
      rechecks: new Map(),
      skipped: [],
      interruption: options.complete === false ? 'deadline' : null,
    },
    vantage: {
      hostname: options.hostname,
      addresses: [`198.18.1.${options.hostname.length}`],
      privileges: { rawSocket: true, detail: 'CAP_NET_RAW effective' },
    },
    bundles: new Map(),
    rules: YAML_RULES,
    waivers: options.waivers ?? [],
  });
}

import { newPortsOf, type EndpointFacts, type Facts } from '../../src/facts/index.js';
import type { EvidenceBundle } from '../../src/evidence/types.js';
import type { Recheck } from '../../src/run/recheck-phase.js';
import type { ChangeSpec, ScanTarget, SiteRef, SiteSystemRole } from '../../src/plan/index.js';
import { PortAssignments } from '../../src/plan/port-roles.js';
import type { PrimarySiteSpec, ScanPhase } from '../../src/plan/scan-spec.js';
import { addPortsOfRole } from '../../src/plan/site-roles.js';
import type { ClientPopulation } from '../../src/plan/schema.js';
import {
  REACHED_HOST_STATES,
  type PortRole,
  type ProbeReason,
  type ProbeRecord,
  type ProbeState,
} from '../../src/probes/index.js';

/**
 * `'8080': 'filtered'`, `'8080': ['filtered', 'host-unreach']`, or a record with any other fields
 * (`{ state: 'closed', replyFrom: undefined }` for an unattributed refusal). Answers from the
 * destination (open, closed) are attributed to it, as a raw-socket run does. The port's roles come
 * from the change.
 */
export type CannedPorts = Record<
  string,
  | ProbeState
  | [ProbeState, ProbeReason]
  | [ProbeState, ProbeReason, string]
  | (Partial<ProbeRecord> & { state: ProbeState })
>;

const DEFAULT_REASON: Record<ProbeState, ProbeReason> = {
  open: 'syn-ack',
  closed: 'conn-refused',
  filtered: 'no-response',
  'open|filtered': 'no-response',
  error: 'local-error',
};

export const STANDARD_CHANGE: ChangeSpec = {
  http: { current: 80, candidate: 8080 },
  https: { current: 443, candidate: 8443 },
  customWebsite: false,
  clientNotificationPort: 10123,
  wakeUp: null,
};

export function cannedEndpoint(
  change: ChangeSpec,
  options: {
    host?: string;
    address?: string | null;
    systemRoles?: SiteSystemRole[];
    sites?: SiteRef[];
    ports: CannedPorts;
    recheck?: Recheck;
  },
): EndpointFacts {
  const host = options.host ?? 'mp01.corp.example';
  const address = options.address === undefined ? '198.18.2.2' : options.address;
  const probes: ProbeRecord[] = Object.entries(options.ports).map(([key, outcome]) => {
    const [protocol, port] = key.startsWith('udp:')
      ? (['udp', Number(key.slice(4))] as const)
      : (['tcp', Number(key)] as const);
    const fields = typeof outcome === 'object' && !Array.isArray(outcome) ? outcome : undefined;
    const [state, reason, blockedBy]: [ProbeState, ProbeReason, string | undefined] = fields
      ? [fields.state, fields.reason ?? DEFAULT_REASON[fields.state], undefined]
      : Array.isArray(outcome)
        ? [outcome[0], outcome[1], outcome[2]]
        : [outcome as ProbeState, DEFAULT_REASON[outcome as ProbeState], undefined];
    const answered = address !== null && REACHED_HOST_STATES.has(state);
    return {
      target: host,
      address,
      protocol,
      port,
      roles: rolesOfPort(change, protocol, port),
      state,
      reason: address === null ? 'dns-failure' : reason,
      rttMs: REACHED_HOST_STATES.has(state) ? 1 : null,
      ...(answered ? { replyFrom: address, replyTtl: 61 } : {}),
      ...fields,
      ...(blockedBy === undefined
        ? {}
        : {
            blockedBy,
            path: [
              { ttl: 1, address: '198.18.1.1', rttMs: 1 },
              { ttl: 2, address: '198.18.2.2', rttMs: 1 },
            ],
          }),
    };
  });
  const target: ScanTarget = {
    host,
    sites: options.sites ?? [{ siteCode: 'P01', kind: 'primary', primarySiteCode: 'P01' }],
    systemRoles: options.systemRoles ?? ['management-point'],
    internetFacing: false,
    enrollmentPointPort: null,
    evidence: null,
    // The ports the endpoint was probed on: its roles served them.
    ports: probes.map(({ protocol, port, roles }) => ({ protocol, port, roles })),
  };
  const byRole: Partial<Record<PortRole, ProbeRecord>> = {};
  for (const probe of probes) for (const role of probe.roles) byRole[role] ??= probe;
  return {
    target,
    address,
    probes,
    byRole,
    reachedHost: probes.some((p) => REACHED_HOST_STATES.has(p.state)),
    icmpEcho: null,
    recheck: options.recheck ?? null,
  };
}

function rolesOfPort(change: ChangeSpec, protocol: string, port: number): PortRole[] {
  if (protocol !== 'tcp') return ['extra'];
  const roles: PortRole[] = [];
  for (const scheme of ['http', 'https'] as const) {
    const ports = change[scheme];
    if (ports?.candidate === port) roles.push(`candidate-${scheme}`);
    if (ports?.alternate === port) roles.push(`alternate-${scheme}`);
  }
  for (const scheme of ['http', 'https'] as const)
    if (change[scheme]?.current === port) roles.push(`current-${scheme}`);
  if (change.clientNotificationPort === port) roles.push('client-notification');
  return roles.length > 0 ? roles : ['extra'];
}

/** A client population of nobody, to count some clients on. */
export const NO_CLIENTS: ClientPopulation = {
  domain: 0,
  workgroup: 0,
  otherForest: 0,
  internetOnly: 0,
  onInternet: 0,
  linuxUnix: 0,
};

export function cannedFacts(options: {
  change?: ChangeSpec;
  clients?: Partial<ClientPopulation> | null;
  endpoints?: {
    host?: string;
    address?: string | null;
    systemRoles?: SiteSystemRole[];
    sites?: SiteRef[];
    ports: CannedPorts;
    recheck?: Recheck;
  }[];
  complete?: boolean;
  offline?: boolean;
  /** Default: preflight (before the change). */
  phase?: ScanPhase;
  /** Evidence bundles by host (the host must be one of the endpoints' hosts, or a new one). */
  bundles?: Record<string, EvidenceBundle>;
  /** Roles of the servers that carry the bundles (default: a management point). */
  serverRoles?: SiteSystemRole[];
  /** More site systems, probed on nothing (a site database server, a CMG connection point …). */
  systems?: (Partial<ScanTarget> & { host: string })[];
  skipped?: { probe: 'icmp-echo' | 'path' | 'application'; reason: string }[];
  publishedToActiveDirectory?: boolean;
  /** The hierarchy's primary sites (default: P01 alone, published as `publishedToActiveDirectory` says). */
  primarySites?: PrimarySiteSpec[];
}): Facts {
  const change = options.change ?? STANDARD_CHANGE;
  const endpoints = (options.endpoints ?? []).map((endpoint) => cannedEndpoint(change, endpoint));
  const serverRoles = options.serverRoles ?? ['management-point'];
  const servers = Object.entries(options.bundles ?? {}).map(([host, bundle]) => ({
    target: cannedTarget({ host, systemRoles: serverRoles, evidence: bundle.dir }, change),
    bundle,
  }));
  const targets = new Map<string, ScanTarget>();
  for (const target of [
    ...endpoints.map((endpoint) => endpoint.target),
    ...servers.map((server) => server.target),
    ...(options.systems ?? []).map((system) => cannedTarget(system, change)),
  ])
    if (!targets.has(target.host)) targets.set(target.host, target);
  return {
    change,
    primarySites: options.primarySites ?? [
      {
        siteCode: 'P01',
        publishedToActiveDirectory: options.publishedToActiveDirectory ?? true,
        secondarySiteCodes: [],
      },
    ],
    clients:
      options.clients === null || options.clients === undefined
        ? null
        : { ...NO_CLIENTS, ...options.clients },
    targets: [...targets.values()],
    endpoints,
    servers,
    newPorts: newPortsOf(change),
    vantage: {
      hostname: 'vantage',
      addresses: ['198.18.1.1'],
      privileges: { rawSocket: false, detail: 'test' },
    },
    scan: {
      phase: options.phase ?? 'preflight',
      complete: options.complete ?? true,
      offline: options.offline ?? false,
      interruption: options.complete === false ? 'signal' : null,
      skipped: options.skipped ?? [],
    },
  };
}

/** A site system of the canned plan: primary site P01, probed on the ports its roles serve. */
function cannedTarget(system: Partial<ScanTarget> & { host: string }, change: ChangeSpec): ScanTarget {
  const systemRoles = system.systemRoles ?? ['management-point'];
  const ports = new PortAssignments();
  for (const role of systemRoles) addPortsOfRole(ports, role, change, 443);
  return {
    sites: [{ siteCode: 'P01', kind: 'primary', primarySiteCode: 'P01' }],
    internetFacing: false,
    enrollmentPointPort: null,
    evidence: null,
    ports: ports.list(),
    ...system,
    systemRoles,
  };
}

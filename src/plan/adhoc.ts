import { echoed, usageError } from '../shared/errors.js';
import type { ProbeProtocol } from '../shared/port-vocabulary.js';
import { sha256Hex } from '../shared/sha256.js';
import { PortAssignments } from './port-roles.js';
import type { ScanPhase, ScanSpec } from './scan-spec.js';
import { hostProblem } from './host-name.js';
import { attachEvidence, probeSettingsWithFlags, type ProbeFlagSettings } from './command-line-overrides.js';
import type { RequestPort } from './schema.js';

// The port parsers live apart from the schemas so that parsing arguments does not load zod.
export { parsePortArgument, parsePortList } from './port-arguments.js';

export interface AdhocOptions {
  readonly hosts: readonly string[];
  readonly http?: number;
  readonly https?: number;
  readonly altHttp?: number;
  readonly altHttps?: number;
  readonly currentHttp?: number;
  readonly currentHttps?: number;
  readonly ports?: readonly { protocol: ProbeProtocol; port: number }[];
  /** The custom website SMSWEB carries ConfigMgr's roles (`--custom-website`); unknown when absent. */
  readonly customWebsite?: boolean;
  /** `--evidence DIR` (one host) or `--evidence HOST=DIR`: bundles to attach to hosts. */
  readonly evidence?: readonly string[];
  /** Before the change (default) or after it (`--phase verify`). */
  readonly phase?: ScanPhase;
  /** A responder runs on every host (`--responder-token-file`): their new ports are proved. */
  readonly responder?: boolean;
  /** Probe settings from flags; anything left out takes the plan defaults. */
  readonly probe?: ProbeFlagSettings;
}

/** Builds the scan `portflight check` asks for; the same rules then apply as in plan mode. */
export function buildAdhocSpec(options: AdhocOptions): ScanSpec {
  if (options.hosts.length === 0) throw usageError('name at least one host to check');
  for (const host of options.hosts) {
    const problem = hostProblem(host);
    if (problem !== undefined) throw usageError(`host ${echoed(host)}: ${problem}`);
  }
  const http = requestPort('http', options.currentHttp ?? 80, options.http, options.altHttp);
  const https = requestPort('https', options.currentHttps ?? 443, options.https, options.altHttps);
  if (http && https && http.candidate === https.candidate) {
    throw usageError(`--http and --https name the same port ${http.candidate}; they must differ`);
  }
  for (const [flag, own, other] of [
    ['--alt-http', http, https],
    ['--alt-https', https, http],
  ] as const) {
    if (own?.alternate !== undefined && other && [other.candidate, other.alternate].includes(own.alternate))
      throw usageError(`${flag} ${own.alternate} is the other scheme's request port; the ports must differ`);
  }
  const ports = new PortAssignments().addRequestPorts('http', http).addRequestPorts('https', https);
  for (const extra of options.ports ?? []) ports.add(extra.protocol, extra.port, 'extra');
  const assignments = ports.list();
  if (assignments.length === 0)
    throw usageError('nothing to probe: give --http/--https candidate ports or --ports');

  const probe = probeSettingsWithFlags({}, options.probe ?? {});
  const hosts = [...new Set(options.hosts)];
  const evidenceByHost = attachEvidence(hosts, options.evidence ?? []);
  const canonical = JSON.stringify({ hosts, http, https, ports: assignments, probe });
  return {
    source: { kind: 'command-line', path: null, sha256: sha256Hex(canonical) },
    // Not part of the sha256: the same check before and after the change is the same plan.
    phase: options.phase ?? 'preflight',
    change: {
      http,
      https,
      customWebsite: options.customWebsite ?? null,
      clientNotificationPort: null,
      wakeUp: null,
    },
    primarySites: [],
    clients: null,
    targets: hosts.map((host) => ({
      host,
      sites: [],
      systemRoles: [],
      internetFacing: false,
      enrollmentPointPort: null,
      evidence: evidenceByHost.get(host) ?? null,
      ports: assignments,
      responder: options.responder ?? false,
    })),
    probe,
  };
}

function requestPort(
  scheme: 'http' | 'https',
  current: number,
  candidate: number | undefined,
  alternate: number | undefined,
): RequestPort | null {
  if (candidate === undefined) {
    if (alternate !== undefined) throw usageError(`--alt-${scheme} needs --${scheme} (the candidate port)`);
    return null;
  }
  if (alternate !== undefined && alternate === candidate) {
    throw usageError(`--alt-${scheme} ${alternate} is the candidate port itself; an alternate must differ`);
  }
  return alternate === undefined ? { current, candidate } : { current, candidate, alternate };
}

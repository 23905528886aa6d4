import { resolve as resolvePath } from 'node:path';
import type { z } from 'zod';
import { echoed, usageError } from '../shared/errors.js';
import type { ProbeProtocol } from '../shared/port-vocabulary.js';
import { sha256Hex } from '../shared/sha256.js';
import { PortAssignments } from './port-roles.js';
import type { ScanSpec } from './scan-spec.js';
import { hostProblem } from './host-name.js';
import { probeSettingsSchema, type RequestPort } from './schema.js';

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
  /** A responder runs on every host (`--responder-token-file`): their new ports are proved. */
  readonly responder?: boolean;
  /** Probe settings from flags; anything left out takes the plan defaults. */
  readonly probe?: Partial<z.input<typeof probeSettingsSchema>>;
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

  const probe = probeSettingsSchema.safeParse(options.probe ?? {});
  if (!probe.success) {
    const issue = probe.error.issues[0];
    throw usageError(`--${flagName(String(issue?.path[0]))}: ${issue?.message ?? 'invalid value'}`);
  }
  const hosts = [...new Set(options.hosts)];
  const evidenceByHost = attachEvidence(hosts, options.evidence ?? []);
  const canonical = JSON.stringify({ hosts, http, https, ports: assignments, probe: probe.data });
  return {
    source: { kind: 'command-line', path: null, sha256: sha256Hex(canonical) },
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
    probe: probe.data,
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

const FLAG_OF_SETTING: Readonly<Record<string, string>> = {
  timeoutMs: 'timeout',
  ratePerSecond: 'rate',
  deadlineMs: 'deadline',
  expectedTlsIssuer: 'expected-issuer',
};

function flagName(key: string): string {
  return FLAG_OF_SETTING[key] ?? key;
}

/** `DIR` attaches to the only host; `HOST=DIR` to that host (which must be checked too). */
function attachEvidence(hosts: readonly string[], values: readonly string[]): Map<string, string> {
  const byHost = new Map<string, string>();
  for (const value of values) {
    const match = /^([^=]+)=(.+)$/.exec(value);
    const host = match ? (match[1] as string) : hosts.length === 1 ? (hosts[0] as string) : undefined;
    const dir = match ? (match[2] as string) : value;
    if (host === undefined)
      throw usageError(`--evidence ${value}: with several hosts, write --evidence HOST=DIR`);
    if (!hosts.includes(host))
      throw usageError(`--evidence ${value}: ${host} is not one of the hosts to check`);
    byHost.set(host, resolvePath(dir));
  }
  return byHost;
}

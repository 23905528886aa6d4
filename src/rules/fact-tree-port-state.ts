import {
  certificateBindingsOnPort,
  excludedRangesContaining,
  httpSysBindingsOnPort,
  inDynamicRange,
  isHttpSysListener,
  isOwnerUnknown,
  sourceRef,
  tcpListenersOnPort,
  urlReservationsOnPort,
} from '../evidence/analysis.js';
import type { EvidenceBundle, ExcludedPortRange, Listener } from '../evidence/types.js';
import type { NewPort } from '../facts/types.js';
import type { FactTreeOf } from './catalogue.js';
import type { portStateFields } from './catalogue-port-state.js';
import { summary } from './fact-tree-summary.js';

/**
 * What Windows says about a new port on one server (catalogue-port-state.ts): the excluded and
 * dynamic ranges holding it, and who listens on it.
 */

type PortState = Pick<FactTreeOf['servers'][number]['ports'][number], keyof typeof portStateFields>;

/**
 * TCP ports ConfigMgr and Windows use by default (DOMAIN.md (a)): a client request port there
 * collides. Only TCP: the wake-up ports (UDP 9, UDP 25536) say nothing about TCP 9 or TCP 25536.
 */
const WELL_KNOWN_TCP_PORTS: Readonly<Record<number, string>> = {
  135: 'RPC endpoint mapper',
  389: 'LDAP',
  445: 'SMB',
  636: 'LDAPS',
  808: 'net.tcp (the Net.Tcp Port Sharing service of WCF and IIS net.tcp bindings)',
  1433: 'SQL Server',
  2701: 'ConfigMgr remote control',
  3268: 'global catalog',
  3389: 'Remote Desktop',
  4022: 'SQL Server Service Broker',
  5985: 'WinRM (HTTP)',
  5986: 'WinRM (HTTPS)',
  8003: 'Windows PE peer cache',
  8005: 'delta content (express updates)',
  8172: 'IIS Web Management Service (WMSvc)',
  8530: 'WSUS (HTTP)',
  8531: 'WSUS (HTTPS)',
  10123: 'client notification (default)',
  47001: 'WinRM listener',
};

/** The other scheme's standard port: TLS on 80 or plain HTTP on 443 confuses every proxy and firewall. */
const OTHER_SCHEME_PORT = { http: 443, https: 80 } as const;

/** What else uses TCP `port`, as a client request port of `scheme`, or empty. */
export function wellKnownUse(
  port: number,
  scheme: NewPort['scheme'],
  clientNotificationPort: number | null,
): string {
  if (clientNotificationPort !== null && port === clientNotificationPort)
    return 'the site’s client notification port';
  if (port === OTHER_SCHEME_PORT[scheme]) {
    return scheme === 'http'
      ? 'HTTPS (443): plain HTTP on the port where clients, proxies and firewalls expect TLS'
      : 'HTTP (80): TLS on the port where clients, proxies and firewalls expect plain HTTP';
  }
  return WELL_KNOWN_TCP_PORTS[port] ?? '';
}

/** One new port against one server's excluded ranges, dynamic range and listeners. */
export function portStateFacts(bundle: EvidenceBundle, port: number): PortState {
  const ranges = bundle.excludedTcp ? excludedRangesContaining(bundle.excludedTcp, port) : null;
  const blocking = ranges?.filter((range) => !range.administered) ?? null;
  const administered = ranges?.filter((range) => range.administered) ?? null;
  const dynamic = bundle.dynamicTcp ? inDynamicRange(bundle.dynamicTcp, port) : null;
  const listeners = bundle.listeners ? tcpListenersOnPort(bundle.listeners, port) : null;
  const httpSys = listeners?.filter(isHttpSysListener) ?? null;
  const owners = httpSysOwners(bundle, port);
  const firstBlocking = blocking?.[0];
  return {
    ...summary(
      'blockingExclusions',
      blocking,
      (range) => rangeFact(range, port),
      (range) => `${range.start}-${range.end} (${range.who})`,
    ),
    blockingExclusionRemediation: firstBlocking ? rangeFact(firstBlocking, port).remediation : '',
    ...summary(
      'administeredExclusions',
      administered,
      (range) => rangeFact(range, port),
      (range) => `${range.start}-${range.end}`,
    ),
    inDynamicRange: dynamic,
    // An administered exclusion is the documented way to keep a dynamic-range port for a listener.
    dynamicAllocationRisk:
      dynamic === null || administered === null ? null : dynamic && administered.length === 0,
    ...summary(
      'foreignListeners',
      listeners?.filter((l) => !isHttpSysListener(l) && !isOwnerUnknown(l)) ?? null,
      listenerFact,
      (l) => `${l.process}${l.pid === '' ? '' : ` (PID ${l.pid})`} listens on ${l.address}`,
      '; ',
    ),
    ...summary(
      'unknownListeners',
      listeners?.filter(isOwnerUnknown) ?? null,
      listenerFact,
      (l) => `${l.address} (${l.ref})`,
      '; ',
    ),
    ...summary('httpSysListeners', httpSys, listenerFact, (l) => l.address),
    httpSysOwners: owners?.join('; ') ?? '',
    // Unnamed needs the files that could name it; with no http.sys listener there is nothing to name.
    httpSysUnnamed:
      httpSys === null ? null : httpSys.length === 0 ? false : owners === null ? null : owners.length === 0,
  };
}

function listenerFact(l: Listener) {
  return {
    process: l.processName ?? 'a process',
    pid: l.pid === null ? '' : String(l.pid),
    address: `${l.address}:${l.port}`,
    ref: sourceRef(l),
  };
}

/**
 * Who the evidence says registered `port` in http.sys: IIS sites binding it, URL reservations and
 * certificate bindings on it. Null when applicationHost.config or urlacl.txt is missing (the two
 * usual owners could not be seen).
 */
function httpSysOwners(bundle: EvidenceBundle, port: number): string[] | null {
  if (bundle.applicationHost === null || bundle.urlacl === null) return null;
  return [
    ...httpSysBindingsOnPort(bundle.applicationHost, port).map(
      ({ site, binding }) => `IIS site "${site.name}" (${binding.protocol} ${binding.bindingInformation})`,
    ),
    ...urlReservationsOnPort(bundle.urlacl, port).map((r) => `URL reservation ${r.url}`),
    ...certificateBindingsOnPort(bundle.sslcert ?? [], port).map(
      (b) =>
        `certificate binding ${b.endpoint ?? 'ccs'}:${b.port}${b.applicationId ? ` (appid ${b.applicationId})` : ''}`,
    ),
  ];
}

function rangeFact(range: ExcludedPortRange, port: number) {
  const count = range.end - range.start + 1;
  return {
    start: range.start,
    end: range.end,
    administered: range.administered,
    who: range.administered
      ? 'an administered exclusion (netsh int ipv4 add excludedportrange)'
      : 'a dynamic exclusion (Hyper-V, WinNAT, WSL, Docker)',
    remediation: range.administered
      ? `Nothing to do for the bind. Keep the exclusion ${range.start}-${range.end} (${count} port(s)): it keeps outgoing connections off ${port}.`
      : `Choose another port, or reserve ${port} before Hyper-V/WinNAT takes it, in an elevated PowerShell: net stop winnat; netsh int ipv4 add excludedportrange protocol=tcp startport=${port} numberofports=1; net start winnat. The reservation is administered: it keeps WinNAT off the port and IIS can still bind it.`,
    ref: sourceRef(range),
  };
}

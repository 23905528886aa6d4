import {
  CUSTOM_WEBSITE,
  DEFAULT_WEB_SITE,
  addressesOverlap,
  certificateBindingsForPort,
  collidesWithConfigMgrBinding,
  isConfigMgrSite,
  excludedRangeContaining,
  findSite,
  httpBindingsOnPort,
  inDynamicRange,
  isConfigMgrApplication,
  isHttpSysListener,
  sourceRef,
  tcpListenersOnPort,
  urlReservationsOnPort,
} from '../evidence/analysis.js';
import { EVIDENCE_FILES, type EvidenceBundle, type ExcludedPortRange } from '../evidence/types.js';
import type { Facts, NewPort, ServerEvidence } from '../facts/types.js';
import type { FactTreeOf } from './catalogue.js';
import { websiteFacts } from './fact-tree-websites.js';

type ServerTree = FactTreeOf['servers'][number];

/** Ports ConfigMgr and Windows use by default (DOMAIN.md (a)): a new client port there collides. */
const WELL_KNOWN_PORTS: Readonly<Record<number, string>> = {
  9: 'Wake On LAN (UDP 9)',
  135: 'RPC endpoint mapper',
  389: 'LDAP',
  445: 'SMB',
  636: 'LDAPS',
  1433: 'SQL Server',
  2701: 'ConfigMgr remote control',
  3268: 'global catalog',
  3389: 'Remote Desktop',
  4022: 'SQL Server Service Broker',
  5985: 'WinRM (HTTP)',
  5986: 'WinRM (HTTPS)',
  8003: 'Windows PE peer cache',
  8005: 'delta content (express updates)',
  8530: 'WSUS (HTTP)',
  8531: 'WSUS (HTTPS)',
  10123: 'client notification',
  25536: 'wake-up proxy',
  47001: 'WinRM listener',
};

export function wellKnownUse(port: number, clientNotificationPort: number | null): string {
  if (clientNotificationPort !== null && port === clientNotificationPort)
    return 'the site’s client notification port';
  return WELL_KNOWN_PORTS[port] ?? '';
}

const CHECKS: readonly [keyof EvidenceBundle, string, string][] = [
  ['applicationHost', EVIDENCE_FILES.applicationHost, 'IIS bindings and applications'],
  ['sslcert', EVIDENCE_FILES.sslcert, 'certificate bindings'],
  ['excludedTcp', EVIDENCE_FILES.excludedTcp, 'excluded port ranges'],
  ['listeners', 'netstat.txt/listeners.json', 'listening programs'],
  ['urlacl', EVIDENCE_FILES.urlacl, 'URL reservations'],
  ['dynamicTcp', EVIDENCE_FILES.dynamicTcp, 'the dynamic port range'],
];

/** A list gathered from a bundle file (null when the file is absent), with its message text and refs. */
function summary<K extends string, T, I extends { readonly ref: string }>(
  key: K,
  items: readonly T[] | null,
  fact: (item: T) => I,
  text: (item: I) => string,
  separator = ', ',
) {
  const facts = items?.map(fact) ?? null;
  return {
    [key]: facts,
    [`${key}Text`]: (facts ?? []).map(text).join(separator),
    [`${key}Refs`]: (facts ?? []).map((item) => item.ref),
  } as { [P in K]: I[] | null } & { [P in `${K}Text`]: string } & { [P in `${K}Refs`]: string[] };
}

/** One server's evidence, with every new port and every client request port analysed against it. */
export function serverFacts(server: ServerEvidence, facts: Facts): ServerTree {
  const { bundle } = server;
  const config = bundle.applicationHost;
  const dws = config ? findSite(config, DEFAULT_WEB_SITE) : undefined;
  const foreign = config
    ? (dws?.applications ?? []).filter((app) => !isConfigMgrApplication(app.path))
    : null;
  const missing = CHECKS.filter(([key]) => bundle[key] === null);
  const dynamic = bundle.dynamicTcp;
  const smsweb = config ? findSite(config, CUSTOM_WEBSITE) : undefined;
  return {
    host: server.target.host,
    dir: bundle.dir,
    smswebExists: config ? smsweb !== undefined : null,
    applicationHostRef: config ? `${config.file}:1` : '',
    smswebRef: smsweb ? sourceRef(smsweb) : '',
    ...summary(
      'dwsForeignApplications',
      foreign,
      (app) => ({ path: app.path, ref: sourceRef(app) }),
      (app) => app.path,
    ),
    ...websiteFacts(server, facts),
    missingFiles: missing.map(([, file]) => file),
    missingChecks: missing.map(([, , what]) => what).join(', '),
    dynamicRange: dynamic ? `${dynamic.start}-${dynamic.start + dynamic.count - 1}` : '',
    dynamicRangeRef: dynamic ? sourceRef(dynamic) : '',
    ports: facts.newPorts.map((port) => portFacts(server, port, facts)),
    requestPorts: requestPortsOf(facts.change).map((port) => requestPortFacts(server, port)),
  };
}

function portFacts(server: ServerEvidence, port: NewPort, facts: Facts): ServerTree['ports'][number] {
  const { bundle } = server;
  const config = bundle.applicationHost;
  const sslcert = bundle.sslcert;
  const current = sslcert ? certificateBindingsForPort(sslcert, port.current) : [];
  const currentHashes = new Set(current.flatMap((b) => (b.certificateHash ? [b.certificateHash] : [])));
  const onPort = sslcert ? certificateBindingsForPort(sslcert, port.port) : null;
  const conflicts = config
    ? httpBindingsOnPort(config, port.port).filter(
        ({ site, binding }) =>
          !isConfigMgrSite(site.name, facts.change.customWebsite) && collidesWithConfigMgrBinding(binding),
      )
    : null;
  const range = bundle.excludedTcp ? excludedRangeContaining(bundle.excludedTcp, port.port) : undefined;
  return {
    port: port.port,
    scheme: port.scheme,
    kind: port.kind,
    current: port.current,
    label: `${port.kind === 'candidate' ? 'Candidate' : 'Alternate'} ${port.scheme.toUpperCase()} port ${port.port}`,
    wellKnownUse: wellKnownUse(port.port, facts.change.clientNotificationPort),
    subject: `${server.target.host}:tcp/${port.port}`,
    ...summary(
      'iisConflicts',
      conflicts,
      ({ site, binding }) => ({
        site: site.name,
        binding: `${binding.protocol} ${binding.bindingInformation}`,
        ref: sourceRef(binding),
      }),
      (conflict) => `"${conflict.site}" (${conflict.binding})`,
    ),
    iisConflictSites: [...new Set((conflicts ?? []).map(({ site }) => `"${site.name}"`))].join(', '),
    ...summary(
      'foreignListeners',
      bundle.listeners
        ? tcpListenersOnPort(bundle.listeners, port.port).filter(
            (l) => !isHttpSysListener(l) && addressesOverlap(l.address, '*'),
          )
        : null,
      (l) => ({
        process: l.processName ?? 'a process',
        pid: l.pid === null ? '' : String(l.pid),
        address: `${l.address}:${l.port}`,
        ref: sourceRef(l),
      }),
      (l) => `${l.process}${l.pid === '' ? '' : ` (PID ${l.pid})`} listens on ${l.address}`,
      '; ',
    ),
    ...summary(
      'excludedRanges',
      bundle.excludedTcp ? (range ? [range] : []) : null,
      (r) => rangeFact(r, port.port),
      (r) => `${r.start}-${r.end} (${r.who})`,
    ),
    excludedRangesRemediation: range ? rangeFact(range, port.port).remediation : '',
    inDynamicRange: bundle.dynamicTcp ? inDynamicRange(bundle.dynamicTcp, port.port) : null,
    certificateBindings: onPort ? onPort.length : null,
    certificateRemediation: current[0]?.certificateHash
      ? `netsh http add sslcert ipport=0.0.0.0:${port.port} certhash=${current[0].certificateHash} appid={4dc3e181-e14b-4a21-b022-59fc669b0914} (or add the https binding in IIS with that certificate)`
      : `add an https binding on port ${port.port} with the site's PKI certificate in IIS`,
    currentCertificateRef: current[0] ? sourceRef(current[0]) : '',
    ...summary(
      'differentCertificates',
      onPort === null
        ? null
        : currentHashes.size === 0
          ? []
          : onPort.filter((b) => b.certificateHash !== null && !currentHashes.has(b.certificateHash)),
      (b) => ({ hash: b.certificateHash ?? '', ref: sourceRef(b) }),
      (b) => b.hash,
    ),
    currentCertificates: [...currentHashes].join(', '),
    ...summary(
      'urlReservations',
      bundle.urlacl ? urlReservationsOnPort(bundle.urlacl, port.port) : null,
      (r) => ({ url: r.url, users: r.users.map((u) => u.user).join(', '), ref: sourceRef(r) }),
      (r) => (r.users === '' ? r.url : `${r.url} (${r.users})`),
    ),
  };
}

/** The client request port of each scheme the change names, after the change. */
function requestPortsOf(change: Facts['change']) {
  return (['http', 'https'] as const).flatMap((scheme) => {
    const ports = change[scheme];
    return ports ? [{ scheme, port: ports.candidate, changed: ports.candidate !== ports.current }] : [];
  });
}

function requestPortFacts(
  server: ServerEvidence,
  { scheme, port, changed }: ReturnType<typeof requestPortsOf>[number],
): ServerTree['requestPorts'][number] {
  const config = server.bundle.applicationHost;
  const smsweb = config ? findSite(config, CUSTOM_WEBSITE) : undefined;
  const dws = config ? findSite(config, DEFAULT_WEB_SITE) : undefined;
  return {
    scheme,
    schemeUpper: scheme.toUpperCase(),
    port,
    changed,
    smswebBound: config
      ? (smsweb?.bindings.some((b) => b.protocol === scheme && b.port === port && b.host === '') ?? false)
      : null,
    ...summary(
      'dwsClashes',
      config
        ? (dws?.bindings ?? []).filter((b) => b.port === port && b.host === '' && addressesOverlap(b.ip, '*'))
        : null,
      (b) => ({ binding: `${b.protocol} ${b.bindingInformation}`, ref: sourceRef(b) }),
      (b) => b.binding,
    ),
  };
}

function rangeFact(range: ExcludedPortRange, port: number) {
  return {
    start: range.start,
    end: range.end,
    administered: range.administered,
    who: range.administered
      ? 'an administered exclusion'
      : 'a dynamic exclusion (Hyper-V, WinNAT, WSL, Docker)',
    remediation: range.administered
      ? `Delete the exclusion (netsh int ipv4 delete excludedportrange protocol=tcp startport=${range.start} numberofports=${range.end - range.start + 1}) or choose another port.`
      : `Choose another port, or reserve ${port} before Hyper-V/WinNAT takes it (net stop winnat; netsh int ipv4 add excludedportrange protocol=tcp startport=${port} numberofports=1; net start winnat).`,
    ref: sourceRef(range),
  };
}

import {
  CUSTOM_WEBSITE,
  DEFAULT_WEB_SITE,
  addressesOverlap,
  certificateBindingsForPort,
  collidesWithConfigMgrBinding,
  isConfigMgrSite,
  findSite,
  httpBindingsOnPort,
  isConfigMgrApplication,
  sourceRef,
  urlReservationsOnPort,
} from '../evidence/analysis.js';
import { EVIDENCE_FILES, type EvidenceBundle } from '../evidence/types.js';
import type { Facts, NewPort, ServerEvidence } from '../facts/types.js';
import type { FactTreeOf } from './catalogue.js';
import { portStateFacts, wellKnownUse } from './fact-tree-port-state.js';
import { summary } from './fact-tree-summary.js';
import { usesIis } from './fact-tree-systems.js';

type ServerTree = FactTreeOf['servers'][number];

const CHECKS: readonly [keyof EvidenceBundle, string, string][] = [
  ['applicationHost', EVIDENCE_FILES.applicationHost, 'IIS bindings and applications'],
  ['sslcert', EVIDENCE_FILES.sslcert, 'certificate bindings'],
  ['excludedTcp', EVIDENCE_FILES.excludedTcp, 'excluded port ranges'],
  ['listeners', 'netstat.txt/listeners.json', 'listening programs'],
  ['urlacl', EVIDENCE_FILES.urlacl, 'URL reservations'],
  ['dynamicTcp', EVIDENCE_FILES.dynamicTcp, 'the dynamic port range'],
];

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
    usesIis: usesIis(server.target, facts.change.customWebsite),
    smswebExists: config ? smsweb !== undefined : null,
    applicationHostRef: config ? `${config.file}:1` : '',
    smswebRef: smsweb ? sourceRef(smsweb) : '',
    ...summary(
      'dwsForeignApplications',
      foreign,
      (app) => ({ path: app.path, ref: sourceRef(app) }),
      (app) => app.path,
    ),
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
  return {
    port: port.port,
    scheme: port.scheme,
    kind: port.kind,
    current: port.current,
    label: `${port.kind === 'candidate' ? 'Candidate' : 'Alternate'} ${port.scheme.toUpperCase()} port ${port.port}`,
    wellKnownUse: wellKnownUse(port.port, port.scheme, facts.change.clientNotificationPort),
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
    ...portStateFacts(bundle, port.port),
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

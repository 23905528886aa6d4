import {
  CUSTOM_WEBSITE,
  DEFAULT_WEB_SITE,
  findSite,
  isConfigMgrApplication,
  sourceRef,
} from '../evidence/analysis.js';
import { EVIDENCE_FILES, type EvidenceBundle } from '../evidence/types.js';
import type { Facts, NewPort, ServerEvidence } from '../facts/types.js';
import type { FactTreeOf } from './catalogue.js';
import { iisPortFacts, iisServerFacts, requestPortFacts, requestPortsOf } from './fact-tree-iis.js';
import { portStateFacts, wellKnownUse } from './fact-tree-port-state.js';
import { summary } from './fact-tree-summary.js';
import { usesIis } from './fact-tree-systems.js';
import { websiteFacts } from './fact-tree-websites.js';

type ServerTree = FactTreeOf['servers'][number];

const CHECKS: readonly [keyof EvidenceBundle, string, string][] = [
  ['applicationHost', EVIDENCE_FILES.applicationHost, 'IIS bindings and applications'],
  ['sslcert', EVIDENCE_FILES.sslcert, 'certificate bindings'],
  ['excludedTcp', EVIDENCE_FILES.excludedTcp, 'excluded port ranges'],
  ['listeners', 'netstat.txt/listeners.json', 'listening programs'],
  ['urlacl', EVIDENCE_FILES.urlacl, 'URL reservations'],
  ['dynamicTcp', EVIDENCE_FILES.dynamicTcp, 'the dynamic port range'],
  ['iplisten', EVIDENCE_FILES.iplisten, 'the http.sys IP listen list'],
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
    ...websiteFacts(server, facts),
    missingFiles: missing.map(([, file]) => file),
    missingChecks: missing.map(([, , what]) => what).join(', '),
    dynamicRange: dynamic ? `${dynamic.start}-${dynamic.start + dynamic.count - 1}` : '',
    dynamicRangeRef: dynamic ? sourceRef(dynamic) : '',
    ...iisServerFacts(server, facts),
    ports: facts.newPorts.map((port) => portFacts(server, port, facts)),
    requestPorts: requestPortsOf(facts.change).map((port) => requestPortFacts(server, port, facts)),
  };
}

function portFacts(server: ServerEvidence, port: NewPort, facts: Facts): ServerTree['ports'][number] {
  return {
    port: port.port,
    scheme: port.scheme,
    kind: port.kind,
    current: port.current,
    label: `${port.kind === 'candidate' ? 'Candidate' : 'Alternate'} ${port.scheme.toUpperCase()} port ${port.port}`,
    wellKnownUse: wellKnownUse(port.port, port.scheme, facts.change.clientNotificationPort),
    subject: `${server.target.host}:tcp/${port.port}`,
    ...iisPortFacts(server, port, facts),
    ...portStateFacts(server.bundle, port.port),
  };
}

import { withSummary } from './catalogue-summary.js';
import { fact } from './engine/index.js';
import { b, list, maybe, n, obj, ref, s } from './catalogue-terms.js';

/**
 * The IIS and http.sys facts of each server (`servers[]`) and of each of its ports: which site
 * ConfigMgr uses and whether it starts, which other bindings take the new ports, which certificate
 * ConfigMgr's binding would use, and what http.sys listens on. Filled by fact-tree-iis.ts.
 */

export const iisServerFields = {
  defaultWebSiteExists: maybe(b('An IIS site named "Default Web Site" exists')),
  siteIdOneText: s(
    'What IIS site id 1 is: `site id 1 is "bti-eic-sql2" (http *:80:)`, or `no site has id 1`',
  ),
  siteIdOneRef: s('Reference to site id 1, or to applicationHost.config when there is none'),
  configMgrSite: s(
    'The IIS site ConfigMgr’s roles use here: `Default Web Site`, or `SMSWEB` with the custom website',
  ),
  configMgrSiteStopped: maybe(
    b('ConfigMgr’s site is set not to start (serverAutoStart="false"); false when the site is absent'),
  ),
  configMgrSiteRef: s('Reference to ConfigMgr’s site, or empty'),
  clientAddresses: maybe(
    list(
      s('address'),
      'Addresses clients reach the server at (what its name resolved to, or the address the plan gives)',
    ),
  ),
  clientAddressesText: s('Those addresses, comma-separated'),
  ipListenExcluded: maybe(
    list(
      s('address'),
      'Client addresses a non-empty http.sys IP listen list leaves out (empty when it has none)',
    ),
  ),
  ipListenExcludedText: s('Those addresses, comma-separated'),
  ipListenText: s('The addresses of the IP listen list, comma-separated'),
  ipListenRemediation: s('`netsh http add iplisten ipaddress=10.0.0.5` for each left-out address'),
  ipListenRefs: list(s('ref'), 'Evidence references of the IP listen list entries'),
} as const;

const overlap = (what: string) =>
  obj(
    {
      site: s('IIS site name'),
      binding: s('`protocol bindingInformation`'),
      effect: s('What it takes from ConfigMgr’s binding: `takes the requests sent to 10.0.0.5` …'),
      ref: ref(),
    },
    what,
  );

export const iisPortFields = {
  ...withSummary(
    'iisConflicts',
    overlap('binding'),
    'Started sites’ bindings that take ConfigMgr’s client requests on the port, or FTP/net.tcp services holding it',
    '`"Intranet" (http *:8080:) takes every request on port 8080`, semicolon-separated',
  ),
  iisConflictSites: s('The sites of those bindings, `"Intranet", "Api"`'),
  ...withSummary(
    'iisOtherAddress',
    overlap('binding'),
    'Bindings of started sites on one address that clients are not known to use: they take the requests sent there',
    '`"Api" (http 10.0.0.9:8080:) takes the requests sent to 10.0.0.9`, semicolon-separated',
  ),
  ...withSummary(
    'iisStoppedConflicts',
    overlap('binding'),
    'Stopped sites’ bindings that would take ConfigMgr’s requests on the port once started',
    '`"Old" (http *:8080:) takes every request on port 8080`, semicolon-separated',
  ),
  iisStoppedConflictSites: s('The sites of those bindings, `"Old"`'),
  certificateBindings: maybe(
    n(
      'http.sys certificate bindings that would serve ConfigMgr’s https binding on the port (its IP:port, hostname:port or CCS entry)',
    ),
  ),
  certificateEndpoint: s(
    'The http.sys endpoint ConfigMgr’s binding needs on the port: `IP:port 0.0.0.0:8443` …',
  ),
  certificateRemediation: s('The netsh/IIS step that binds ConfigMgr’s certificate to that endpoint'),
  currentCertificateRef: s('Reference to ConfigMgr’s certificate binding on today’s port, or empty'),
  ...withSummary(
    'differentCertificates',
    obj({ hash: s('Certificate hash'), ref: ref() }, 'binding'),
    'Bindings of ConfigMgr’s endpoint on the port whose certificate differs from ConfigMgr’s on today’s port',
    'Their certificate hashes, comma-separated',
  ),
  currentCertificates: s('ConfigMgr’s certificate hash on today’s port, or empty'),
  ...withSummary(
    'urlReservations',
    obj({ url: s('Reserved URL'), users: s('Users, comma-separated'), ref: ref() }, 'reservation'),
    'http.sys URL reservations on the port (not the default Temporary_Listen_Addresses one)',
    '`http://+:8080/ReportServer/ (NT SERVICE\\ReportServer)`, comma-separated',
  ),
} as const;

export const requestPort = obj(
  {
    scheme: fact.enum(['http', 'https'], 'Scheme'),
    schemeUpper: s('HTTP or HTTPS'),
    port: n('The client request port of this scheme after the change (changed or not)'),
    changed: b('The port differs from today’s'),
    smswebBound: maybe(b('SMSWEB has a binding of this scheme on the port (no host header)')),
    ...withSummary(
      'dwsClashes',
      overlap('binding'),
      'Bindings of the started Default Web Site that take SMSWEB’s requests on the port',
      '`http *:8080: takes every request on port 8080`, comma-separated',
    ),
  },
  'A client request port after the change, as seen from one server’s evidence',
);

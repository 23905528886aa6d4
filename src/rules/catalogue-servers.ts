import type { FactNode, ListFact, NullableFact, StringFact } from './engine/catalogue.js';
import { fact } from './engine/index.js';

/**
 * The `servers` part of the catalogue: each site system's evidence bundle, and each port analysed against
 * it. A list that comes from a file the bundle lacks is `null` (not gathered), so the rules that read it
 * are incomplete for that server. Lists of findings come with a `…Text` (for messages; rules cannot render
 * objects) and `…Refs` (for evidence) summary, empty when there is nothing to say.
 */
const n = fact.number;
const s = fact.string;
const b = fact.boolean;
const list = fact.list;
const obj = fact.object;
const maybe = fact.nullable;
const ref = () => s('Evidence reference (probe:…, file:line)');
const refs = (what: string) => list(s('ref'), `Evidence references of ${what}`);

type Summary<K extends string, I extends FactNode> = { readonly [P in K]: NullableFact<ListFact<I>> } & {
  readonly [P in `${K}Text`]: StringFact;
} & { readonly [P in `${K}Refs`]: ListFact<StringFact> };

/** A gathered-or-not list of items, with its message text and evidence references. */
function withSummary<const K extends string, I extends FactNode>(
  key: K,
  item: I,
  description: string,
  text: string,
): Summary<K, I> {
  return {
    [key]: maybe(list(item, description)),
    [`${key}Text`]: s(text),
    [`${key}Refs`]: refs(description.charAt(0).toLowerCase() + description.slice(1)),
  } as Summary<K, I>;
}

/** Which IIS site ConfigMgr uses today and will use, and WSUS on the Default Web Site (fact-tree-websites.ts). */
const websiteFields = {
  configMgrWebsite: maybe(
    s('IIS site holding ConfigMgr’s applications today (SMSWEB before the Default Web Site), or empty'),
  ),
  configMgrWebsiteRef: s('Reference to the first ConfigMgr application of that site, or empty'),
  plannedWebsite: maybe(s('The site the plan has ConfigMgr use: SMSWEB or Default Web Site')),
  websiteSwitch: maybe(b('The plan moves ConfigMgr between the Default Web Site and SMSWEB on this server')),
  wsusOnDefaultWebSite: maybe(
    b('WSUS web services (ClientWebService …) are applications of the Default Web Site'),
  ),
  wsusRef: s('Reference to the first WSUS application under the Default Web Site, or empty'),
} as const;

export const newPortFields = {
  port: n('Port number'),
  scheme: fact.enum(['http', 'https'], 'Scheme'),
  kind: fact.enum(['candidate', 'alternate'], 'Candidate or alternate port'),
  current: n("Today's port of the same scheme"),
  label: s('`Candidate HTTP port 8080` …'),
  wellKnownUse: s('What else uses this port by default (WSUS, SQL, WinRM …), or empty'),
} as const;

const serverPort = obj(
  {
    ...newPortFields,
    subject: s('`host:tcp/port`'),
    ...withSummary(
      'iisConflicts',
      obj({ site: s('IIS site name'), binding: s('`protocol bindingInformation`'), ref: ref() }, 'binding'),
      'Other IIS sites with a binding that takes this port from ConfigMgr’s site',
      '`"Intranet" (http *:8080:)`, comma-separated',
    ),
    iisConflictSites: s('The conflicting sites, `"Intranet", "Api"`'),
    ...withSummary(
      'foreignListeners',
      obj(
        {
          process: s('Process name or `a process`'),
          pid: s('PID or empty'),
          address: s('Listening address'),
          ref: ref(),
        },
        'listener',
      ),
      'Programs other than http.sys listening on the port',
      '`tomcat9 (PID 2212) listens on 0.0.0.0:8080`, semicolon-separated',
    ),
    ...withSummary(
      'excludedRanges',
      obj(
        {
          start: n('First port'),
          end: n('Last port'),
          administered: b('Added by an administrator (`*`)'),
          who: s('Who reserved it, in words'),
          remediation: s('What to do, in words'),
          ref: ref(),
        },
        'range',
      ),
      'Excluded TCP port ranges containing the port',
      '`8039-8138 (a dynamic exclusion (Hyper-V, WinNAT, WSL, Docker))`',
    ),
    excludedRangesRemediation: s('What to do about the range containing the port, or empty'),
    inDynamicRange: maybe(b('The port lies in the dynamic (ephemeral) TCP range')),
    certificateBindings: maybe(n('http.sys certificate bindings on the port (IP:port, hostname:port, CCS)')),
    certificateRemediation: s('The netsh/IIS step to bind the certificate'),
    currentCertificateRef: s('Reference to the certificate binding of today’s port, or empty'),
    ...withSummary(
      'differentCertificates',
      obj({ hash: s('Certificate hash'), ref: ref() }, 'binding'),
      'Bindings on the port whose certificate differs from today’s port’s',
      'Their certificate hashes, comma-separated',
    ),
    currentCertificates: s("Certificate hashes on today's port"),
    ...withSummary(
      'urlReservations',
      obj({ url: s('Reserved URL'), users: s('Users, comma-separated'), ref: ref() }, 'reservation'),
      'http.sys URL reservations on the port',
      '`http://+:8080/ReportServer/ (NT SERVICE\\ReportServer)`, comma-separated',
    ),
  },
  'A new port as seen from one server’s evidence',
);

const requestPort = obj(
  {
    scheme: fact.enum(['http', 'https'], 'Scheme'),
    schemeUpper: s('HTTP or HTTPS'),
    port: n('The client request port of this scheme after the change (changed or not)'),
    changed: b('The port differs from today’s'),
    smswebBound: maybe(b('SMSWEB has a binding of this scheme on the port (no host header)')),
    ...withSummary(
      'dwsClashes',
      obj({ binding: s('`protocol bindingInformation`'), ref: ref() }, 'binding'),
      'Default Web Site bindings on the port (all addresses, no host header)',
      '`http *:8080:`, comma-separated',
    ),
  },
  'A client request port after the change, as seen from one server’s evidence',
);

export const serverFact = obj(
  {
    host: s('Site system'),
    dir: s('Evidence bundle folder'),
    smswebExists: maybe(b('An IIS site named SMSWEB exists')),
    applicationHostRef: s('Reference to applicationHost.config'),
    smswebRef: s('Reference to the SMSWEB site in applicationHost.config, or empty'),
    ...withSummary(
      'dwsForeignApplications',
      obj({ path: s('Application path'), ref: ref() }, 'application'),
      'Applications on the Default Web Site that are not ConfigMgr’s',
      'Their paths, comma-separated',
    ),
    ...websiteFields,
    missingFiles: list(s('file'), 'Bundle files some checks need but that are absent'),
    missingChecks: s('What those files would have checked'),
    dynamicRange: s('`49152-65535`, or empty'),
    dynamicRangeRef: s('Reference to the dynamic port range, or empty'),
    ports: list(serverPort, 'Each new port (candidate or alternate), analysed against this evidence'),
    requestPorts: list(
      requestPort,
      'The HTTP and HTTPS client request ports after the change (one per scheme the change names, changed or not)',
    ),
  },
  'server',
);

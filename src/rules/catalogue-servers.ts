import { iisPortFields, iisServerFields, requestPort } from './catalogue-iis.js';
import { portStateFields } from './catalogue-port-state.js';
import { withSummary } from './catalogue-summary.js';
import { fact } from './engine/index.js';
import { b, list, maybe, n, obj, ref, s } from './catalogue-terms.js';

/**
 * The `servers` part of the catalogue: each site system's evidence bundle, and each port analysed against
 * it. A list that comes from a file the bundle lacks is `null` (not gathered), so the rules that read it
 * are incomplete for that server. Lists of findings come with a `…Text` (for messages; rules cannot render
 * objects) and `…Refs` (for evidence) summary, empty when there is nothing to say.
 */

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
  wellKnownUse: s(
    'What else uses this TCP port by default (WSUS, SQL, net.tcp …), or the other scheme’s port (HTTP on 443), or empty',
  ),
} as const;

const serverPort = obj(
  {
    ...newPortFields,
    subject: s('`host:tcp/port`'),
    ...iisPortFields,
    ...portStateFields,
  },
  'A new port as seen from one server’s evidence',
);

export const serverFact = obj(
  {
    host: s('Site system'),
    dir: s('Evidence bundle folder'),
    usesIis: b(
      'ConfigMgr hosts a role of this server on IIS, so the IIS and http.sys checks concern it: MP, DP, SUP, FSP, SMP, enrollment point, enrollment proxy point, or the reporting services point with the custom website (it then uses SMSWEB); true when the roles are unknown (ad-hoc check)',
    ),
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
    ...iisServerFields,
    ports: list(serverPort, 'Each new port (candidate or alternate), analysed against this evidence'),
    requestPorts: list(
      requestPort,
      'The HTTP and HTTPS client request ports after the change (one per scheme the change names, changed or not)',
    ),
  },
  'server',
);

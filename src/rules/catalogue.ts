import { SCAN_PHASES } from '../plan/scan-spec.js';
import { PORT_ROLES } from '../shared/port-vocabulary.js';
import { PROBE_REASONS, PROBE_STATES } from '../probes/types.js';
import { clientGroupsNode, clientsNode, remediationNode } from './catalogue-clients.js';
import { linksNode } from './catalogue-links.js';
import { newPortFields, serverFact } from './catalogue-servers.js';
import { internetFacts, systemFact } from './catalogue-systems.js';
import { defineCatalogue, fact, type FactsOf } from './engine/index.js';
import { b, list, maybe, n, obj, ref, s } from './catalogue-terms.js';

/**
 * What rule files can see: one typed, documented tree (docs/facts.md is generated from it). Derived
 * facts (labels, comparisons, per-port evidence analysis) are computed here once, so that rules stay
 * declarative comparisons. `null` means "not gathered" and makes a rule that needs it incomplete.
 */

const requestPort = obj(
  {
    current: n('Port clients use today'),
    candidate: n('Port the change moves to'),
    alternate: maybe(n('Alternate port clients try after a failure')),
    changed: b('candidate differs from current'),
  },
  'A client request port (HTTP or HTTPS)',
);

const probe = obj(
  {
    target: s('Host name or address as the plan wrote it'),
    address: s('Address probed'),
    endpoint: s('`host (address)` for messages'),
    protocol: fact.enum(['tcp', 'udp'], 'Transport'),
    protocolUpper: s('TCP or UDP'),
    port: n('Port'),
    role: fact.enum(PORT_ROLES, "The port's most important role"),
    roles: list(s('role'), 'Every role of the port'),
    state: fact.enum(PROBE_STATES, 'Probe outcome'),
    reason: fact.enum(PROBE_REASONS, 'Why: the reply (or silence) that decided the state'),
    outcome: s('`state (reason)` for messages'),
    detail: s('Extra words from the probe, or empty'),
    detailText: s('The probe’s detail, or its reason in words (`local error`) when it gave none'),
    attributed: b(
      'The answer that decided the state was seen on a raw socket with its sender (false for silence, and for every answer without raw sockets)',
    ),
    replyFrom: s('Sender of the answer that decided the state, or empty'),
    blockedBy: s('Blocking device address, `destination`, or empty when not located'),
    blockedBetween: s(
      '`198.18.1.2 and 198.18.3.2` when the blocking device sends no time-exceeded (it is between them), or empty',
    ),
    localisation: s('`probed`, `inferred` (from `inferredFrom`), `unknown`, or empty when not localised'),
    inferredFrom: s('Address whose localisation this probe was inferred from, or empty'),
    answeredCloser: b("Open, but the SYN-ACK came from fewer hops than the destination's other answers"),
    replyHops: n('Routers the deciding answer crossed (from its TTL), or 0 when unknown'),
    destinationHops: n("Routers the destination's own SYN-ACKs crossed, or 0 when unknown"),
    rewrites: s('Rewrites seen on the path (`hop 2 198.18.2.2: dscp 0→8`), `; `-separated, or empty'),
    blockedPhrase: s('`, stopped by 198.18.2.2 (hop 2)` or empty, for messages'),
    whereToOpen: s('Where to open the port, from what path probing found'),
    endpointReachedHost: b('The destination host answered on some port of this address'),
    managementPoint: b(
      'The target holds the management point role (true when its roles are unknown: an ad-hoc check)',
    ),
    mpListAsked: b(
      'An application probe asked this port for the MP list (`/SMS_MP/.sms_aut?mplist`): it ran on every open client request port unless --no-app',
    ),
    mpListStatus: n('HTTP status of the MP list request, or 0 when it got none (or was not asked)'),
    mpListAnswer: s('What the MP list request got: `HTTP 200`, `timeout: …`, or `not asked`'),
    responderOutcome: s(
      'Two-sided proof (`--responder-token-file`): `proved`, `middlebox`, `token-mismatch`, `refused`, `silent`, `error`, or empty where no responder was expected',
    ),
    responderIdentity: s('Host identity the responder proved (or, under another token, claimed), or empty'),
    responderFingerprint: s('Fingerprint of the token the answering responder used, or empty'),
    expectedFingerprint: s('Fingerprint of the token this scan was given, or empty'),
    ref: ref(),
  },
  'One probe record',
);

const comparison = obj(
  {
    ...probe.fields,
    label: s('`Candidate HTTP`, `Alternate HTTPS` …'),
    currentPort: n("Today's port of the same scheme"),
    currentOutcome: s("`state (reason)` of today's port"),
    currentReachedHost: b("Today's port reached the destination host (open or closed)"),
    currentRef: ref(),
  },
  'A new port (candidate or alternate) of one address, paired with the current port of its scheme',
);

const newPort = obj(newPortFields, 'A client request port the change introduces');

export const RULE_CATALOGUE = defineCatalogue({
  change: obj(
    {
      http: maybe(requestPort),
      https: maybe(requestPort),
      portsChanged: b('An HTTP or HTTPS client request port changes'),
      customWebsite: maybe(b('The custom website SMSWEB is used (unknown in ad-hoc mode)')),
      clientNotificationPort: maybe(n('Client notification (fast channel) TCP port')),
      finalHttp: n('HTTP port after the change'),
      finalHttps: n('HTTPS port after the change'),
      currentHttp: n('HTTP port before the change'),
      currentHttps: n('HTTPS port before the change'),
      newPorts: list(newPort, 'Ports the change introduces'),
      newPortsText: s('The new ports, `8080/8443`'),
      unchanged: list(
        obj({ scheme: s('HTTP or HTTPS'), key: s('`http` or `https`'), port: n('Port') }, 'scheme'),
        'Schemes whose port stays the same',
      ),
      alternates: list(
        obj(
          {
            scheme: fact.enum(['http', 'https'], 'Scheme'),
            schemeUpper: s('HTTP or HTTPS'),
            port: n('Alternate port'),
            candidate: n('The default (candidate) port of the same scheme'),
            current: n("Today's port of the same scheme"),
          },
          'alternate',
        ),
        'Alternate ports the change sets, one per scheme (including one equal to today’s port)',
      ),
      wakeUp: maybe(
        obj(
          {
            sitePort: n('Wake On LAN UDP port in the site properties'),
            clientSettingPort: maybe(n('"Wake On LAN port number (UDP)" client setting')),
            clientPort: n('Wake On LAN UDP port the clients use: the client setting, else the site port'),
            proxyPort: n('Wake-up proxy UDP port'),
          },
          'Wake-up settings',
        ),
      ),
    },
    'The change',
  ),
  clients: clientsNode,
  clientGroups: clientGroupsNode,
  hierarchy: obj(
    {
      primarySites: list(s('Site code'), 'Primary site codes'),
      primaryCount: n('Number of primary sites'),
      secondarySites: list(s('Site code'), 'Secondary site codes'),
      secondaryCount: n('Number of secondary sites'),
      secondarySystems: s(
        'Site systems of secondary sites that the plan lists (and so were probed), comma-separated, or `none listed in the plan`',
      ),
      ...internetFacts,
    },
    'The site hierarchy (empty in ad-hoc mode)',
  ),
  remediation: remediationNode,
  scan: obj(
    {
      phase: fact.enum(
        SCAN_PHASES,
        '`preflight` before the change; `verify` after it (`--phase verify`): candidate ports must then be open and the MP answer on them',
      ),
      complete: b('Every probe ran'),
      offline: b('No probe was sent (--offline)'),
      interruption: s('Why the scan stopped early, in words, or empty'),
      probeCount: n('Probes recorded'),
      abortedRefs: list(s('ref'), 'Probes that did not run'),
      abortedCount: n('Number of probes that did not run'),
      pathProbingSkipped: b('Path localisation could not run'),
      pathSkipReason: s('Why, or empty'),
      unlocatedFilteredRefs: list(s('ref'), 'Filtered probes not traced to a device'),
      unlocatedFilteredCount: n('Number of filtered probes not traced to a device'),
      attributionSkipped: b(
        'Raw sockets were unavailable, so refusals could not be attributed to their sender',
      ),
      attributionSkipReason: s('Why, or empty'),
      unknownBlockerRefs: list(s('ref'), 'Filtered probes whose localisation ran and could not tell'),
      unknownBlockerCount: n('Number of filtered probes whose localisation ran and could not tell'),
      unknownBlockerWhy: s('The distinct reasons, `; `-separated'),
      evidenceDirs: list(s('dir'), 'Evidence bundles read'),
      evidenceRefs: list(s('ref'), '`evidence:DIR` of each bundle read'),
      bundleCount: n('Number of evidence bundles read'),
    },
    'The scan itself',
  ),
  endpoints: list(
    obj(
      {
        host: s('Host as written'),
        label: s('`host (address)`'),
        subject: s('`host` or `host@address`'),
        resolved: b('The name resolved'),
        resolveDetail: s('Resolver error, or empty'),
        reachedHost: b('The host answered on some port'),
        aborted: b('Some probes of this address did not run'),
        probeCount: n('Ports probed'),
        reasons: s('Distinct reasons, comma-separated'),
        probeRefs: list(s('ref'), 'Its probes'),
        baselineFailures: list(
          obj({ port: n('Port'), text: s('What was seen, in words'), ref: ref() }, 'probe'),
          "Today's ports of its roles (client request ports, enrollment port) that did not answer: closed or filtered",
        ),
        baselineFailuresText: s(
          "`TCP 80 (today's HTTP client request port) is closed (conn-refused)`, semicolon-separated",
        ),
        baselineFailuresRefs: list(s('ref'), 'Those probes'),
        vanished: b(
          'Some of its ports were filtered, and a port that answered it during the scan no longer answered when asked again at the end',
        ),
        recheckText: s(
          '`TCP 80 was open during the scan and filtered (no-response) when asked again at its end`, or empty when not asked again',
        ),
        recheckRef: s('The probe of the port asked again, or empty'),
      },
      'endpoint',
    ),
    'Each resolved address of each site system (or the unresolved name)',
  ),
  probes: list(probe, 'Every probe record'),
  blockGroups: list(
    obj(
      {
        protocol: fact.enum(['tcp', 'udp'], 'Transport'),
        protocolUpper: s('TCP or UDP'),
        port: n('Port'),
        where: s('`at 198.18.2.2`, `between 198.18.1.2 and 198.18.3.2`, `by the destination hosts`'),
        count: n('Filtered probes of this port stopped there'),
        probed: n('Of them, localised by their own probes'),
        inferred: n('Of them, inferred from a probed one of the same port and path'),
        refs: list(s('ref'), 'The probes'),
      },
      'group',
    ),
    'Filtered probes grouped by port and by where they are stopped (localised ones only)',
  ),
  comparisons: list(comparison, 'Each new port of each address with the current port of its scheme'),
  servers: list(serverFact, 'Site systems with an evidence bundle'),
  systems: list(systemFact, 'Every site system of the scan, probed or not'),
  links: linksNode,
  vantage: obj(
    { hostname: s('Where portflight ran'), rawSocket: b('Raw-socket privileges were available') },
    'The vantage point',
  ),
});

export type FactTreeOf = FactsOf<typeof RULE_CATALOGUE>;

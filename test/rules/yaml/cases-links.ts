import { binding, site } from '../../support/bundles.js';
import { STANDARD_CHANGE, cannedFacts } from '../../support/facts.js';
import { ALL_OPEN, DYNAMIC_STANDARD, fullBundle, withBundle, withChange, type RuleCase } from './cases.js';

/** The rules for what the docs state beyond the probed ports: website switch, WSUS, callers of the MP, client firewalls. */
const DWS_WITH_CONFIGMGR = site(
  'Default Web Site',
  [binding('http', '*:80:', 11), binding('https', '*:443:', 12)],
  ['/', '/SMS_MP', '/CCM_Client'],
);
const SMSWEB_EMPTY = site(
  'SMSWEB',
  [binding('http', '*:8080:', 31), binding('https', '*:8443:', 32)],
  ['/'],
  30,
);
const SMSWEB_WITH_CONFIGMGR = site(
  'SMSWEB',
  [binding('http', '*:8080:', 31), binding('https', '*:8443:', 32)],
  ['/', '/SMS_MP', '/CCM_Client'],
  30,
);
const DWS_WITH_WSUS = site(
  'Default Web Site',
  [binding('http', '*:80:', 11), binding('https', '*:443:', 12)],
  ['/', '/SMS_MP', '/ClientWebService', '/SimpleAuthWebService'],
);
const WSUS_OWN_SITE = site(
  'WSUS Administration',
  [binding('http', '*:8530:', 41), binding('https', '*:8531:', 42)],
  ['/', '/ClientWebService', '/SimpleAuthWebService'],
  40,
);
const ADHOC = {
  http: { current: 80, candidate: 8080 },
  https: null,
  customWebsite: null,
  clientNotificationPort: null,
};

export const LINK_CASES: Record<string, RuleCase> = {
  'CM-WEBSITE-SWITCH': {
    fires: withBundle(fullBundle({ sites: [DWS_WITH_CONFIGMGR, SMSWEB_EMPTY] }), true),
    says: [
      /ConfigMgr's applications on mp01\.corp\.example are under "Default Web Site" today, and the plan uses "SMSWEB"/,
      /enrollment point and enrollment proxy point do not come back by themselves/,
      /same choice on every primary site so clients can roam/,
    ],
    subjects: ['mp01.corp.example:website'],
    quiet: [
      withBundle(fullBundle({ sites: [DWS_WITH_CONFIGMGR] }), false),
      // A switch done earlier leaves the old directories under the Default Web Site: SMSWEB is in use.
      withBundle(fullBundle({ sites: [DWS_WITH_CONFIGMGR, SMSWEB_WITH_CONFIGMGR] }), true),
      // A new server with no ConfigMgr application yet switches nothing.
      withBundle(fullBundle({ sites: [site('Default Web Site', [binding('http', '*:80:')])] }), true),
      withChange(ADHOC, { bundles: { 'mp01.corp.example': fullBundle({ sites: [DWS_WITH_CONFIGMGR] }) } }),
    ],
  },
  'CM-WSUS-ON-DEFAULT-WEB-SITE': {
    fires: withBundle(fullBundle({ sites: [DWS_WITH_WSUS] })),
    says: [
      /WSUS on mp01\.corp\.example runs in the Default Web Site, which moves to HTTP 8080\/HTTPS 8443/,
      /8080\/8443 is not \(HTTPS would have to be 8081\)/,
      /wsusutil\.exe usecustomwebsite true/,
    ],
    subjects: ['mp01.corp.example:WSUS'],
    quiet: [
      withBundle(fullBundle({ sites: [DWS_WITH_CONFIGMGR, WSUS_OWN_SITE] })),
      withBundle(fullBundle({ sites: [DWS_WITH_WSUS, SMSWEB_WITH_CONFIGMGR] }), true),
      withChange(
        { http: { current: 80, candidate: 80 }, https: { current: 443, candidate: 443 } },
        { bundles: { 'mp01.corp.example': fullBundle({ sites: [DWS_WITH_WSUS] }) } },
      ),
    ],
  },
  'CM-SITE-SYSTEMS-CALL-MP': {
    fires: cannedFacts({
      endpoints: [
        { ports: ALL_OPEN },
        {
          host: 'dp01.corp.example',
          address: '198.18.4.2',
          systemRoles: ['distribution-point'],
          ports: ALL_OPEN,
        },
      ],
    }),
    says: [
      /dp01\.corp\.example \(distribution-point\) calls the management point\(s\) mp01\.corp\.example on the client request ports: after the change it needs TCP 8080\/8443/,
      /Run from dp01\.corp\.example: portflight check mp01\.corp\.example --current-http 80 --http 8080 --current-https 443 --https 8443;/,
    ],
    subjects: ['dp01.corp.example:management-point'],
    quiet: [
      cannedFacts({
        endpoints: [{ systemRoles: ['management-point', 'distribution-point'], ports: ALL_OPEN }],
      }),
      withChange(
        { http: { current: 80, candidate: 80 }, https: { current: 443, candidate: 443 } },
        {
          endpoints: [
            { ports: ALL_OPEN },
            { host: 'dp01.corp.example', systemRoles: ['distribution-point'], ports: ALL_OPEN },
          ],
        },
      ),
    ],
  },
  'CM-CLIENT-FIREWALL-OUTBOUND': {
    fires: cannedFacts({ endpoints: [{ ports: ALL_OPEN }] }),
    says: [
      /on TCP 8080\/8443 after the change/,
      /netsh advfirewall firewall add rule name=ConfigMgr-client-TCP-8080 dir=out action=allow protocol=TCP remoteport=8080 then netsh advfirewall firewall add rule name=ConfigMgr-client-TCP-8443 dir=out action=allow protocol=TCP remoteport=8443\./,
    ],
    subjects: ['clients:firewall'],
    quiet: [
      withChange({ http: { current: 80, candidate: 80 }, https: { current: 443, candidate: 443 } }),
      cannedFacts({ change: { ...STANDARD_CHANGE, ...ADHOC }, primarySites: [] }),
    ],
  },
  'CM-CLIENT-NOTIFICATION-SHARED': {
    fires: withChange({ clientNotificationPort: 10200 }),
    says: [
      /The client notification port is TCP 10200: peer cache source validation and Wake on LAN \(1810 and later\)/,
    ],
    subjects: ['change.clientNotificationPort'],
    quiet: [cannedFacts({}), withChange({ clientNotificationPort: null })],
  },
  'WIN-DYNAMIC-RANGE-MOVE': {
    fires: withBundle(fullBundle({ dynamicTcp: { ...DYNAMIC_STANDARD, start: 1024, count: 64511 } })),
    says: [
      /dynamic TCP range 1024-65534; moving that range instead of the port also moves the RPC dynamic ports/,
    ],
    subjects: ['mp01.corp.example:dynamic-ports'],
    quiet: [withBundle(fullBundle()), cannedFacts({})],
  },
};

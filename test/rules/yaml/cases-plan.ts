import { cannedFacts } from '../../support/facts.js';
import { ALL_OPEN, withChange, type RuleCase } from './cases.js';

/** The plan rules: clients, hierarchy, wake-up and port choices. */
const WAKE_UP = { sitePort: 9, clientSettingPort: 9, proxyPort: 25536 };

export const CLIENT_CASES: Record<string, RuleCase> = {
  'CM-CLIENTS-MUST-REINSTALL': {
    fires: cannedFacts({
      clients: { workgroup: 25, otherForest: 40, onInternet: 7 },
      endpoints: [{ ports: ALL_OPEN }],
    }),
    says: [
      /72 client\(s\) of primary site P01 cannot learn/,
      /25 workgroup, 40 in another forest, 7 currently on the internet/,
      /keep HTTP 80\/HTTPS 443/,
      /reinstall with client push .*after the site's ports change/,
      /run CCMSetup\.exe \/mp:mp01\.corp\.example SMSSITECODE=P01 CCMHTTPPORT=8080 CCMHTTPSPORT=8443\./,
      /Clients currently on the internet: CCMSetup\.exe \/UsePKICert \/mp:https:\/\/<CMG or internet-facing MP FQDN> CCMHOSTNAME=<CMG or internet-facing MP FQDN> SMSSITECODE=P01 CCMHTTPSPORT=8443\./,
      /never the intranet one/,
      /"wscript\.exe portswitch\.vbs 8080 8443"/,
      /assignment runs just after the site's ports change/,
    ],
    subjects: ['clients'],
    quiet: [
      cannedFacts({ clients: { domain: 5000 }, endpoints: [{ ports: ALL_OPEN }] }),
      cannedFacts({ clients: null, endpoints: [{ ports: ALL_OPEN }] }),
      withChange(
        { http: { current: 80, candidate: 80 }, https: { current: 443, candidate: 443 } },
        { clients: { workgroup: 25 }, endpoints: [{ ports: { '80': 'open', '443': 'open' } }] },
      ),
      // Internet clients use HTTPS only: an HTTP-only change leaves them on their ports.
      withChange(
        { http: { current: 80, candidate: 8080 }, https: { current: 443, candidate: 443 } },
        { clients: { internetOnly: 5, onInternet: 30 }, endpoints: [{ ports: ALL_OPEN }] },
      ),
    ],
  },
  'CM-LINUX-UNIX-CLIENTS': {
    fires: cannedFacts({ clients: { linuxUnix: 4 }, endpoints: [{ ports: ALL_OPEN }] }),
    says: [
      /4 Linux\/UNIX client\(s\) of primary site P01/,
      /not supported on current branch since version 1902/,
      /\.\/install -mp mp01\.corp\.example -sitecode P01 -httpport 8080 -httpsport 8443 -keepdb <package>\.tar/,
    ],
    subjects: ['clients.linuxUnix'],
    quiet: [
      cannedFacts({ clients: { domain: 10 }, endpoints: [{ ports: ALL_OPEN }] }),
      cannedFacts({ clients: null, endpoints: [{ ports: ALL_OPEN }] }),
    ],
  },
  'CM-INTERNET-HTTPS-PORT': {
    fires: cannedFacts({
      clients: { domain: 5000, internetOnly: 5, onInternet: 210 },
      systems: [{ host: 'mp01.corp.example', internetFacing: true }],
    }),
    says: [
      /HTTPS client request port moves to 8443, and internet-based clients connect to the internet-facing management point\(s\) mp01\.corp\.example directly/,
      /may block a port other than 443/,
      /CCMHTTPSPORT=8443/,
    ],
    subjects: ['change.https'],
    quiet: [
      cannedFacts({ clients: { domain: 5000 } }),
      cannedFacts({ clients: null }),
      // Clients on the internet through a cloud management gateway keep 443 to it.
      cannedFacts({
        clients: { onInternet: 210 },
        systems: [
          { host: 'mp01.corp.example' },
          { host: 'cmgcp01.corp.example', systemRoles: ['cmg-connection-point'] },
        ],
      }),
      withChange({ https: { current: 443, candidate: 443 } }, { clients: { onInternet: 210 } }),
      withChange(
        { https: { current: 8443, candidate: 443 } },
        { systems: [{ host: 'mp01.corp.example', internetFacing: true }] },
      ),
      withChange({ https: null }, { clients: { onInternet: 210 } }),
    ],
  },
  'CM-REPEAT-ON-PRIMARY-SITES': {
    fires: cannedFacts({
      primarySites: [
        { siteCode: 'P01', publishedToActiveDirectory: true, secondarySiteCodes: [] },
        { siteCode: 'P02', publishedToActiveDirectory: true, secondarySiteCodes: ['S02'] },
      ],
    }),
    says: [
      /The hierarchy has 2 primary sites \(P01, P02\)/,
      /change to HTTP 8080\/HTTPS 8443 must be made on each/,
      /On each primary site \(P01, P02\)/,
    ],
    subjects: ['hierarchy'],
    quiet: [
      cannedFacts({}),
      withChange(
        { http: { current: 80, candidate: 80 }, https: { current: 443, candidate: 443 } },
        {
          primarySites: [
            { siteCode: 'P01', publishedToActiveDirectory: true, secondarySiteCodes: [] },
            { siteCode: 'P02', publishedToActiveDirectory: true, secondarySiteCodes: [] },
          ],
        },
      ),
    ],
  },
  'CM-SECONDARY-SITES-INHERIT': {
    fires: cannedFacts({
      primarySites: [{ siteCode: 'P01', publishedToActiveDirectory: true, secondarySiteCodes: ['S01'] }],
      endpoints: [
        { ports: ALL_OPEN },
        {
          host: 'dp-s01.corp.example',
          address: '198.18.3.2',
          systemRoles: ['distribution-point'],
          sites: [{ siteCode: 'S01', kind: 'secondary', primarySiteCode: 'P01' }],
          ports: ALL_OPEN,
        },
      ],
    }),
    says: [
      /1 secondary site\(s\) \(S01\) inherit the new ports \(HTTP 8080\/HTTPS 8443\)/,
      /probed on the same ports \(dp-s01\.corp\.example\)/,
    ],
    subjects: ['hierarchy.secondarySites'],
    quiet: [cannedFacts({ endpoints: [{ ports: ALL_OPEN }] })],
  },
  'CM-WELL-KNOWN-PORT': {
    fires: withChange({ http: { current: 80, candidate: 8530 }, https: { current: 443, candidate: 10123 } }),
    says: [
      /Candidate HTTP port 8530 collides with a well-known TCP port: WSUS \(HTTP\)/,
      /Candidate HTTPS port 10123 collides with a well-known TCP port: the site’s client notification port/,
    ],
    subjects: ['change.http.candidate', 'change.https.candidate'],
    quiet: [
      cannedFacts({}),
      withChange({ http: { current: 80, candidate: 8000, alternate: 8001 } }),
      // The wake-up ports are UDP: TCP 9 and TCP 25536 are free of them.
      withChange({
        http: { current: 80, candidate: 9 },
        https: { current: 443, candidate: 25536 },
        wakeUp: { sitePort: 9, clientSettingPort: 9, proxyPort: 25536 },
      }),
    ],
  },
  'CM-WAKE-UP-PORT-MISMATCH': {
    fires: withChange({ wakeUp: { ...WAKE_UP, clientSettingPort: 7 } }),
    says: [/site's Wake On LAN port is UDP 9 but the client setting "Wake On LAN port number \(UDP\)" is 7/],
    subjects: ['change.wakeUp'],
    quiet: [
      withChange({ wakeUp: WAKE_UP }),
      withChange({ wakeUp: { ...WAKE_UP, clientSettingPort: null } }),
      cannedFacts({}),
    ],
  },
  'CM-WAKE-UP-PROXY': {
    fires: withChange({ wakeUp: { sitePort: 9, clientSettingPort: 12287, proxyPort: 25536 } }),
    says: [/UDP 25536, UDP 12287 and ICMP echo requests/, /not probed/],
    subjects: ['change.wakeUp'],
    quiet: [cannedFacts({})],
  },
  'CM-ENHANCED-HTTP-443': {
    fires: cannedFacts({}),
    says: [
      /HTTPS client request port moves from 443 to 8443 on the Default Web Site/,
      /SMS Role SSL Certificate/,
      /administration service/,
    ],
    subjects: ['change.https'],
    quiet: [
      withChange({ customWebsite: true }),
      withChange({ https: { current: 443, candidate: 443 } }),
      withChange({ https: null }),
      withChange({ https: { current: 8443, candidate: 9443 } }),
    ],
  },
  'CM-ALTERNATE-PORT': {
    fires: withChange({ http: { current: 80, candidate: 8080, alternate: 8081 } }),
    says: [
      /Alternate HTTP port 8081 is set: clients try it after the default port 8080 fails/,
      /Open TCP 8081/,
    ],
    subjects: ['change.http.alternate'],
    quiet: [cannedFacts({})],
  },
};

import { cannedFacts } from '../../support/facts.js';
import { ALL_OPEN, HOST, fullBundle, withChange, type RuleCase } from './cases.js';

/** The rules of site system roles: today's ports as the baseline, roles with no client port, the CMG connection point. */
export const ROLE_CASES: Record<string, RuleCase> = {
  'PF-BASELINE-NOT-ESTABLISHED': {
    fires: cannedFacts({
      endpoints: [
        { ports: { ...ALL_OPEN, '80': 'closed' } },
        // The same host's second address: judged on its own.
        { address: '198.18.2.3', ports: { ...ALL_OPEN, '443': 'filtered' } },
      ],
    }),
    says: [
      /mp01\.corp\.example \(198\.18\.2\.2\) is reached, but today's port does not work from here: TCP 80 \(today's HTTP client request port\) is closed \(conn-refused\)/,
      /TCP 443 \(today's HTTPS client request port\) is filtered \(no-response\)/,
      /the wrong host or address, IIS stopped, or not the role the plan says/,
    ],
    subjects: ['mp01.corp.example@198.18.2.2', 'mp01.corp.example@198.18.2.3'],
    quiet: [
      cannedFacts({ endpoints: [{ ports: ALL_OPEN }] }),
      // After the change today's ports may close (PF-VERIFY-OLD-PORT-CLOSED).
      cannedFacts({ phase: 'verify', endpoints: [{ ports: { ...ALL_OPEN, '80': 'closed' } }] }),
      // Answers on nothing: PF-HOST-UNREACHABLE (incomplete) says so.
      cannedFacts({ endpoints: [{ ports: { '80': 'filtered', '443': 'filtered', '8080': 'filtered' } }] }),
      // A fallback status point serves HTTP only: it is never probed on today's HTTPS port.
      cannedFacts({
        endpoints: [{ systemRoles: ['fallback-status-point'], ports: { '80': 'open', '8080': 'closed' } }],
      }),
      cannedFacts({ offline: true, bundles: { [HOST]: fullBundle() } }),
    ],
  },
  'PF-NO-CLIENT-PORTS': {
    fires: cannedFacts({
      endpoints: [{ ports: ALL_OPEN }],
      systems: [
        { host: 'sql01.corp.example', systemRoles: ['site-database-server', 'sms-provider'] },
        { host: 'ep01.corp.example', systemRoles: ['enrollment-point'], enrollmentPointPort: 8444 },
      ],
    }),
    says: [
      /sql01\.corp\.example \(site database server, SMS Provider\) holds nothing to probe from a client network: site database server: site systems reach SQL Server, not the clients; SMS Provider:/,
      /ep01\.corp\.example \(enrollment point\) .*the enrollment proxy point connects to it on TCP 8444, not the devices/,
    ],
    subjects: ['sql01.corp.example', 'ep01.corp.example'],
    quiet: [
      cannedFacts({ endpoints: [{ ports: ALL_OPEN }] }),
      // An ad-hoc host: its roles are unknown, and it is probed on every port asked.
      cannedFacts({ systems: [{ host: '198.18.9.9', systemRoles: [] }] }),
      // A site server that is also a management point is probed on the management point's ports.
      cannedFacts({
        systems: [{ host: 'ps01.corp.example', systemRoles: ['site-server', 'management-point'] }],
      }),
    ],
  },
  'CM-CMG-CONNECTION-POINT': {
    fires: cannedFacts({
      endpoints: [{ ports: ALL_OPEN }, { host: 'mp02.corp.example', address: '198.18.2.3', ports: ALL_OPEN }],
      systems: [{ host: 'cmgcp01.corp.example', systemRoles: ['cmg-connection-point'] }],
    }),
    says: [
      /cmgcp01\.corp\.example is a CMG connection point: after the change it forwards cloud management gateway traffic to mp01\.corp\.example, mp02\.corp\.example on HTTPS 8443/,
      /On cmgcp01\.corp\.example, run: portflight check mp01\.corp\.example mp02\.corp\.example --current-https 443 --https 8443$/m,
    ],
    subjects: ['cmgcp01.corp.example:cmg-connection-point'],
    quiet: [
      cannedFacts({ endpoints: [{ ports: ALL_OPEN }] }),
      withChange(
        { https: { current: 443, candidate: 443 } },
        {
          endpoints: [{ ports: { '80': 'open', '8080': 'open', '443': 'open' } }],
          systems: [{ host: 'cmgcp01.corp.example', systemRoles: ['cmg-connection-point'] }],
        },
      ),
      // Its primary site lists no management point: there is nothing to name in the check.
      cannedFacts({
        endpoints: [{ ports: ALL_OPEN }],
        systems: [
          {
            host: 'cmgcp02.corp.example',
            systemRoles: ['cmg-connection-point'],
            sites: [{ siteCode: 'P02', kind: 'primary', primarySiteCode: 'P02' }],
          },
        ],
      }),
    ],
  },
};

import { CONFIGMGR_DWS, bundle } from '../../support/bundles.js';
import type { Recheck } from '../../../src/run/recheck-phase.js';
import { cannedFacts } from '../../support/facts.js';
import { ALL_OPEN, HOST, fullBundle, withChange, type RuleCase } from './cases.js';

/** The probe rules: what the network showed from this vantage point. */
export const PROBE_CASES: Record<string, RuleCase> = {
  'PF-CANDIDATE-BLOCKED': {
    fires: cannedFacts({ endpoints: [{ ports: { ...ALL_OPEN, '8080': 'filtered' } }] }),
    says: [
      /Candidate HTTP port 8080 on mp01\.corp\.example \(198\.18\.2\.2\) is filtered \(no-response\)/,
      /current port 80 is open/,
      /Open TCP 8080 to 198\.18\.2\.2 on every firewall/,
    ],
    subjects: ['mp01.corp.example:tcp/8080'],
    quiet: [
      cannedFacts({ endpoints: [{ ports: ALL_OPEN }] }),
      cannedFacts({ endpoints: [{ ports: { ...ALL_OPEN, '8080': 'closed' } }] }),
      cannedFacts({ endpoints: [{ ports: { ...ALL_OPEN, '80': 'filtered', '8080': 'filtered' } }] }),
      // After the change the candidate port is judged alone (PF-VERIFY-CANDIDATE-NOT-OPEN).
      cannedFacts({ phase: 'verify', endpoints: [{ ports: { ...ALL_OPEN, '8080': 'filtered' } }] }),
    ],
  },
  'PF-PATH-NOT-LOCALISED': {
    fires: cannedFacts({
      skipped: [{ probe: 'path', reason: 'raw sockets unavailable (no-privilege)' }],
      endpoints: [{ ports: { ...ALL_OPEN, '8080': 'filtered' } }],
    }),
    says: [/1 filtered probe\(s\) were not traced/, /no-privilege/],
    subjects: ['path'],
    quiet: [
      cannedFacts({ endpoints: [{ ports: { ...ALL_OPEN, '8080': 'filtered' } }] }),
      cannedFacts({ skipped: [{ probe: 'path', reason: 'no-privilege' }], endpoints: [{ ports: ALL_OPEN }] }),
    ],
  },
  'PF-CANDIDATE-UNVERIFIED': {
    fires: cannedFacts({ endpoints: [{ ports: { ...ALL_OPEN, '80': 'filtered', '8080': 'filtered' } }] }),
    says: [/current port 80 is filtered/, /vantage point/],
    subjects: ['mp01.corp.example:tcp/8080'],
    quiet: [
      cannedFacts({ endpoints: [{ ports: { ...ALL_OPEN, '8080': 'filtered' } }] }),
      cannedFacts({ endpoints: [{ ports: { '80': 'filtered', '8080': 'filtered' } }] }),
      cannedFacts({
        phase: 'verify',
        endpoints: [{ ports: { ...ALL_OPEN, '80': 'filtered', '8080': 'filtered' } }],
      }),
    ],
  },
  'PF-CANDIDATE-NOT-LISTENING': {
    fires: cannedFacts({ endpoints: [{ ports: { ...ALL_OPEN, '8443': 'closed' } }] }),
    says: [/Candidate HTTPS port 8443 reaches/, /nothing listens/],
    subjects: ['mp01.corp.example:tcp/8443'],
    quiet: [
      cannedFacts({ endpoints: [{ ports: ALL_OPEN }] }),
      // Nobody seen refusing it: it may be a rejecting firewall.
      cannedFacts({
        endpoints: [{ ports: { ...ALL_OPEN, '8443': { state: 'closed', replyFrom: undefined } } }],
      }),
      cannedFacts({
        endpoints: [{ ports: { ...ALL_OPEN, '8443': { state: 'closed', reason: 'reset-suspected' } } }],
      }),
      // After the change a refused candidate is a failure (PF-VERIFY-CANDIDATE-NOT-OPEN).
      cannedFacts({ phase: 'verify', endpoints: [{ ports: { ...ALL_OPEN, '8443': 'closed' } }] }),
    ],
  },
  'PF-REFUSAL-UNATTRIBUTED': {
    fires: cannedFacts({
      endpoints: [
        { ports: { ...ALL_OPEN, '8443': { state: 'closed', replyFrom: undefined } } },
        // A RST whose marks differ from the host's other RSTs: refused, but not proven by the server.
        {
          host: 'mp02.corp.example',
          ports: { ...ALL_OPEN, '8443': { state: 'closed', reason: 'reset-suspected' } },
        },
      ],
    }),
    says: [
      /Candidate HTTPS port 8443 on mp01.* was refused \(conn-refused\), but the refusal was not attributed/,
      /port 8443 on mp02.* was refused \(reset-suspected\)/,
      /CAP_NET_RAW/,
    ],
    subjects: ['mp01.corp.example:tcp/8443', 'mp02.corp.example:tcp/8443'],
    quiet: [
      cannedFacts({ endpoints: [{ ports: { ...ALL_OPEN, '8443': 'closed' } }] }),
      cannedFacts({ endpoints: [{ ports: ALL_OPEN }] }),
    ],
  },
  'PF-ANSWERED-BY-MIDDLEBOX': {
    fires: cannedFacts({
      endpoints: [
        {
          ports: {
            ...ALL_OPEN,
            '8443': { state: 'open', replyTtl: 62, answeredCloser: { replyHops: 2, destinationHops: 3 } },
          },
        },
      ],
    }),
    says: [
      /TCP 8443 on .* was answered from 2 router\(s\) away, while the destination's own answers cross 3/,
    ],
    subjects: ['mp01.corp.example:tcp/8443'],
    quiet: [cannedFacts({ endpoints: [{ ports: ALL_OPEN }] })],
  },
  'PF-RESPONDER-PROVED': {
    fires: cannedFacts({
      endpoints: [
        {
          ports: {
            ...ALL_OPEN,
            '8443': {
              state: 'open',
              reason: 'responder',
              detail: 'proved by the responder of mp01',
              responder: {
                outcome: 'proved',
                identity: 'mp01',
                expectedFingerprint: 'ab',
                tokenFingerprint: 'ab',
              },
            },
          },
        },
      ],
    }),
    says: [
      /TCP 8443 on mp01\.corp\.example .* was proved end to end \(proved by the responder of mp01, under/,
    ],
    subjects: ['mp01.corp.example:tcp/8443'],
    quiet: [
      cannedFacts({ endpoints: [{ ports: ALL_OPEN }] }),
      cannedFacts({
        endpoints: [{ ports: { ...ALL_OPEN, '8443': { state: 'open', reason: 'middlebox' } } }],
      }),
    ],
  },
  'PF-RESPONDER-MIDDLEBOX': {
    fires: cannedFacts({
      endpoints: [
        {
          ports: {
            ...ALL_OPEN,
            '8080': {
              state: 'open',
              reason: 'middlebox',
              detail: 'answered without a proof: "HTTP/1.1 400 Bad Request"',
              responder: {
                outcome: 'middlebox',
                banner: 'HTTP/1.1 400 Bad Request',
                expectedFingerprint: 'ab',
              },
            },
          },
        },
      ],
    }),
    says: [
      /TCP 8080 on .* was answered, but not by the site system's responder: answered without a proof: "HTTP\/1\.1 400/,
    ],
    subjects: ['mp01.corp.example:tcp/8080'],
    quiet: [
      cannedFacts({ endpoints: [{ ports: ALL_OPEN }] }),
      cannedFacts({
        endpoints: [{ ports: { ...ALL_OPEN, '8080': { state: 'open', reason: 'responder' } } }],
      }),
    ],
  },
  'PF-RESPONDER-TOKEN-MISMATCH': {
    fires: cannedFacts({
      endpoints: [
        {
          ports: {
            ...ALL_OPEN,
            '8443': {
              state: 'open',
              reason: 'responder-token-mismatch',
              responder: {
                outcome: 'token-mismatch',
                identity: 'mp01',
                tokenFingerprint: '0011223344556677',
                expectedFingerprint: '8899aabbccddeeff',
              },
            },
          },
        },
      ],
    }),
    says: [/fingerprint 0011223344556677; this scan's token is 8899aabbccddeeff/, /same token file/],
    subjects: ['mp01.corp.example:tcp/8443'],
    quiet: [
      cannedFacts({ endpoints: [{ ports: ALL_OPEN }] }),
      cannedFacts({
        endpoints: [{ ports: { ...ALL_OPEN, '8443': { state: 'open', reason: 'middlebox' } } }],
      }),
    ],
  },
  'PF-BLOCKED-GROUP': {
    fires: cannedFacts({
      endpoints: [
        { address: '198.19.1.1', ports: { ...ALL_OPEN, '8443': ['filtered', 'no-response', '198.18.2.2'] } },
        {
          address: '198.19.1.2',
          ports: {
            ...ALL_OPEN,
            '8443': {
              state: 'filtered',
              blockedBy: '198.18.2.2',
              localisation: 'inferred',
              inferredFrom: '198.19.1.1',
            },
          },
        },
      ],
    }),
    says: [/TCP 8443 is stopped at 198\.18\.2\.2 for 2 addresses \(1 probed, 1 inferred\)/],
    subjects: ['tcp/8443 at 198.18.2.2'],
    quiet: [
      cannedFacts({
        endpoints: [{ ports: { ...ALL_OPEN, '8443': ['filtered', 'no-response', '198.18.2.2'] } }],
      }),
      cannedFacts({
        endpoints: [
          {
            address: '198.19.1.1',
            ports: { ...ALL_OPEN, '8443': ['filtered', 'no-response', '198.18.2.2'] },
          },
          {
            address: '198.19.1.2',
            ports: { ...ALL_OPEN, '8443': ['filtered', 'no-response', '198.18.3.2'] },
          },
        ],
      }),
    ],
  },
  'PF-BLOCKER-UNKNOWN': {
    fires: cannedFacts({
      endpoints: [
        {
          ports: {
            ...ALL_OPEN,
            '8080': {
              state: 'filtered',
              blockedBy: null,
              localisation: 'unknown',
              detail: 'hop 2 (198.18.2.2) had no ICMP budget left to answer',
            },
          },
        },
      ],
    }),
    says: [/1 filtered probe\(s\) could not be traced/, /no ICMP budget/],
    subjects: ['path'],
    quiet: [
      cannedFacts({
        endpoints: [{ ports: { ...ALL_OPEN, '8080': ['filtered', 'no-response', '198.18.2.2'] } }],
      }),
    ],
  },
  'PF-PATH-REWRITES': {
    fires: cannedFacts({
      endpoints: [
        {
          ports: {
            ...ALL_OPEN,
            '8080': {
              state: 'open',
              path: [
                { ttl: 1, address: '198.18.1.2', rttMs: 1 },
                { ttl: 2, address: '198.18.2.2', rttMs: 1, rewrites: ['dscp 0→8'] },
              ],
            },
          },
        },
      ],
    }),
    says: [/Candidate HTTP port 8080 to .* is rewritten on the way: hop 2 198\.18\.2\.2: dscp 0→8/],
    subjects: ['mp01.corp.example:tcp/8080'],
    quiet: [cannedFacts({ endpoints: [{ ports: ALL_OPEN }] })],
  },
  'PF-HOST-UNREACHABLE': {
    fires: cannedFacts({
      endpoints: [{ ports: { '80': 'filtered', '8080': ['filtered', 'host-unreach'] } }],
    }),
    says: [/answered on none of its 2 probed ports \(no-response, host-unreach\)/],
    subjects: ['mp01.corp.example@198.18.2.2'],
    quiet: [
      cannedFacts({ endpoints: [{ ports: { '80': 'closed', '8080': 'filtered' } }] }),
      cannedFacts({ endpoints: [{ address: null, ports: { '80': 'error' } }] }),
      cannedFacts({
        complete: false,
        endpoints: [{ ports: { '80': 'filtered', '8080': ['error', 'aborted'] } }],
      }),
    ],
  },
  'PF-HOST-VANISHED': {
    fires: cannedFacts({
      endpoints: [{ ports: { '80': 'open', '8080': 'filtered' }, recheck: recheckOf80('filtered') }],
    }),
    says: [
      /198\.18\.2\.2\) stopped answering during the scan: TCP 80 was open during the scan and filtered \(no-response\) when asked again at its end/,
    ],
    subjects: ['mp01.corp.example@198.18.2.2'],
    quiet: [
      // Still there: its filtered port met a firewall.
      cannedFacts({
        endpoints: [{ ports: { '80': 'open', '8080': 'filtered' }, recheck: recheckOf80('open') }],
      }),
      // Not asked again (nothing filtered, or nothing answered).
      cannedFacts({ endpoints: [{ ports: { '80': 'open', '8080': 'filtered' } }] }),
    ],
  },
  'PF-NAME-UNRESOLVED': {
    fires: cannedFacts({ endpoints: [{ address: null, ports: { '80': 'error', '8080': 'error' } }] }),
    says: [/mp01\.corp\.example does not resolve/],
    subjects: [HOST],
    quiet: [cannedFacts({ endpoints: [{ ports: ALL_OPEN }] })],
  },
  'PF-PROBE-ERROR': {
    fires: cannedFacts({ endpoints: [{ ports: { ...ALL_OPEN, '8443': 'error' } }] }),
    says: [/TCP 8443 on .* could not be probed \(local error\)/],
    subjects: ['mp01.corp.example:tcp/8443'],
    quiet: [cannedFacts({ endpoints: [{ ports: ALL_OPEN }] })],
  },
  'PF-SCAN-INTERRUPTED': {
    fires: cannedFacts({
      complete: false,
      endpoints: [{ ports: { ...ALL_OPEN, '8443': ['error', 'aborted'] } }],
    }),
    says: [/interrupted: 1 probe\(s\) did not run/],
    subjects: ['scan'],
    quiet: [cannedFacts({ endpoints: [{ ports: ALL_OPEN }] })],
  },
  'PF-NOTHING-PROBED': {
    fires: cannedFacts({ endpoints: [] }),
    says: [/No port was probed/],
    subjects: ['scan'],
    quiet: [
      cannedFacts({ endpoints: [{ ports: ALL_OPEN }] }),
      cannedFacts({ offline: true, bundles: { [HOST]: fullBundle() } }),
    ],
  },
  'PF-PORTS-UNCHANGED': {
    fires: withChange(
      { http: { current: 80, candidate: 80 }, https: null },
      { endpoints: [{ ports: { '80': 'open' } }] },
    ),
    says: [/HTTP client request port stays 80/],
    subjects: ['change.http'],
    quiet: [cannedFacts({ endpoints: [{ ports: ALL_OPEN }] })],
  },
  'PF-PORT-FILTERED': {
    fires: cannedFacts({ endpoints: [{ ports: { ...ALL_OPEN, '3389': 'filtered' } }] }),
    says: [/TCP 3389 on .* is filtered/, /If clients need it, open TCP 3389/],
    subjects: ['mp01.corp.example:tcp/3389'],
    quiet: [
      cannedFacts({ endpoints: [{ ports: { ...ALL_OPEN, '3389': 'closed', 'udp:9': 'open|filtered' } }] }),
    ],
  },
  'PF-UDP-SILENCE': {
    fires: cannedFacts({ endpoints: [{ ports: { ...ALL_OPEN, 'udp:9': 'open|filtered' } }] }),
    says: [/UDP 9 on .* met only silence \(open\|filtered/, /Settle it from both ends/],
    subjects: ['mp01.corp.example:udp/9'],
    quiet: [
      cannedFacts({ endpoints: [{ ports: { ...ALL_OPEN, 'udp:9': 'open' } }] }),
      cannedFacts({ endpoints: [{ ports: { ...ALL_OPEN, 'udp:9': 'closed' } }] }),
      cannedFacts({ endpoints: [{ ports: ALL_OPEN }] }),
    ],
  },
  'PF-OFFLINE': {
    fires: cannedFacts({ offline: true, bundles: { mp01: bundle({ sites: [CONFIGMGR_DWS] }) } }),
    says: [/Offline analysis of 1 evidence bundle\(s\): no probe was sent/],
    subjects: ['scan'],
    quiet: [cannedFacts({}), cannedFacts({ endpoints: [{ ports: ALL_OPEN }] })],
  },
  'CM-CLIENT-NOTIFICATION-BLOCKED': {
    fires: cannedFacts({ endpoints: [{ ports: { ...ALL_OPEN, '10123': 'filtered' } }] }),
    says: [/TCP 10123 .* is filtered/, /fall back to the HTTP\/HTTPS request port/],
    subjects: ['mp01.corp.example:tcp/10123'],
    quiet: [
      cannedFacts({ endpoints: [{ ports: ALL_OPEN }] }),
      cannedFacts({ endpoints: [{ ports: { '10123': 'filtered' } }] }),
    ],
  },
};

/** TCP 80 (open during the scan) asked again at the end, with this outcome. */
function recheckOf80(state: 'open' | 'filtered'): Recheck {
  return {
    protocol: 'tcp',
    port: 80,
    before: 'open',
    after: { state, reason: state === 'open' ? 'syn-ack' : 'no-response' },
    stillAnswers: state === 'open',
  };
}

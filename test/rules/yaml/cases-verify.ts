import type { HttpExchange, ProbeRecord } from '../../../src/probes/index.js';
import { cannedFacts } from '../../support/facts.js';
import { ALL_OPEN, type RuleCase } from './cases.js';

/** An open port whose application probe got `mplist` (the MP list request) as given. */
export function answering(
  port: number,
  mplist: Omit<HttpExchange, 'url'>,
): Partial<ProbeRecord> & { state: 'open' } {
  const url = (path: string) => `http://mp01.corp.example:${port}${path}`;
  return {
    state: 'open',
    app: {
      http: [
        { url: url('/SMS_MP/.sms_aut?mplist'), ...mplist },
        { url: url('/SMS_MP/.sms_aut?mpcert'), status: 200, server: 'Microsoft-IIS/10.0' },
      ],
      tls: null,
    },
  };
}

const MP_OK = { status: 200, server: 'Microsoft-IIS/10.0' };
/** After a change that worked: the new ports open and the MP answering on them, the old ones closed. */
export const CHANGED = {
  '80': 'closed',
  '443': 'closed',
  '8080': answering(8080, MP_OK),
  '8443': answering(8443, MP_OK),
  '10123': 'open',
} as const;

const verify = (ports: Parameters<typeof cannedFacts>[0]['endpoints'], extra = {}) =>
  cannedFacts({ phase: 'verify', endpoints: ports, ...extra });

/** The rules of `--phase verify`: did the change work? */
export const VERIFY_CASES: Record<string, RuleCase> = {
  'PF-VERIFY-CANDIDATE-NOT-OPEN': {
    fires: verify([
      { ports: { ...CHANGED, '8080': 'closed', '8443': ['filtered', 'no-response', '198.18.2.2'] } },
    ]),
    says: [
      /After the change, TCP 8080 on mp01\.corp\.example \(198\.18\.2\.2\) is closed \(conn-refused\)/,
      /TCP 8443 .* is filtered \(no-response\), stopped by 198\.18\.2\.2/,
      /bind the ConfigMgr website to port 8080/,
    ],
    subjects: ['mp01.corp.example:tcp/8080', 'mp01.corp.example:tcp/8443'],
    quiet: [
      verify([{ ports: CHANGED }]),
      // Before the change a closed candidate is good news (PF-CANDIDATE-NOT-LISTENING).
      cannedFacts({ endpoints: [{ ports: { ...ALL_OPEN, '8080': 'closed' } }] }),
      // A probe cut short says nothing about the port (PF-SCAN-INTERRUPTED).
      verify([{ ports: { ...CHANGED, '8080': ['error', 'aborted'] } }], { complete: false }),
    ],
  },
  'PF-VERIFY-MP-NOT-ANSWERING': {
    fires: verify([
      {
        ports: {
          ...CHANGED,
          '8080': answering(8080, { status: 500, server: 'Microsoft-IIS/10.0' }),
          '8443': answering(8443, {
            status: null,
            server: null,
            error: 'timeout: no HTTP answer within 1000 ms',
          }),
        },
      },
    ]),
    says: [
      /got HTTP 500 instead of HTTP 200/,
      /got timeout: no HTTP answer within 1000 ms/,
      /MPControl\.log/,
    ],
    subjects: ['mp01.corp.example:tcp/8080', 'mp01.corp.example:tcp/8443'],
    quiet: [
      verify([{ ports: CHANGED }]),
      // A distribution point serves no MP list.
      verify([
        {
          systemRoles: ['distribution-point'],
          ports: { ...CHANGED, '8080': answering(8080, { status: 404, server: 'Microsoft-IIS/10.0' }) },
        },
      ]),
      cannedFacts({
        endpoints: [{ ports: { ...ALL_OPEN, '8080': answering(8080, { status: 500, server: null }) } }],
      }),
    ],
  },
  'PF-VERIFY-MP-UNCHECKED': {
    fires: verify([{ ports: { ...CHANGED, '8443': 'open' } }]),
    says: [/TCP 8443 .* is open, but the management point list request was not sent/, /without --no-app/],
    subjects: ['mp01.corp.example:tcp/8443'],
    quiet: [verify([{ ports: CHANGED }]), cannedFacts({ endpoints: [{ ports: ALL_OPEN }] })],
  },
  'PF-VERIFY-MP-ANSWERS': {
    fires: verify([{ ports: CHANGED }]),
    says: [
      /management point on mp01\.corp\.example \(198\.18\.2\.2\) answers the MP list request on TCP 8080 \(HTTP 200\)/,
    ],
    subjects: ['mp01.corp.example:tcp/8080', 'mp01.corp.example:tcp/8443'],
    quiet: [
      verify([{ ports: { ...CHANGED, '8080': 'open', '8443': 'filtered' } }]),
      cannedFacts({ endpoints: [{ ports: CHANGED }] }),
    ],
  },
  'PF-VERIFY-OLD-PORT-CLOSED': {
    fires: verify([{ ports: CHANGED }]),
    says: [/old client request port TCP 80 on .* is closed \(conn-refused\): expected/],
    subjects: ['mp01.corp.example:tcp/80', 'mp01.corp.example:tcp/443'],
    quiet: [
      verify([{ ports: { ...CHANGED, '80': 'open', '443': 'open' } }]),
      cannedFacts({ endpoints: [{ ports: { ...ALL_OPEN, '80': 'closed' } }] }),
    ],
  },
};

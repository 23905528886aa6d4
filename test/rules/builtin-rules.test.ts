import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES, evaluateRules, type Rule } from '../../src/rules/index.js';
import { cannedFacts } from '../support/facts.js';
import type { Facts } from '../../src/facts/index.js';

const ALL_OPEN = { '80': 'open', '443': 'open', '8080': 'open', '8443': 'open', '10123': 'open' } as const;

/** For every built-in rule: facts that make it fire (with what the message must say) and facts that keep it quiet. */
const CASES: Record<string, { fires: Facts; says: RegExp[]; quiet: Facts[] }> = {
  'PF-CANDIDATE-BLOCKED': {
    fires: cannedFacts({ endpoints: [{ ports: { ...ALL_OPEN, '8080': 'filtered' } }] }),
    says: [
      /Candidate HTTP port 8080 on mp01\.corp\.example \(198\.18\.2\.2\) is filtered \(no-response\)/,
      /current port 80 is open/,
    ],
    quiet: [
      cannedFacts({ endpoints: [{ ports: ALL_OPEN }] }),
      cannedFacts({ endpoints: [{ ports: { ...ALL_OPEN, '8080': 'closed' } }] }),
      cannedFacts({ endpoints: [{ ports: { ...ALL_OPEN, '80': 'filtered', '8080': 'filtered' } }] }),
    ],
  },
  'PF-PATH-NOT-LOCALISED': {
    fires: cannedFacts({
      skipped: [{ probe: 'path', reason: 'raw sockets unavailable (no-privilege)' }],
      endpoints: [{ ports: { ...ALL_OPEN, '8080': 'filtered' } }],
    }),
    says: [/1 filtered probe\(s\) were not traced/, /no-privilege/],
    quiet: [
      cannedFacts({ endpoints: [{ ports: { ...ALL_OPEN, '8080': 'filtered' } }] }),
      cannedFacts({
        skipped: [{ probe: 'path', reason: 'no-privilege' }],
        endpoints: [{ ports: ALL_OPEN }],
      }),
    ],
  },
  'PF-CANDIDATE-UNVERIFIED': {
    fires: cannedFacts({ endpoints: [{ ports: { ...ALL_OPEN, '80': 'filtered', '8080': 'filtered' } }] }),
    says: [/current port 80 is filtered/, /vantage point/],
    quiet: [
      cannedFacts({ endpoints: [{ ports: { ...ALL_OPEN, '8080': 'filtered' } }] }),
      cannedFacts({ endpoints: [{ ports: { '80': 'filtered', '8080': 'filtered' } }] }),
    ],
  },
  'PF-CANDIDATE-NOT-LISTENING': {
    fires: cannedFacts({ endpoints: [{ ports: { ...ALL_OPEN, '8443': 'closed' } }] }),
    says: [/Candidate HTTPS port 8443 reaches/, /nothing listens/],
    quiet: [cannedFacts({ endpoints: [{ ports: ALL_OPEN }] })],
  },
  'PF-HOST-UNREACHABLE': {
    fires: cannedFacts({
      endpoints: [{ ports: { '80': 'filtered', '8080': ['filtered', 'host-unreach'] } }],
    }),
    says: [/answered on none of its 2 probed ports \(no-response, host-unreach\)/],
    quiet: [
      cannedFacts({ endpoints: [{ ports: { '80': 'closed', '8080': 'filtered' } }] }),
      cannedFacts({ endpoints: [{ address: null, ports: { '80': 'error' } }] }),
    ],
  },
  'PF-NAME-UNRESOLVED': {
    fires: cannedFacts({ endpoints: [{ address: null, ports: { '80': 'error', '8080': 'error' } }] }),
    says: [/mp01\.corp\.example does not resolve/],
    quiet: [cannedFacts({ endpoints: [{ ports: ALL_OPEN }] })],
  },
  'PF-PROBE-ERROR': {
    fires: cannedFacts({ endpoints: [{ ports: { ...ALL_OPEN, '8443': 'error' } }] }),
    says: [/TCP 8443 on .* could not be probed/],
    quiet: [cannedFacts({ endpoints: [{ ports: ALL_OPEN }] })],
  },
  'PF-SCAN-INTERRUPTED': {
    fires: cannedFacts({
      complete: false,
      endpoints: [{ ports: { ...ALL_OPEN, '8443': ['error', 'aborted'] } }],
    }),
    says: [/interrupted: 1 probe\(s\) did not run/],
    quiet: [cannedFacts({ endpoints: [{ ports: ALL_OPEN }] })],
  },
  'PF-NOTHING-PROBED': {
    fires: cannedFacts({ endpoints: [] }),
    says: [/No port was probed/],
    quiet: [cannedFacts({ endpoints: [{ ports: ALL_OPEN }] })],
  },
  'PF-PORTS-UNCHANGED': {
    fires: cannedFacts({
      change: {
        http: { current: 80, candidate: 80 },
        https: null,
        customWebsite: null,
        clientNotificationPort: null,
      },
      endpoints: [{ ports: { '80': 'open' } }],
    }),
    says: [/HTTP client request port stays 80/],
    quiet: [cannedFacts({ endpoints: [{ ports: ALL_OPEN }] })],
  },
  'PF-PORT-FILTERED': {
    fires: cannedFacts({ endpoints: [{ ports: { ...ALL_OPEN, '3389': 'filtered' } }] }),
    says: [/TCP 3389 on .* is filtered/],
    quiet: [
      cannedFacts({ endpoints: [{ ports: { ...ALL_OPEN, '3389': 'closed', 'udp:9': 'open|filtered' } }] }),
    ],
  },
  'CM-CLIENT-NOTIFICATION-BLOCKED': {
    fires: cannedFacts({ endpoints: [{ ports: { ...ALL_OPEN, '10123': 'filtered' } }] }),
    says: [/TCP 10123 .* is filtered/, /fall back to the HTTP\/HTTPS request port/],
    quiet: [cannedFacts({ endpoints: [{ ports: ALL_OPEN }] })],
  },
  'CM-CLIENTS-MUST-REINSTALL': {
    fires: cannedFacts({
      clients: { workgroup: 25, otherForest: 40, onInternet: 7 },
      endpoints: [{ ports: ALL_OPEN }],
    }),
    says: [
      /72 client\(s\) cannot learn/,
      /CCMSetup\.exe \/mp:mp01\.corp\.example SMSSITECODE=P01 CCMHTTPPORT=8080 CCMHTTPSPORT=8443/,
    ],
    quiet: [
      cannedFacts({ clients: { domain: 5000 }, endpoints: [{ ports: ALL_OPEN }] }),
      cannedFacts({ clients: null, endpoints: [{ ports: ALL_OPEN }] }),
      cannedFacts({
        change: {
          http: { current: 80, candidate: 80 },
          https: { current: 443, candidate: 443 },
          customWebsite: false,
          clientNotificationPort: 10123,
        },
        clients: { workgroup: 25 },
        endpoints: [{ ports: { '80': 'open', '443': 'open' } }],
      }),
    ],
  },
  'CM-LINUX-UNIX-CLIENTS': {
    fires: cannedFacts({ clients: { linuxUnix: 4 }, endpoints: [{ ports: ALL_OPEN }] }),
    says: [/4 Linux\/UNIX client/],
    quiet: [cannedFacts({ clients: { domain: 10 }, endpoints: [{ ports: ALL_OPEN }] })],
  },
};

describe('built-in rules', () => {
  it('every rule has a firing and a quiet case, and ids are unique', () => {
    const ids = BUILTIN_RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Object.keys(CASES).sort()).toEqual([...ids].sort());
  });

  describe.each(BUILTIN_RULES.map((rule) => [rule.id, rule] as [string, Rule]))('%s', (id, rule) => {
    const cases = CASES[id];
    if (!cases) throw new Error(`no test cases for ${id}`);

    it('fires, saying what and where', () => {
      const findings = evaluateRules(cases.fires, [rule]);
      expect(findings.length).toBeGreaterThan(0);
      for (const pattern of cases.says)
        expect(findings.map((f) => f.message + (f.remediation ?? '')).join('\n')).toMatch(pattern);
      for (const finding of findings) {
        expect(finding).toMatchObject({ rule: id, severity: rule.severity });
        expect(finding.subject).not.toBe('');
        expect(finding.evidence.length).toBeGreaterThan(0);
      }
    });

    it('stays quiet when its condition does not hold', () => {
      for (const facts of cases.quiet) expect(evaluateRules(facts, [rule])).toEqual([]);
    });
  });
});

describe('messages name the blocking device when path probing found it', () => {
  it('says which hop stops a candidate port, and where to open it', () => {
    const facts = cannedFacts({
      endpoints: [{ ports: { ...ALL_OPEN, '8080': ['filtered', 'no-response', '198.18.2.2'] } }],
    });
    const [finding] = evaluateRules(
      facts,
      BUILTIN_RULES.filter((rule) => rule.id === 'PF-CANDIDATE-BLOCKED'),
    );
    expect(finding?.message).toMatch(/stopped by 198\.18\.2\.2 \(hop 2\)/);
    expect(finding?.remediation).toMatch(/on the device at 198\.18\.2\.2/);
  });

  it("names the destination host's own firewall", () => {
    const facts = cannedFacts({
      endpoints: [{ ports: { ...ALL_OPEN, '8443': ['filtered', 'no-response', 'destination'] } }],
    });
    const [finding] = evaluateRules(
      facts,
      BUILTIN_RULES.filter((rule) => rule.id === 'PF-CANDIDATE-BLOCKED'),
    );
    expect(finding?.message).toMatch(/dropped by the destination host's own firewall/);
    expect(finding?.remediation).toMatch(/Windows Firewall/);
  });
});

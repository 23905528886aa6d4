import { describe, expect, it } from 'vitest';
import { cannedFacts } from '../../support/facts.js';
import { ALL_OPEN, fullBundle, withChange } from './cases.js';
import { run } from './support.js';

const rulesOf = (findings: readonly { rule: string; severity: string }[]) =>
  findings.map((f) => `${f.rule} ${f.severity}`);

describe('messages name the blocking device when path probing found it', () => {
  it('says which hop stops a candidate port, and where to open it', () => {
    const facts = cannedFacts({
      endpoints: [{ ports: { ...ALL_OPEN, '8080': ['filtered', 'no-response', '198.18.2.2'] } }],
    });
    const [finding] = run('PF-CANDIDATE-BLOCKED', facts);
    expect(finding?.message).toMatch(/stopped by 198\.18\.2\.2 \(hop 2\)/);
    expect(finding?.remediation).toMatch(/on the device at 198\.18\.2\.2/);
    expect(finding?.evidence).toEqual([
      'probe:mp01.corp.example@198.18.2.2/tcp/8080',
      'probe:mp01.corp.example@198.18.2.2/tcp/80',
    ]);
  });

  it("names the destination host's own firewall", () => {
    const facts = cannedFacts({
      endpoints: [{ ports: { ...ALL_OPEN, '8443': ['filtered', 'no-response', 'destination'] } }],
    });
    const [finding] = run('PF-CANDIDATE-BLOCKED', facts);
    expect(finding?.message).toMatch(/dropped by the destination host's own firewall/);
    expect(finding?.remediation).toMatch(/Windows Firewall/);
  });

  it('judges alternate ports like candidates', () => {
    const facts = withChange(
      { http: { current: 80, candidate: 8080, alternate: 8081 } },
      { endpoints: [{ ports: { ...ALL_OPEN, '8081': 'filtered' } }] },
    );
    expect(run('PF-CANDIDATE-BLOCKED', facts).map((f) => f.message)).toEqual([
      expect.stringMatching(/^Alternate HTTP port 8081 on .* is filtered/),
    ]);
  });
});

describe('the whole rule set', () => {
  it('says nothing but the closed candidate in an ad-hoc check (no plan, no clients, no bundle)', () => {
    const facts = cannedFacts({
      change: {
        http: { current: 80, candidate: 8080 },
        https: null,
        customWebsite: null,
        clientNotificationPort: null,
        wakeUp: null,
      },
      clients: null,
      primarySites: [],
      endpoints: [{ sites: [], systemRoles: [], ports: { '80': 'open', '8080': 'closed' } }],
    });
    expect(rulesOf(run(null, facts))).toEqual(['PF-CANDIDATE-NOT-LISTENING info']);
  });

  it('flags the 443 dependencies of the Default Web Site in ad-hoc mode too (the custom website is unknown there)', () => {
    const facts = cannedFacts({
      change: {
        http: null,
        https: { current: 443, candidate: 8443 },
        customWebsite: null,
        clientNotificationPort: null,
        wakeUp: null,
      },
      clients: null,
      primarySites: [],
      endpoints: [{ sites: [], systemRoles: [], ports: { '443': 'open', '8443': 'open' } }],
    });
    expect(rulesOf(run(null, facts))).toEqual(['CM-ENHANCED-HTTP-443 condition']);
  });

  it('reports a full plan worst first, each finding once', () => {
    const facts = cannedFacts({
      change: {
        http: { current: 80, candidate: 8080, alternate: 8081 },
        https: { current: 443, candidate: 8443 },
        customWebsite: false,
        clientNotificationPort: 10123,
        wakeUp: { sitePort: 9, clientSettingPort: 9, proxyPort: 25536 },
      },
      clients: { domain: 5200, workgroup: 30, onInternet: 210 },
      primarySites: [
        { siteCode: 'P01', publishedToActiveDirectory: true, secondarySiteCodes: ['S01'] },
        { siteCode: 'P02', publishedToActiveDirectory: true, secondarySiteCodes: [] },
      ],
      endpoints: [{ ports: { ...ALL_OPEN, '8081': 'open', '8443': 'filtered' } }],
      bundles: { 'mp01.corp.example': fullBundle() },
    });
    expect(rulesOf(run(null, facts))).toEqual([
      'PF-CANDIDATE-BLOCKED no-go',
      'CM-CLIENTS-MUST-REINSTALL condition',
      'CM-ENHANCED-HTTP-443 condition',
      'CM-INTERNET-HTTPS-PORT condition',
      'CM-REPEAT-ON-PRIMARY-SITES condition',
      'CM-ALTERNATE-PORT info',
      'CM-CLIENT-FIREWALL-OUTBOUND info',
      'CM-SECONDARY-SITES-INHERIT info',
      'CM-WAKE-UP-PROXY info',
    ]);
  });
});

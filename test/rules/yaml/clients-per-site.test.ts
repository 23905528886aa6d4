import { describe, expect, it } from 'vitest';
import type { ClientPopulation } from '../../../src/plan/schema.js';
import { NO_CLIENTS, cannedFacts } from '../../support/facts.js';
import { ALL_OPEN } from './cases.js';
import { run } from './support.js';

/** Two primary sites, each with its own management point; P02 is not published to AD. */
function twoSites(
  counts: { P01?: Partial<ClientPopulation>; P02?: Partial<ClientPopulation> },
  top?: Partial<ClientPopulation>,
) {
  return cannedFacts({
    ...(top ? { clients: top } : {}),
    primarySites: [
      {
        siteCode: 'P01',
        publishedToActiveDirectory: true,
        secondarySiteCodes: [],
        ...(counts.P01 ? { clients: { ...NO_CLIENTS, ...counts.P01 } } : {}),
      },
      {
        siteCode: 'P02',
        publishedToActiveDirectory: false,
        secondarySiteCodes: ['S02'],
        ...(counts.P02 ? { clients: { ...NO_CLIENTS, ...counts.P02 } } : {}),
      },
    ],
    endpoints: [
      { ports: ALL_OPEN },
      {
        host: 'mp02.corp.example',
        address: '198.18.3.2',
        // The secondary site's MP: P02 has none of its own in the plan.
        sites: [{ siteCode: 'S02', kind: 'secondary', primarySiteCode: 'P02' }],
        ports: ALL_OPEN,
      },
    ],
  });
}

describe('client counts per primary site', () => {
  it('gives each counted site its own finding, site code and management point', () => {
    const findings = run(
      'CM-CLIENTS-MUST-REINSTALL',
      twoSites({ P01: { workgroup: 10, domain: 900 }, P02: { domain: 300, otherForest: 5 } }),
    );
    expect(findings.map((finding) => finding.subject)).toEqual(['clients:P01', 'clients:P02']);
    const [p01, p02] = findings;
    expect(p01?.message).toMatch(
      /^10 client\(s\) of primary site P01 cannot learn the new ports .*\(10 workgroup\)/,
    );
    expect(p01?.remediation).toContain('CCMSetup.exe /mp:mp01.corp.example SMSSITECODE=P01 CCMHTTPPORT=8080');
    expect(p01?.remediation).not.toMatch(/P02|mp02/);
    expect(p01?.remediation).not.toContain('client push');
    // P02 is unpublished: its domain clients are stranded too, and push reaches them.
    expect(p02?.message).toMatch(
      /305 client\(s\) of primary site P02 .*5 in another forest, 300 domain clients of sites not published to AD \(P02\)/,
    );
    expect(p02?.remediation).toMatch(/300 of unpublished sites, 5 in another forest.*client push/);
    expect(p02?.remediation).toContain('CCMSetup.exe /mp:mp02.corp.example SMSSITECODE=P02 CCMHTTPPORT=8080');
    expect(p02?.evidence).toEqual(['plan:hierarchy.primarySites.P02.clients']);
  });

  it('stays quiet for a site whose clients all read AD', () => {
    expect(
      run('CM-CLIENTS-MUST-REINSTALL', twoSites({ P01: { domain: 900 }, P02: { linuxUnix: 2 } })),
    ).toEqual([]);
    const linux = run('CM-LINUX-UNIX-CLIENTS', twoSites({ P01: { domain: 900 }, P02: { linuxUnix: 2 } }));
    expect(linux.map((finding) => finding.subject)).toEqual(['clients.linuxUnix:P02']);
    expect(linux[0]?.remediation).toContain('./install -mp mp02.corp.example -sitecode P02 -httpport 8080');
  });

  it('with hierarchy-wide counts, gives every site its line and says the counts are not per site', () => {
    const [finding, ...others] = run('CM-CLIENTS-MUST-REINSTALL', twoSites({}, { workgroup: 25 }));
    expect(others).toEqual([]);
    expect(finding?.subject).toBe('clients');
    expect(finding?.message).toMatch(/25 client\(s\) of the hierarchy .* not per primary site/);
    expect(finding?.remediation).toContain(
      'for P01: CCMSetup.exe /mp:mp01.corp.example SMSSITECODE=P01 CCMHTTPPORT=8080 CCMHTTPSPORT=8443; ' +
        'for P02: CCMSetup.exe /mp:mp02.corp.example SMSSITECODE=P02 CCMHTTPPORT=8080 CCMHTTPSPORT=8443',
    );
  });

  it('sums per-site counts for the rules that judge the whole population', () => {
    const findings = run(
      'CM-INTERNET-HTTPS-PORT',
      twoSites({ P01: { onInternet: 100 }, P02: { internetOnly: 20 } }),
    );
    expect(findings.map((finding) => finding.message)).toEqual([
      expect.stringMatching(/the plan counts 120 client\(s\) on the internet/),
    ]);
  });
});

describe('site systems as the plan lists them (an offline scan probes none)', () => {
  it("names each site's own management point and the distribution points that call it", () => {
    const facts = cannedFacts({
      clients: null,
      primarySites: [
        {
          siteCode: 'P01',
          publishedToActiveDirectory: true,
          secondarySiteCodes: [],
          systems: [
            { host: 'dp01.corp.example', roles: ['distribution-point'] },
            { host: 'mp07.corp.example', roles: ['management-point'] },
          ],
          clients: { ...NO_CLIENTS, linuxUnix: 1 },
        },
      ],
      endpoints: [],
    });
    expect(run('CM-LINUX-UNIX-CLIENTS', facts)[0]?.remediation).toContain(
      './install -mp mp07.corp.example -sitecode P01',
    );
    const [caller, ...others] = run('CM-SITE-SYSTEMS-CALL-MP', facts);
    expect(others).toEqual([]);
    expect(caller?.subject).toBe('dp01.corp.example:management-point');
    expect(caller?.remediation).toContain('portflight check mp07.corp.example --current-http 80 --http 8080');
  });
});

describe('internet clients reinstalled', () => {
  const facts = (internetFacing: boolean) =>
    cannedFacts({
      clients: { internetOnly: 40 },
      endpoints: [{ ports: ALL_OPEN }],
      systems: [{ host: 'imp01.contoso.com', internetFacing }],
    });

  it("point at the site's internet-facing management point when the plan marks one", () => {
    const [finding] = run('CM-CLIENTS-MUST-REINSTALL', facts(true));
    expect(finding?.remediation).toMatch(
      /CCMSetup\.exe \/UsePKICert \/mp:https:\/\/imp01\.contoso\.com CCMALWAYSINF=1 CCMHOSTNAME=imp01\.contoso\.com SMSSITECODE=P01 CCMHTTPSPORT=8443/,
    );
  });

  it('leave a placeholder for the CMG or internet-facing MP otherwise, never the intranet MP', () => {
    const [finding] = run('CM-CLIENTS-MUST-REINSTALL', facts(false));
    expect(finding?.remediation).toMatch(/CCMHOSTNAME=<CMG or internet-facing MP FQDN>/);
    expect(finding?.remediation).not.toMatch(/CCMHOSTNAME=mp01/);
  });
});

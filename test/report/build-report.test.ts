import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildAdhocSpec } from '../../src/plan/index.js';
import type { ProbeRecord } from '../../src/probes/index.js';
import { buildReport, REPORT_RENDERERS, sealReport } from '../../src/report/index.js';
import type { Finding } from '../../src/rules/index.js';
import { reportInput } from '../support/report-input.js';

const spec = buildAdhocSpec({ hosts: ['mp01.corp.example'], http: 8080 });
const probe = (
  port: number,
  address: string,
  state: ProbeRecord['state'],
  reason: ProbeRecord['reason'],
): ProbeRecord => ({
  target: 'mp01.corp.example',
  address,
  protocol: 'tcp',
  port,
  roles: port === 80 ? ['current-http'] : ['candidate-http'],
  state,
  reason,
  rttMs: state === 'open' ? 1.5 : null,
});
const finding: Finding = {
  rule: 'PF-CANDIDATE-BLOCKED',
  severity: 'no-go',
  message: 'Candidate HTTP port 8080 is filtered: clients would not get through.',
  subject: 'mp01.corp.example:tcp/8080',
  evidence: ['probe:mp01.corp.example@198.18.2.2/tcp/8080'],
};

function report(records: ProbeRecord[]) {
  return buildReport({
    spec,
    vantage: {
      hostname: 'ws01',
      addresses: ['198.18.1.2'],
      privileges: { rawSocket: false, detail: 'not root' },
    },
    startedAt: new Date('2026-11-25T10:00:00.000Z'),
    finishedAt: new Date('2026-11-25T10:00:01.250Z'),
    complete: true,
    offline: false,
    interruption: null,
    skipped: [],
    icmpEcho: new Map(),
    records,
    findings: [finding],
    verdict: 'no-go',
    remediation: {
      sites: [],
      portswitch: null,
      repeatOnPrimarySites: [],
      firewallRules: [],
    },
    toolVersion: '9.9.9',
  });
}

describe('buildReport', () => {
  const records = [
    probe(8080, '198.18.2.10', 'filtered', 'no-response'),
    probe(80, '198.18.2.9', 'open', 'syn-ack'),
    probe(8080, '198.18.2.9', 'filtered', 'no-response'),
  ];

  it('has the contract fields in a stable order', () => {
    const built = report(records);
    expect(Object.keys(built)).toEqual([
      'portflight',
      'tool',
      'verdict',
      'verdictWithoutWaivers',
      'counts',
      'startedAt',
      'finishedAt',
      'durationMs',
      'vantage',
      'plan',
      'scan',
      'change',
      'targets',
      'probes',
      'findings',
      'remediation',
      'waivers',
    ]);
    expect(Object.keys(built.probes[0] ?? {})).toEqual([
      'target',
      'address',
      'protocol',
      'port',
      'role',
      'roles',
      'state',
      'reason',
      'rttMs',
    ]);
    expect(Object.keys(built.findings[0] ?? {})).toEqual([
      'rule',
      'severity',
      'message',
      'subject',
      'evidence',
    ]);
    expect(built).toMatchObject({
      portflight: 1,
      verdict: 'no-go',
      durationMs: 1250,
      plan: { source: 'command-line', path: null, sha256: spec.source.sha256 },
      vantage: { privileges: { rawSocket: false } },
      scan: {
        complete: true,
        offline: false,
        interruption: null,
        probes: 3,
        states: { open: 1, filtered: 2 },
      },
      counts: { 'no-go': 1, incomplete: 0, condition: 0, info: 0 },
    });
  });

  it('sorts probes by target, address (numerically) and port, whatever order they finished in', () => {
    const built = report(records);
    expect(built.probes.map((p) => `${p.address}/${p.port}`)).toEqual([
      '198.18.2.9/80',
      '198.18.2.9/8080',
      '198.18.2.10/8080',
    ]);
    expect(report([...records].reverse())).toEqual(built);
  });

  it.each([
    ['yaml', REPORT_RENDERERS.yaml],
    ['json', REPORT_RENDERERS.json],
  ])('renders %s that parses back to the same (sealed) report', (format, render) => {
    const built = report(records);
    const text = render(built);
    expect(format === 'json' ? JSON.parse(text) : parse(text)).toEqual(
      JSON.parse(JSON.stringify(sealReport(built))),
    );
    expect(text.endsWith('\n')).toBe(true);
  });

  it('writes YAML messages on one line, so they grep', () => {
    const long = { ...finding, message: `${'word '.repeat(60)}end` };
    const text = REPORT_RENDERERS.yaml(buildReport({ ...baseInput(), findings: [long] }));
    expect(text).toMatch(/message: (word ){60}end\n/);
  });
});

const baseInput = () => reportInput(spec);

describe('remediationOf', () => {
  it('gives each primary site its own site code and management point, and Linux lines where Linux clients are counted', async () => {
    const { remediationOf } = await import('../../src/rules/remediation.js');
    const { factTreeOf } = await import('../../src/rules/fact-tree.js');
    const { cannedFacts } = await import('../support/facts.js');
    const population = { domain: 0, workgroup: 0, otherForest: 0, internetOnly: 0, onInternet: 0 };
    const facts = cannedFacts({
      primarySites: [
        { siteCode: 'P01', publishedToActiveDirectory: true, secondarySiteCodes: [] },
        {
          siteCode: 'P02',
          publishedToActiveDirectory: true,
          secondarySiteCodes: ['S02'],
          clients: { ...population, linuxUnix: 3 },
        },
      ],
      endpoints: [
        { ports: { '8080': 'open' } },
        {
          host: 'mp02.corp.example',
          address: '198.18.3.2',
          sites: [{ siteCode: 'P02', kind: 'primary', primarySiteCode: 'P02' }],
          ports: { '8080': 'open' },
        },
      ],
    });
    const { sites } = remediationOf(factTreeOf(facts));
    expect(sites.map((site) => [site.siteCode, site.ccmsetup, site.linuxInstall])).toEqual([
      ['P01', 'CCMSetup.exe /mp:mp01.corp.example SMSSITECODE=P01 CCMHTTPPORT=8080 CCMHTTPSPORT=8443', null],
      [
        'P02',
        'CCMSetup.exe /mp:mp02.corp.example SMSSITECODE=P02 CCMHTTPPORT=8080 CCMHTTPSPORT=8443',
        './install -mp mp02.corp.example -sitecode P02 -httpport 8080 -httpsport 8443 -keepdb <package>.tar',
      ],
    ]);
  });

  it('gathers the CCMSetup and Portswitch lines, the primary sites and the ports to open', async () => {
    const { remediationOf } = await import('../../src/rules/remediation.js');
    const { factTreeOf } = await import('../../src/rules/fact-tree.js');
    const { cannedFacts } = await import('../support/facts.js');
    const facts = cannedFacts({
      clients: { workgroup: 3 },
      endpoints: [
        {
          ports: {
            '80': 'open',
            '443': 'open',
            '8080': ['filtered', 'no-response', '198.18.2.2'],
            '8443': 'open',
          },
        },
      ],
    });
    const remediation = remediationOf(factTreeOf(facts));
    expect(remediation.sites).toEqual([
      {
        siteCode: 'P01',
        managementPoint: 'mp01.corp.example',
        ccmsetup: 'CCMSetup.exe /mp:mp01.corp.example SMSSITECODE=P01 CCMHTTPPORT=8080 CCMHTTPSPORT=8443',
        internetOnlyCcmsetup:
          'CCMSetup.exe /UsePKICert /mp:https://<CMG or internet-facing MP FQDN> CCMALWAYSINF=1 CCMHOSTNAME=<CMG or internet-facing MP FQDN> SMSSITECODE=P01 CCMHTTPSPORT=8443',
        onInternetCcmsetup:
          'CCMSetup.exe /UsePKICert /mp:https://<CMG or internet-facing MP FQDN> CCMHOSTNAME=<CMG or internet-facing MP FQDN> SMSSITECODE=P01 CCMHTTPSPORT=8443',
        linuxInstall: null,
      },
    ]);
    expect(remediation.portswitch).toBe('wscript.exe portswitch.vbs 8080 8443');
    expect(remediation.repeatOnPrimarySites).toEqual(['P01']);
    expect(remediation.firewallRules).toEqual([
      expect.objectContaining({
        protocol: 'tcp',
        port: 8080,
        destination: '198.18.2.2',
        blockedBy: '198.18.2.2',
      }),
    ]);
  });
});

import { buildAdhocSpec } from '../../src/plan/index.js';
import type { ProbeRecord } from '../../src/probes/index.js';
import { buildReport, type Report } from '../../src/report/index.js';
import type { Finding } from '../../src/rules/index.js';
import type { WaiverOutcome } from '../../src/verdict/apply-waivers.js';
import { reportInput } from './report-input.js';

const AT = new Date('2026-11-25T10:00:00.000Z');
const LATER = new Date('2026-11-25T10:00:04.500Z');

type Roles = ProbeRecord['roles'];
const ROLES: Readonly<Record<number, Roles>> = {
  80: ['current-http'],
  443: ['current-https'],
  8080: ['candidate-http'],
  8443: ['candidate-https'],
  10123: ['client-notification'],
};

function probe(
  target: string,
  address: string | null,
  port: number,
  state: ProbeRecord['state'],
  reason: ProbeRecord['reason'],
  more: Partial<ProbeRecord> = {},
): ProbeRecord {
  return {
    target,
    address,
    protocol: 'tcp',
    port,
    roles: ROLES[port] ?? ['extra'],
    state,
    reason,
    rttMs: state === 'open' || state === 'closed' ? 0.8 : null,
    ...more,
  };
}

/**
 * A report with something in every section: a port blocked at a named router on a probed path and
 * one the destination drops, an unresolved host, evidence lines, every severity, a waived finding,
 * waivers of each status, remediation per site and firewall rules per device. Text with Markdown,
 * HTML and XML metacharacters (`|`, `<`, `&`, backticks) rides in messages and subjects.
 */
export function richReport(): Report {
  const spec = buildAdhocSpec({
    hosts: ['mp01.corp.example', 'dp02.corp.example', 'gone.corp.example'],
    http: 8080,
    https: 8443,
  });
  const path = [
    { ttl: 1, address: '198.18.1.1', rttMs: 0.3 },
    { ttl: 2, address: '198.18.2.1', rttMs: 0.6 },
  ];
  const records: ProbeRecord[] = [
    probe('mp01.corp.example', '198.18.3.2', 80, 'open', 'syn-ack'),
    probe('mp01.corp.example', '198.18.3.2', 443, 'open', 'syn-ack'),
    probe('mp01.corp.example', '198.18.3.2', 8080, 'filtered', 'no-response', {
      path,
      blockedBy: '198.18.2.1',
      localisation: 'probed',
    }),
    probe('mp01.corp.example', '198.18.3.2', 8443, 'filtered', 'no-response', {
      path: [...path, { ttl: 3, address: '198.18.3.1', rttMs: 0.9 }],
      blockedBy: 'destination',
      localisation: 'probed',
    }),
    probe('dp02.corp.example', '198.18.3.3', 80, 'open', 'syn-ack'),
    probe('dp02.corp.example', '198.18.3.3', 443, 'open', 'syn-ack'),
    probe('dp02.corp.example', '198.18.3.3', 8080, 'filtered', 'no-response', {
      path,
      blockedBy: '198.18.2.1',
      localisation: 'inferred',
      inferredFrom: '198.18.3.2',
    }),
    probe('dp02.corp.example', '198.18.3.3', 8443, 'closed', 'conn-refused'),
    probe('gone.corp.example', null, 80, 'error', 'dns-failure'),
  ];
  const finding = (
    severity: Finding['severity'],
    rule: string,
    subject: string,
    message: string,
    more: Partial<Finding> = {},
  ): Finding => ({
    rule,
    severity,
    message,
    subject,
    evidence: [],
    ...more,
  });
  const findings: Finding[] = [
    finding(
      'no-go',
      'PF-CANDIDATE-BLOCKED',
      'mp01.corp.example:tcp/8080',
      'Candidate HTTP port 8080 on mp01.corp.example (198.18.3.2) is filtered at 198.18.2.1 | <b>not</b> HTML & "quoted".',
      {
        remediation: 'Open TCP 8080 to 198.18.3.2 on 198.18.2.1:\n  permit tcp any host 198.18.3.2 eq 8080',
        evidence: ['probe:mp01.corp.example@198.18.3.2/tcp/8080'],
      },
    ),
    finding(
      'no-go',
      'PF-CANDIDATE-BLOCKED',
      'dp02.corp.example:tcp/8080',
      'Candidate HTTP port 8080 on dp02.corp.example (198.18.3.3) is filtered at 198.18.2.1.',
      {
        evidence: ['probe:dp02.corp.example@198.18.3.3/tcp/8080'],
      },
    ),
    finding(
      'no-go',
      'IIS-BINDING-CONFLICT',
      'mp01.corp.example:8443',
      'Site `Portal` is bound to *:8443: it takes ConfigMgr requests.',
      {
        remediation: 'Remove-WebBinding -Name "Portal" -Port 8443',
        evidence: ['evidence/mp01/applicationHost.config:42'],
      },
    ),
    finding(
      'incomplete',
      'PF-UNRESOLVED',
      'gone.corp.example',
      'gone.corp.example does not resolve: nothing was probed.',
      {
        evidence: ['probe:gone.corp.example@-/tcp/80'],
      },
    ),
    finding(
      'condition',
      'PF-CANDIDATE-FILTERED-AT-HOST',
      'mp01.corp.example:tcp/8443',
      'Candidate HTTPS port 8443 is dropped by the host firewall of mp01.corp.example.',
      {
        evidence: ['probe:mp01.corp.example@198.18.3.2/tcp/8443'],
      },
    ),
    finding(
      'condition',
      'IIS-DEFAULT-WEB-SITE-SHARED',
      'mp01.corp.example:Default Web Site',
      'The Default Web Site also carries /CertSrv.',
      {
        evidence: ['evidence/mp01/applicationHost.config:151'],
        waived: {
          reason: 'CertSrv moves in the same window',
          owner: 'IIS team (CHG0041234)',
          expires: '2027-03-31',
        },
      },
    ),
    finding(
      'info',
      'PF-CANDIDATE-NOT-LISTENING',
      'dp02.corp.example:tcp/8443',
      'Candidate HTTPS port 8443 reaches dp02.corp.example, which refuses it.',
      {
        evidence: ['probe:dp02.corp.example@198.18.3.3/tcp/8443'],
      },
    ),
  ];
  const waiver = (rule: string, status: WaiverOutcome['status'], matched: number): WaiverOutcome => ({
    waiver: { rule, reason: `reason for ${rule}`, owner: `owner of ${rule}`, expires: '2027-03-31' },
    status,
    matched,
    notWaivable: { incomplete: 0, info: 0 },
  });
  return buildReport(
    reportInput(spec, {
      startedAt: AT,
      finishedAt: LATER,
      vantage: {
        hostname: 'ws01',
        addresses: ['198.18.0.2'],
        privileges: { rawSocket: true, detail: 'CAP_NET_RAW effective' },
      },
      skipped: [{ probe: 'app', reason: '--no-app' }],
      records,
      findings,
      verdict: 'no-go',
      verdictWithoutWaivers: 'no-go',
      evidenceLines: new Map([
        [
          'evidence/mp01/applicationHost.config:42',
          '<binding protocol="https" bindingInformation="*:8443:" />',
        ],
        [
          'evidence/mp01/applicationHost.config:151',
          '<application path="/CertSrv" applicationPool="DefaultAppPool">',
        ],
      ]),
      waivers: [
        waiver('IIS-DEFAULT-WEB-SITE-SHARED', 'active', 1),
        waiver('PF-UDP-SILENCE', 'unused', 0),
        waiver('HTTPSYS-CERTIFICATE-DIFFERS', 'expired', 1),
      ],
      remediation: {
        sites: [
          {
            siteCode: 'P01',
            managementPoint: 'mp01.corp.example',
            ccmsetup: 'CCMSetup.exe /mp:mp01.corp.example SMSSITECODE=P01 CCMHTTPPORT=8080 CCMHTTPSPORT=8443',
            internetOnlyCcmsetup:
              'CCMSetup.exe /UsePKICert /mp:https://<CMG or internet-facing MP FQDN> CCMALWAYSINF=1 SMSSITECODE=P01 CCMHTTPSPORT=8443',
            onInternetCcmsetup:
              'CCMSetup.exe /UsePKICert /mp:https://<CMG or internet-facing MP FQDN> SMSSITECODE=P01 CCMHTTPSPORT=8443',
            linuxInstall: null,
          },
        ],
        portswitch: 'wscript.exe portswitch.vbs 8080 8443',
        repeatOnPrimarySites: ['P01', 'P02'],
        firewallRules: [
          {
            protocol: 'tcp',
            port: 8080,
            destination: '198.18.3.2',
            blockedBy: '198.18.2.1',
            why: 'candidate-http of mp01.corp.example: filtered (no-response)',
          },
          {
            protocol: 'tcp',
            port: 8080,
            destination: '198.18.3.3',
            blockedBy: '198.18.2.1',
            why: 'candidate-http of dp02.corp.example: filtered (no-response)',
          },
          {
            protocol: 'tcp',
            port: 8443,
            destination: '198.18.3.2',
            blockedBy: 'destination',
            why: 'candidate-https of mp01.corp.example: filtered (no-response)',
          },
        ],
      },
      toolVersion: '9.9.9',
      planName: 'Move P01 to 8080/8443',
    }),
  );
}

export const ESTATE_PORTS = [80, 443, 8080, 8443, 10123, 8530, 8531, 9443] as const;

/**
 * A large estate: `targets` site systems × 8 ports, all open but for `blocked` systems whose
 * candidate HTTP port a router drops (one probed, the rest inferred from it).
 */
export function estateReport(targets = 200, blocked = 4): Report {
  const hosts = Array.from(
    { length: targets },
    (_, index) => `mp${String(index + 1).padStart(3, '0')}.corp.example`,
  );
  const spec = buildAdhocSpec({ hosts, http: 8080, https: 8443 });
  const address = (index: number) => `198.18.${10 + Math.floor(index / 250)}.${(index % 250) + 1}`;
  const records = hosts.flatMap((host, index) =>
    ESTATE_PORTS.map((port) =>
      index >= targets - blocked && port === 8080
        ? probe(host, address(index), port, 'filtered', 'no-response', {
            path: [{ ttl: 1, address: '198.18.1.1', rttMs: 0.3 }],
            blockedBy: '198.18.1.1',
            localisation: index === targets - blocked ? 'probed' : 'inferred',
          })
        : probe(host, address(index), port, 'open', 'syn-ack'),
    ),
  );
  const findings: Finding[] = hosts.slice(targets - blocked).map((host, offset) => ({
    rule: 'PF-CANDIDATE-BLOCKED',
    severity: 'no-go',
    message: `Candidate HTTP port 8080 on ${host} is filtered at 198.18.1.1.`,
    subject: `${host}:tcp/8080`,
    remediation: `Open TCP 8080 to ${address(targets - blocked + offset)} on 198.18.1.1.`,
    evidence: [`probe:${host}@${address(targets - blocked + offset)}/tcp/8080`],
  }));
  return buildReport(
    reportInput(spec, {
      startedAt: AT,
      finishedAt: LATER,
      records,
      findings,
      verdict: findings.length > 0 ? 'no-go' : 'go',
    }),
  );
}

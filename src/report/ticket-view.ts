import type { RequestPort } from '../plan/schema.js';
import { pushTo } from '../shared/push-to.js';
import { SEVERITIES, type Severity } from '../rules/types.js';
import type { EmbeddedCopy } from './embedded-copy.js';
import type { SealedReport } from './integrity.js';
import { VERDICT_MARKS } from './marks.js';
import type { Report } from './model.js';
import { VERDICT_TONES, type Block, type Spans, type TicketDocument } from './ticket-document.js';
import { evidenceBlocks, findingBlocks, remediationBlocks, waiverBlocks } from './ticket-findings.js';
import { blockedPathBlocks, portMatrixBlocks } from './ticket-ports.js';

/** Subjects the verdict sentence names per rule before "…". */
const SUBJECTS_IN_SENTENCE = 2;
const RULES_IN_SENTENCE = 3;

/**
 * The report as a change-advisory board reads it, top to bottom: verdict and why, the change, when
 * and from where, the ports, where blocked ports stop, the evidence, the findings, what to do, the
 * waivers, and what the report is (tool, plan, times, seal). Markdown and HTML render this.
 */
export function ticketDocument(report: SealedReport, copy: EmbeddedCopy): TicketDocument {
  const mark = VERDICT_MARKS[report.verdict];
  return {
    title: `portflight: ${report.plan.name ?? report.plan.path ?? 'ad-hoc check'}`,
    verdict: report.verdict,
    verdictMark: { ...mark, tone: VERDICT_TONES[report.verdict] },
    sentence: verdictSentence(report),
    sections: [
      { id: 'change', title: 'The change', blocks: changeBlocks(report) },
      { id: 'run', title: 'When and from where', blocks: runBlocks(report) },
      { id: 'ports', title: 'Targets and ports', blocks: portMatrixBlocks(report.probes) },
      { id: 'blocked', title: 'Where blocked ports stop', blocks: blockedPathBlocks(report.probes) },
      { id: 'evidence', title: 'Evidence from the site systems', blocks: evidenceBlocks(report.findings) },
      { id: 'findings', title: 'Findings by severity', blocks: findingBlocks(report.findings) },
      { id: 'remediation', title: 'Remediation', blocks: remediationBlocks(report.remediation) },
      { id: 'waivers', title: 'Waivers', blocks: waiverBlocks(report.waivers) },
      { id: 'about', title: 'About this report', blocks: aboutBlocks(report, copy) },
    ],
  };
}

/**
 * What follows the verdict in its sentence, its main reasons: "2 no-go finding(s) —
 * PF-CANDIDATE-BLOCKED (mp01:tcp/8080, mp02:tcp/8080); 1 finding(s) waived (…)".
 */
export function verdictSentence(report: Report): Spans {
  const open = report.findings.filter((finding) => finding.waived === undefined);
  const deciding = SEVERITY_OF_VERDICT[report.verdict];
  const waived = report.findings.length - open.length;
  const waivedText =
    waived > 0
      ? `; ${waived} finding(s) waived (${VERDICT_MARKS[report.verdictWithoutWaivers].label} without waivers)`
      : '';
  const scanText = report.scan.offline
    ? ' The network was not tested (--offline).'
    : report.scan.interruption !== null
      ? ` The scan was stopped early (${report.scan.interruption}).`
      : '';
  if (deciding === null) {
    const infos = report.counts.info;
    return [
      `nothing stands in the way — ${report.scan.probes} probe(s) as the change needs them, no finding above info${infos > 0 ? ` (${infos} info)` : ''}${waivedText}.${scanText}`,
    ];
  }
  const reasons = open.filter((finding) => finding.severity === deciding);
  const byRule = new Map<string, string[]>();
  for (const finding of reasons) pushTo(byRule, finding.rule, finding.subject);
  const named = [...byRule].slice(0, RULES_IN_SENTENCE).map(([rule, subjects]) => {
    const shown = subjects.slice(0, SUBJECTS_IN_SENTENCE).join(', ');
    const more =
      subjects.length > SUBJECTS_IN_SENTENCE ? ` and ${subjects.length - SUBJECTS_IN_SENTENCE} more` : '';
    return `${rule} (${shown}${more})`;
  });
  const otherRules =
    byRule.size > RULES_IN_SENTENCE ? ` and ${byRule.size - RULES_IN_SENTENCE} more rule(s)` : '';
  return [
    `${reasons.length} ${deciding} finding(s) — ${named.join(', ')}${otherRules}${waivedText}.${scanText}`,
  ];
}

const SEVERITY_OF_VERDICT: Readonly<Record<Report['verdict'], Severity | null>> = {
  go: null,
  conditional: 'condition',
  incomplete: 'incomplete',
  'no-go': 'no-go',
};

function changeBlocks(report: Report): Block[] {
  const { change } = report;
  const sites = [...new Set(report.targets.flatMap((target) => target.sites))];
  const website =
    change.customWebsite === null
      ? 'not stated'
      : change.customWebsite
        ? 'custom website (SMSWEB)'
        : 'Default Web Site';
  const rows: Spans[][] = [
    [['Plan'], [report.plan.name ?? report.plan.path ?? 'ad-hoc check (command line)']],
    [['Sites'], [sites.length > 0 ? sites.join(', ') : 'not stated (ad-hoc check)']],
    [['Client request HTTP'], portChange(change.http)],
    [['Client request HTTPS'], portChange(change.https)],
    [['Website'], [website]],
  ];
  if (change.clientNotificationPort !== null)
    rows.push([['Client notification'], [`TCP ${change.clientNotificationPort}`]]);
  if (change.wakeUp !== null)
    rows.push([
      ['Wake-up'],
      [
        `site UDP ${change.wakeUp.sitePort}, client setting ${change.wakeUp.clientSettingPort ?? 'not stated'}, proxy ${change.wakeUp.proxyPort}`,
      ],
    ]);
  rows.push([
    ['Site systems'],
    [
      `${report.targets.length}: ${report.targets
        .slice(0, 6)
        .map((t) => t.host)
        .join(', ')}${report.targets.length > 6 ? ` and ${report.targets.length - 6} more` : ''}`,
    ],
  ]);
  return [{ kind: 'table', header: ['Item', 'Detail'], rows }];
}

function portChange(port: RequestPort | null): Spans {
  if (port === null) return ['unchanged'];
  const alternate = port.alternate === undefined ? '' : ` (alternate ${port.alternate})`;
  return [{ strong: `${port.current} → ${port.candidate}` }, alternate];
}

function runBlocks(report: Report): Block[] {
  const { vantage, scan } = report;
  const state = scan.offline
    ? 'offline: evidence only, nothing sent'
    : scan.complete
      ? 'complete'
      : `incomplete${scan.interruption === null ? '' : ` (stopped: ${scan.interruption})`}`;
  const counts = Object.entries(scan.states)
    .map(([name, count]) => `${count} ${name}`)
    .join(', ');
  const rows: Spans[][] = [
    [['Started'], [report.startedAt]],
    [['Finished'], [`${report.finishedAt} (${(report.durationMs / 1000).toFixed(1)} s)`]],
    [
      ['Vantage point'],
      [
        { strong: vantage.hostname },
        vantage.addresses.length > 0 ? ` (${vantage.addresses.join(', ')})` : '',
      ],
    ],
    [
      ['Raw-socket privileges'],
      [
        vantage.privileges.rawSocket ? 'yes' : { strong: 'no' },
        vantage.privileges.detail ? ` — ${vantage.privileges.detail}` : '',
      ],
    ],
    [['Scan'], [`${state}; ${scan.probes} probe(s)${counts ? `: ${counts}` : ''}`]],
  ];
  const skipped = vantage.privileges.skipped;
  return [
    { kind: 'table', header: ['Item', 'Detail'], rows },
    skipped.length === 0
      ? { kind: 'paragraph', spans: ['Nothing was skipped.'] }
      : {
          kind: 'list',
          items: skipped.map((entry) => [{ strong: `Skipped ${entry.probe}:` }, ` ${entry.reason}`]),
        },
  ];
}

function aboutBlocks(report: SealedReport, copy: EmbeddedCopy): Block[] {
  const { integrity } = report;
  const signature = integrity.signature;
  const rows: Spans[][] = [
    [['Tool'], [`${report.tool.name} ${report.tool.version} (report format ${report.portflight})`]],
    [['Plan'], [report.plan.path ?? 'command line']],
    [['Plan sha256'], [{ code: report.plan.sha256 }]],
    [['Times'], [`${report.startedAt} → ${report.finishedAt}`]],
    [
      ['Findings'],
      [
        SEVERITIES.slice()
          .reverse()
          .map((severity) => `${report.counts[severity]} ${severity}`)
          .join(', '),
      ],
    ],
    [['Content sha256'], [{ code: integrity.sha256 }]],
    [
      ['Signature'],
      signature === undefined
        ? ['none: the digest shows whether the report changed since it was written, not who wrote it']
        : [`Ed25519 by key `, { code: signature.keyId }],
    ],
  ];
  return [
    { kind: 'table', header: ['Item', 'Detail'], rows },
    {
      kind: 'paragraph',
      spans: [
        'Check it with ',
        { code: 'portflight verify FILE --public-key KEY.pub' },
        ' (without a key: the digest only). The digest is the sha256 of the report without its integrity block, as RFC 8785 JSON; the block below is that report, gzip and base64 (sha256 ',
        { code: copy.sha256 },
        '), from which verify rebuilds this document and compares it byte for byte.',
      ],
    },
    { kind: 'copy', copy },
  ];
}

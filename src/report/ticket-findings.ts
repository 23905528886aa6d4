import { SEVERITIES, type Severity } from '../rules/types.js';
import { pushTo } from '../shared/push-to.js';
import type { Report, ReportFinding } from './model.js';
import { SEVERITY_MARKS } from './marks.js';
import type { Block, Spans, Tone } from './ticket-document.js';

/** Findings of one rule shown in full; the rest are named by subject (a large estate repeats them). */
const SHOWN_PER_RULE = 5;
const NAMED_SUBJECTS = 20;

export const SEVERITY_TONES: Readonly<Record<Severity, Tone>> = {
  'no-go': 'bad',
  incomplete: 'info',
  condition: 'warn',
  info: 'muted',
};

export function severitySpans(severity: Severity): Spans {
  const mark = SEVERITY_MARKS[severity];
  return [{ mark: mark.symbol, tone: SEVERITY_TONES[severity] }, ` ${mark.label}`];
}

/** Findings whose proof is an evidence file: each with the lines it cites (file:line and the line). */
export function evidenceBlocks(findings: readonly ReportFinding[]): Block[] {
  const proven = findings.filter((finding) => (finding.proof ?? []).length > 0);
  if (proven.length === 0) return [{ kind: 'paragraph', spans: ['No finding cites an evidence file.'] }];
  return proven.flatMap((finding): Block[] => [
    {
      kind: 'paragraph',
      spans: [
        ...severitySpans(finding.severity),
        ' ',
        { strong: finding.rule },
        ' · ',
        { code: finding.subject },
        ` — ${finding.message}`,
      ],
    },
    { kind: 'code', text: (finding.proof ?? []).map((proof) => `${proof.ref}: ${proof.line}`).join('\n') },
  ]);
}

/** Rule findings, worst severity first, grouped by rule; each remediation in a block to paste. */
export function findingBlocks(findings: readonly ReportFinding[]): Block[] {
  if (findings.length === 0) return [{ kind: 'paragraph', spans: ['No rule fired.'] }];
  const blocks: Block[] = [];
  for (const severity of [...SEVERITIES].reverse()) {
    const ofSeverity = findings.filter((finding) => finding.severity === severity);
    if (ofSeverity.length === 0) continue;
    blocks.push({ kind: 'heading', spans: [...severitySpans(severity), ` (${ofSeverity.length})`] });
    const byRule = new Map<string, ReportFinding[]>();
    for (const finding of ofSeverity) pushTo(byRule, finding.rule, finding);
    for (const [rule, group] of byRule) blocks.push(...ruleBlocks(rule, group));
  }
  return blocks;
}

function ruleBlocks(rule: string, group: readonly ReportFinding[]): Block[] {
  const blocks: Block[] = [];
  let lastRemediation: string | undefined;
  for (const finding of group.slice(0, SHOWN_PER_RULE)) {
    blocks.push({
      kind: 'paragraph',
      spans: [
        { strong: rule },
        ' · ',
        { code: finding.subject },
        ` — ${finding.message}`,
        ...waivedSpans(finding),
      ],
    });
    if (finding.remediation !== undefined && finding.remediation !== lastRemediation) {
      blocks.push({ kind: 'code', text: finding.remediation });
    }
    lastRemediation = finding.remediation ?? lastRemediation;
  }
  const rest = group.slice(SHOWN_PER_RULE);
  if (rest.length > 0) {
    const named = rest.slice(0, NAMED_SUBJECTS).map((finding) => finding.subject);
    const more = rest.length > NAMED_SUBJECTS ? ` and ${rest.length - NAMED_SUBJECTS} more` : '';
    blocks.push({
      kind: 'paragraph',
      spans: [
        `…and ${rest.length} more ${rule} finding(s), same kind: `,
        { code: named.join(', ') },
        `${more} (every one is in the YAML/JSON report).`,
      ],
    });
  }
  return blocks;
}

function waivedSpans(finding: ReportFinding): Spans {
  const waived = finding.waived;
  if (waived === undefined) return [];
  return [' ', { strong: `Waived by ${waived.owner} until ${waived.expires}:` }, ` ${waived.reason}`];
}

/** The remediation section: client reinstall lines per site, Portswitch, sites to repeat, firewall requests per device. */
export function remediationBlocks(remediation: Report['remediation']): Block[] {
  const blocks: Block[] = [];
  for (const site of remediation.sites) {
    blocks.push({
      kind: 'heading',
      spans: [`Site ${site.siteCode} (management point ${site.managementPoint})`],
    });
    blocks.push(
      { kind: 'paragraph', spans: ['Intranet clients (CCMSetup):'] },
      { kind: 'code', text: site.ccmsetup },
    );
    blocks.push(
      { kind: 'paragraph', spans: ['Internet-only clients:'] },
      { kind: 'code', text: site.internetOnlyCcmsetup },
    );
    blocks.push(
      { kind: 'paragraph', spans: ['Clients on the internet now:'] },
      { kind: 'code', text: site.onInternetCcmsetup },
    );
    if (site.linuxInstall !== null)
      blocks.push(
        { kind: 'paragraph', spans: ['Linux/UNIX clients:'] },
        { kind: 'code', text: site.linuxInstall },
      );
  }
  if (remediation.portswitch !== null) {
    blocks.push(
      { kind: 'heading', spans: ['Existing Windows clients (Portswitch, once the site ports changed)'] },
      { kind: 'code', text: remediation.portswitch },
    );
  }
  if (remediation.repeatOnPrimarySites.length > 0) {
    blocks.push(
      { kind: 'heading', spans: ['Make the port change on every primary site'] },
      { kind: 'list', items: remediation.repeatOnPrimarySites.map((site) => [{ code: site }]) },
    );
  }
  if (remediation.firewallRules.length > 0) {
    blocks.push({ kind: 'heading', spans: ['Firewall rules to request, per device'] });
    const byDevice = new Map<string, (typeof remediation.firewallRules)[number][]>();
    for (const rule of remediation.firewallRules) {
      const device =
        rule.blockedBy === 'destination'
          ? 'the destination host (its own firewall)'
          : (rule.blockedBy ??
            (rule.blockedBetween ? `between ${rule.blockedBetween}` : 'device not localised'));
      pushTo(byDevice, device, rule);
    }
    for (const [device, rules] of byDevice) {
      blocks.push({ kind: 'paragraph', spans: [{ strong: `Device: ${device}` }] });
      blocks.push({
        kind: 'table',
        header: ['Protocol', 'Port', 'Destination', 'Why'],
        rows: rules.map((rule) => [
          [rule.protocol.toUpperCase()],
          [String(rule.port)],
          [{ code: rule.destination }],
          [rule.why],
        ]),
      });
    }
  }
  return blocks.length > 0
    ? blocks
    : [{ kind: 'paragraph', spans: ['Nothing to do: no client request port changes.'] }];
}

export function waiverBlocks(waivers: Report['waivers']): Block[] {
  if (waivers.length === 0) return [{ kind: 'paragraph', spans: ['The plan has no waivers.'] }];
  return [
    {
      kind: 'table',
      header: ['Rule', 'Subject', 'Owner', 'Expires', 'Status', 'Matched', 'Reason'],
      rows: waivers.map((waiver) => [
        [{ code: waiver.rule }],
        [waiver.subject === null ? 'every subject' : { code: waiver.subject }],
        [waiver.owner],
        [waiver.expires],
        [waiver.status === 'active' ? waiver.status : { strong: waiver.status }],
        [String(waiver.matched)],
        [waiver.reason, ...(waiver.note === undefined ? [] : [` (${waiver.note})`])],
      ]),
    },
  ];
}

import type { ChangeSpec } from '../plan/scan-spec.js';
import type { ProbeRecord } from '../probes/types.js';
import type { Report } from '../report/index.js';
import { humanSubject, type SubjectContext } from '../report/human-subject.js';
import type { Finding } from '../rules/types.js';
import { isHop } from './state/matrix.js';
import type { NavigableItem } from './state/selectors.js';

/** `HTTP 80 → 8080 (alt 8081), HTTPS 443 → 8443`, the change as an administrator says it. */
export function describeChange(change: ChangeSpec): string {
  const parts: string[] = [];
  for (const [name, port] of [
    ['HTTP', change.http],
    ['HTTPS', change.https],
  ] as const) {
    if (!port) continue;
    const alternate = port.alternate === undefined ? '' : ` (alt ${port.alternate})`;
    parts.push(`${name} ${port.current} → ${port.candidate}${alternate}`);
  }
  return parts.length > 0 ? parts.join(', ') : 'no client request port change';
}

/** Vantage point of the scan; the report is the first thing that says it. */
export function describeVantage(report: Report | null): string {
  if (!report) return 'probing…';
  const { hostname, privileges } = report.vantage;
  return `${hostname} · raw sockets: ${privileges.rawSocket ? 'yes' : 'no'}`;
}

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

/** Secondary site codes of a report's targets, for subjects that name them. */
export function subjectContextOf(report: Report | null): SubjectContext {
  const secondarySites = new Set<string>();
  for (const target of report?.targets ?? []) {
    for (const site of target.sites) {
      const code = /^(\S+) \(secondary\)$/.exec(site)?.[1];
      if (code !== undefined) secondarySites.add(code);
    }
  }
  return { secondarySites: [...secondarySites] };
}

/**
 * The details panel of a finding: everything an operator reads or copies from it — the human and
 * the machine subject (waivers name the latter), the message, the evidence with the path of each
 * probe it cites, and the whole remediation.
 */
export function findingDetailLines(finding: Finding, report: Report | null = null): readonly string[] {
  const lines = [
    `${finding.severity.toUpperCase()} ${finding.rule} · ${humanSubject(finding.subject, subjectContextOf(report))}`,
    `subject: ${finding.subject} (as reports and waivers name it)`,
    finding.message,
  ];
  if (finding.waived) {
    lines.push(`waived by ${finding.waived.owner} until ${finding.waived.expires}: ${finding.waived.reason}`);
  }
  for (const evidence of finding.evidence) {
    lines.push(`evidence: ${evidence}`);
    const probe = probeOfEvidence(evidence, report);
    const path = probe ? probeDetailLines(probe, '').find((line) => line.startsWith('path: ')) : undefined;
    if (path) lines.push(`  ${path}`);
  }
  if (finding.remediation) lines.push(...finding.remediation.split('\n').map((line) => `fix: ${line}`));
  return lines;
}

/** The probe record an evidence reference `probe:target@address/protocol/port` names. */
function probeOfEvidence(evidence: string, report: Report | null): ProbeRecord | undefined {
  const match = /^probe:([^@]+)@(.+)\/(tcp|udp)\/(\d+)$/.exec(evidence);
  if (!match || !report) return undefined;
  const [, target, address, protocol, port] = match;
  return report.probes.find(
    (probe) =>
      probe.target === target &&
      probe.address === address &&
      probe.protocol === protocol &&
      probe.port === Number(port),
  );
}

/** The details panel of a probe: state and why, round trip, the path with the blocking hop, the app answer. */
export function probeDetailLines(record: ProbeRecord | null, label: string): readonly string[] {
  if (!record) return [`${label}: not finished yet`];
  const rtt = record.rttMs === null ? 'no answer' : `${record.rttMs.toFixed(1)} ms`;
  const lines = [`${label}: ${record.state} (${record.reason}) · rtt ${rtt} · ${record.roles.join(', ')}`];
  if (record.detail) lines.push(record.detail);
  if (record.replyFrom !== undefined)
    lines.push(
      `answered by: ${record.replyFrom}${record.replyTtl === undefined ? '' : ` (TTL ${record.replyTtl})`}`,
    );
  if (record.blockedBy !== undefined) {
    const how =
      record.localisation === 'inferred'
        ? ` (inferred from ${record.inferredFrom}: same path and port)`
        : record.localisation === 'probed'
          ? ' (probed)'
          : '';
    const who = record.blockedBetween
      ? `between ${record.blockedBetween[0]} and ${record.blockedBetween[1]} (they send no time-exceeded)`
      : record.blockedBy === null
        ? 'could not tell'
        : record.blockedBy;
    lines.push(`blocked by: ${who}${how}`);
  }
  if (record.answeredCloser)
    lines.push(
      `answered from ${record.answeredCloser.replyHops} hop(s) away, the server is ${record.answeredCloser.destinationHops}: a NAT, load balancer or proxy`,
    );
  if (record.path && record.path.length > 0) {
    const hops = record.path.map((hop) => {
      const address = hop.address ?? '*';
      const mark = isHop(record.blockedBy) && hop.address === record.blockedBy ? ' ⊘' : '';
      const rewrites = hop.rewrites && hop.rewrites.length > 0 ? ` [${hop.rewrites.join(', ')}]` : '';
      return `${hop.ttl} ${address}${mark}${rewrites}`;
    });
    lines.push(`path: ${hops.join(' → ')}`);
  }
  if (record.app) {
    for (const exchange of record.app.http) {
      const answer = exchange.status === null ? (exchange.error ?? 'failed') : `HTTP ${exchange.status}`;
      lines.push(`${exchange.url}: ${answer}${exchange.server ? ` (${exchange.server})` : ''}`);
    }
    const tls = record.app.tls;
    if (tls) {
      const trust = tls.authorized ? 'trusted' : `untrusted: ${tls.authorizationError ?? 'unknown'}`;
      lines.push(
        `TLS ${tls.protocol ?? 'version unknown'} · subject ${tls.subject ?? 'unknown'} · issuer ${tls.issuer ?? 'unknown'}`,
      );
      lines.push(
        `certificate ${trust}${tls.nameMatches ? '' : ', name mismatch'}${tls.possibleInterception ? ', possible interception' : ''}`,
      );
    }
  }
  return lines;
}

/** The details panel of whatever the cursor is on. */
export function itemDetailLines(item: NavigableItem, report: Report | null): readonly string[] {
  if (item.kind === 'finding') return findingDetailLines(item.finding, report);
  const where = `${item.row.target}${item.row.address && item.row.address !== item.row.target ? ` ${item.row.address}` : ''} ${item.column.protocol}/${item.column.port}`;
  const lines = [...probeDetailLines(item.record, where)];
  const site = [item.row.site && `site ${item.row.site}`, item.row.roles && `roles ${item.row.roles}`];
  if (site.some(Boolean)) lines.splice(1, 0, site.filter(Boolean).join(' · '));
  const members = item.row.members;
  if (members && members.length > 1) {
    const others = members.slice(1).map((member) => member.address ?? member.target);
    lines.push(`the same states on ${others.length} more: ${others.join(', ')}`);
  }
  return lines;
}

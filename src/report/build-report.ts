import type { ScanSpec } from '../plan/scan-spec.js';
import { PROBE_STATES, type ProbeRecord } from '../probes/types.js';
import type { Vantage } from '../probes/vantage.js';
import type { Finding } from '../rules/types.js';
import type { Remediation } from '../rules/remediation.js';
import type { WaiverOutcome } from '../verdict/apply-waivers.js';
import { countSeverities, type Verdict } from '../verdict/compute-verdict.js';
import {
  REPORT_FORMAT_VERSION,
  type Report,
  type ReportProbe,
  type ReportTarget,
  type ReportWaiver,
} from './model.js';
import { compareNatural, compareText } from '../shared/text-order.js';

export interface ReportInput {
  readonly spec: ScanSpec;
  readonly vantage: Vantage;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly complete: boolean;
  readonly offline: boolean;
  readonly skipped: readonly { readonly probe: string; readonly reason: string }[];
  readonly icmpEcho: ReadonlyMap<string, { state: string; reason: string; rttMs: number | null }>;
  readonly interruption: 'signal' | 'deadline' | 'host-deadline' | null;
  readonly records: readonly ProbeRecord[];
  /** Findings as applyWaivers returns them: `waived` set on the accepted ones. */
  readonly findings: readonly Finding[];
  readonly remediation: Remediation;
  /** The verdict with waivers applied. */
  readonly verdict: Verdict;
  /** Defaults to `verdict` (no waivers). */
  readonly verdictWithoutWaivers?: Verdict;
  readonly waivers?: readonly WaiverOutcome[];
  readonly toolVersion: string;
  /** The plan's `name`, when it has one. */
  readonly planName?: string | null;
  /** The text of the evidence lines findings cite, by reference (`bundle/applicationHost.config:42`). */
  readonly evidenceLines?: ReadonlyMap<string, string>;
}

/**
 * Builds the report with a fixed key order and sorted lists, so that two reports of the same
 * network diff cleanly. Pure: the caller supplies times and the vantage point.
 */
export function buildReport(input: ReportInput): Report {
  const probes = sortProbes(input.records).map(toReportProbe);
  const addressesOf = addressesByTarget(probes);
  const counts = countSeverities(input.findings);
  const states = countStates(probes);
  return {
    portflight: REPORT_FORMAT_VERSION,
    tool: { name: 'portflight', version: input.toolVersion },
    verdict: input.verdict,
    verdictWithoutWaivers: input.verdictWithoutWaivers ?? input.verdict,
    counts: {
      'no-go': counts['no-go'],
      incomplete: counts.incomplete,
      condition: counts.condition,
      info: counts.info,
    },
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    durationMs: input.finishedAt.getTime() - input.startedAt.getTime(),
    vantage: {
      hostname: input.vantage.hostname,
      addresses: input.vantage.addresses,
      privileges: {
        rawSocket: input.vantage.privileges.rawSocket,
        detail: input.vantage.privileges.detail,
        skipped: input.skipped.map((entry) => ({ probe: entry.probe, reason: entry.reason })),
      },
    },
    plan: {
      source: input.spec.source.kind,
      path: input.spec.source.path,
      sha256: input.spec.source.sha256,
      name: input.planName ?? null,
    },
    scan: {
      complete: input.complete,
      phase: input.spec.phase,
      offline: input.offline,
      interruption: input.interruption,
      probes: probes.length,
      states,
    },
    change: {
      http: input.spec.change.http,
      https: input.spec.change.https,
      customWebsite: input.spec.change.customWebsite,
      clientNotificationPort: input.spec.change.clientNotificationPort,
      wakeUp: input.spec.change.wakeUp,
    },
    targets: input.spec.targets.map((target) => ({
      host: target.host,
      sites: target.sites.map((site) => `${site.siteCode} (${site.kind})`),
      roles: target.systemRoles,
      addresses: addressesOf.get(target.host) ?? [],
      evidence: target.evidence,
      ...icmpOf(input.icmpEcho, addressesOf.get(target.host) ?? []),
    })),
    probes,
    findings: input.findings.map((finding) => ({
      rule: finding.rule,
      severity: finding.severity,
      message: finding.message,
      subject: finding.subject,
      ...(finding.remediation === undefined ? {} : { remediation: finding.remediation }),
      evidence: finding.evidence,
      ...proofOf(finding.evidence, input.evidenceLines),
      ...(finding.waived === undefined
        ? {}
        : {
            waived: {
              reason: finding.waived.reason,
              owner: finding.waived.owner,
              expires: finding.waived.expires,
            },
          }),
    })),
    remediation: input.remediation,
    waivers: (input.waivers ?? []).map(toReportWaiver),
  };
}

/** `scan.states`: how many probes ended in each state, in PROBE_STATES order, states seen only. */
export function countStates(probes: readonly Pick<ReportProbe, 'state'>[]): Record<string, number> {
  return Object.fromEntries(
    PROBE_STATES.map(
      (state) => [state, probes.filter((probe) => probe.state === state).length] as const,
    ).filter(([, count]) => count > 0),
  );
}

function proofOf(
  evidence: readonly string[],
  lines: ReadonlyMap<string, string> | undefined,
): { proof?: { ref: string; line: string }[] } {
  const proof = evidence.flatMap((ref) => {
    const line = lines?.get(ref);
    return line === undefined ? [] : [{ ref, line }];
  });
  return proof.length === 0 ? {} : { proof };
}

/** A waiver outcome as the report states it (a merge states its re-applied waivers the same way). */
export function toReportWaiver(outcome: WaiverOutcome): ReportWaiver {
  const { waiver, notWaivable } = outcome;
  const note = noteOf(waiver.rule, notWaivable);
  return {
    rule: waiver.rule,
    subject: waiver.subject ?? null,
    reason: waiver.reason,
    owner: waiver.owner,
    expires: waiver.expires,
    status: outcome.status,
    matched: outcome.matched,
    ...(note === undefined ? {} : { note }),
  };
}

/** Says why a waiver left findings it names alone, so an operator does not think it is broken. */
function noteOf(rule: string, notWaivable: WaiverOutcome['notWaivable']): string | undefined {
  const parts = [
    notWaivable.incomplete > 0
      ? `${notWaivable.incomplete} incomplete finding(s) of ${rule} cannot be waived: missing facts must be gathered, not accepted`
      : undefined,
    notWaivable.info > 0
      ? `${notWaivable.info} info finding(s) of ${rule} are not waived: they do not affect the verdict`
      : undefined,
  ].filter((part) => part !== undefined);
  return parts.length === 0 ? undefined : parts.join('; ');
}

/** Optional fields only when set, in the model's key order (the order on disk). */
function toReportProbe(record: ProbeRecord): ReportProbe {
  const probe: { -readonly [K in keyof ReportProbe]: ReportProbe[K] } = {
    target: record.target,
    address: record.address,
    protocol: record.protocol,
    port: record.port,
    role: record.roles[0] ?? 'extra',
    roles: record.roles,
    state: record.state,
    reason: record.reason,
    rttMs: record.rttMs,
  };
  if (record.replyFrom !== undefined) probe.replyFrom = record.replyFrom;
  if (record.replyTtl !== undefined) probe.replyTtl = record.replyTtl;
  if (record.blockedBy !== undefined) probe.blockedBy = record.blockedBy;
  if (record.localisation !== undefined) probe.localisation = record.localisation;
  if (record.inferredFrom !== undefined) probe.inferredFrom = record.inferredFrom;
  if (record.blockedBetween !== undefined) probe.blockedBetween = record.blockedBetween;
  if (record.answeredCloser !== undefined) probe.answeredCloser = record.answeredCloser;
  if (record.path !== undefined) probe.path = record.path;
  if (record.app !== undefined) probe.app = record.app;
  if (record.responder !== undefined) probe.responder = record.responder;
  if (record.detail !== undefined) probe.detail = record.detail;
  return probe;
}

// Probes sort by target, address (naturally: 198.18.0.9 before 198.18.0.10) and protocol, then by
// port. A big scan sorts thousands of records: each distinct text is compared once, into a rank, and
// the sort compares ranks.

/** Probes in report order (target, address, protocol, port); ties keep their order (the sort is stable). */
export function sortProbes<P extends ProbeKey>(records: readonly P[]): P[] {
  const targets = ranksOf(records, (record) => record.target, compareNatural);
  const addresses = ranksOf(records, (record) => record.address ?? '', compareNatural);
  const protocols = ranksOf(records, (record) => record.protocol, compareText);
  const rank = (ranks: ReadonlyMap<string, number>, text: string) => ranks.get(text) ?? 0;
  return [...records].sort(
    (a, b) =>
      rank(targets, a.target) - rank(targets, b.target) ||
      rank(addresses, a.address ?? '') - rank(addresses, b.address ?? '') ||
      rank(protocols, a.protocol) - rank(protocols, b.protocol) ||
      a.port - b.port,
  );
}

/** What the report order of probes looks at. */
type ProbeKey = Pick<ProbeRecord, 'target' | 'address' | 'protocol' | 'port'>;

function ranksOf<P extends ProbeKey>(
  records: readonly P[],
  textOf: (record: P) => string,
  compare: (a: string, b: string) => number,
): Map<string, number> {
  const distinct = [...new Set(records.map(textOf))].sort(compare);
  const ranks = new Map<string, number>();
  let rank = 0;
  distinct.forEach((text, index) => {
    if (index > 0 && compare(distinct[index - 1] as string, text) !== 0) rank += 1;
    ranks.set(text, rank);
  });
  return ranks;
}

/** Each target's probed addresses, in probe order: one pass, however many targets. */
function addressesByTarget(probes: readonly ReportProbe[]): Map<string, string[]> {
  const sets = new Map<string, Set<string>>();
  for (const probe of probes) {
    if (probe.address === null) continue;
    const set = sets.get(probe.target) ?? new Set<string>();
    sets.set(probe.target, set.add(probe.address));
  }
  return new Map([...sets].map(([target, set]) => [target, [...set]]));
}

function icmpOf(
  icmpEcho: ReportInput['icmpEcho'],
  addresses: readonly string[],
): { icmpEcho?: NonNullable<ReportTarget['icmpEcho']> } {
  const entries = addresses.flatMap((address) => {
    const result = icmpEcho.get(address);
    return result
      ? [[address, { state: result.state, reason: result.reason, rttMs: result.rttMs }] as const]
      : [];
  });
  return entries.length === 0 ? {} : { icmpEcho: Object.fromEntries(entries) };
}

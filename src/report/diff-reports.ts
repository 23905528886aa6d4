import type { ProbeState, ProbeReason } from '../probes/types.js';
import type { Severity } from '../rules/types.js';
import type { Verdict } from '../verdict/compute-verdict.js';
import type { Report, ReportFinding, ReportProbe } from './model.js';

/** What a probe showed, as far as a change between two runs goes (round-trip times always differ). */
export interface ProbeOutcome {
  readonly state: ProbeState;
  readonly reason: ProbeReason;
  readonly blockedBy: string | null;
}

export interface ProbeChange {
  readonly target: string;
  readonly address: string | null;
  readonly protocol: 'tcp' | 'udp';
  readonly port: number;
  /** In merged reports: the vantage point that sent it. */
  readonly vantage: string | null;
  /** Null when the old run did not probe it. */
  readonly old: ProbeOutcome | null;
  /** Null when the new run did not probe it. */
  readonly new: ProbeOutcome | null;
}

export interface FindingState {
  readonly severity: Severity;
  readonly waived: boolean;
  readonly message: string;
}

export interface FindingChange {
  readonly rule: string;
  readonly subject: string;
  /** In merged reports: the vantage points that found it (either run's, when they differ). */
  readonly vantages: readonly string[];
  readonly old: FindingState | null;
  readonly new: FindingState | null;
}

/** The run a side of the diff is, in a few words. */
export interface DiffSide {
  readonly file: string;
  readonly verdict: Verdict;
  readonly phase: Report['scan']['phase'];
  readonly startedAt: string;
  readonly vantage: string;
  readonly planSha256: string;
}

/** `portflight diff`: what changed between two runs. Lists are in report order, so the JSON is stable. */
export interface ReportDiff {
  readonly old: DiffSide;
  readonly new: DiffSide;
  readonly changed: boolean;
  readonly verdictChanged: boolean;
  readonly planChanged: boolean;
  readonly probes: readonly ProbeChange[];
  readonly findings: readonly FindingChange[];
}

/**
 * Compares two reports: probes by vantage point, target, address, protocol and port (state, reason,
 * blockedBy); findings by rule, subject and vantage points (severity, waiver, message); the verdict.
 * Pure; `files` name the two sides in the result.
 */
export function diffReports(
  old: Report,
  next: Report,
  files: { readonly old: string; readonly new: string },
): ReportDiff {
  const probes = diffProbes(old.probes, next.probes);
  const findings = diffFindings(old.findings, next.findings);
  const verdictChanged = old.verdict !== next.verdict;
  return {
    old: sideOf(old, files.old),
    new: sideOf(next, files.new),
    changed: verdictChanged || probes.length > 0 || findings.length > 0,
    verdictChanged,
    planChanged: old.plan.sha256 !== next.plan.sha256,
    probes,
    findings,
  };
}

function sideOf(report: Report, file: string): DiffSide {
  return {
    file,
    verdict: report.verdict,
    phase: report.scan.phase,
    startedAt: report.startedAt,
    vantage: report.vantage.hostname,
    planSha256: report.plan.sha256,
  };
}

const probeKey = (probe: ReportProbe) =>
  JSON.stringify([probe.vantage ?? null, probe.target, probe.address, probe.protocol, probe.port]);

function outcomeOf(probe: ReportProbe): ProbeOutcome {
  return { state: probe.state, reason: probe.reason, blockedBy: probe.blockedBy ?? null };
}

function diffProbes(old: readonly ReportProbe[], next: readonly ReportProbe[]): ProbeChange[] {
  const keyed = (probes: readonly ReportProbe[]) =>
    new Map(probes.map((probe) => [probeKey(probe), probe] as const));
  return changedEntries(keyed(old), keyed(next), outcomeOf, (probe, was, is) => ({
    target: probe.target,
    address: probe.address,
    protocol: probe.protocol,
    port: probe.port,
    vantage: probe.vantage ?? null,
    old: was,
    new: is,
  }));
}

/**
 * What changed between two keyed runs, by the state each entry has: the new run's entries in its
 * order (added, or whose state differs), then those only the old run had.
 */
function changedEntries<T, S, C>(
  before: ReadonlyMap<string, T>,
  after: ReadonlyMap<string, T>,
  stateOf: (entry: T) => S,
  change: (entry: T, was: S | null, is: S | null) => C,
): C[] {
  const changes: C[] = [];
  for (const [key, entry] of after) {
    const was = before.get(key);
    const is = stateOf(entry);
    if (was !== undefined && JSON.stringify(stateOf(was)) === JSON.stringify(is)) continue;
    changes.push(change(entry, was === undefined ? null : stateOf(was), is));
  }
  for (const [key, entry] of before) if (!after.has(key)) changes.push(change(entry, stateOf(entry), null));
  return changes;
}

/**
 * Findings keyed by rule, subject and vantage points; a rule may find one subject more than once
 * (several bindings), so the n-th finding of a key is paired with the n-th.
 */
function keyedFindings(findings: readonly ReportFinding[]): Map<string, ReportFinding> {
  const keyed = new Map<string, ReportFinding>();
  const seen = new Map<string, number>();
  for (const finding of findings) {
    const base = JSON.stringify([finding.rule, finding.subject, finding.vantages ?? []]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    keyed.set(`${base}#${n}`, finding);
  }
  return keyed;
}

function stateOf(finding: ReportFinding): FindingState {
  return { severity: finding.severity, waived: finding.waived !== undefined, message: finding.message };
}

function diffFindings(old: readonly ReportFinding[], next: readonly ReportFinding[]): FindingChange[] {
  return changedEntries(keyedFindings(old), keyedFindings(next), stateOf, (finding, was, is) => ({
    rule: finding.rule,
    subject: finding.subject,
    vantages: finding.vantages ?? [],
    old: was,
    new: is,
  }));
}

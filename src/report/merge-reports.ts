import { isDeepStrictEqual } from 'node:util';
import { compareFindings } from '../rules/engine/index.js';
import type { FirewallRule } from '../rules/remediation.js';
import { echoed, UserError } from '../shared/errors.js';
import { ExitCode } from '../shared/exit-codes.js';
import { applyWaivers, type Waiver } from '../verdict/apply-waivers.js';
import { countSeverities, VERDICTS } from '../verdict/compute-verdict.js';
import { countStates, sortProbes, toReportWaiver } from './build-report.js';
import type { Report, ReportFinding, ReportProbe, ReportTarget, ReportVantage } from './model.js';
import type { ReportSource } from './read-report.js';

export interface MergeOptions {
  /** Combine reports of plans with different sha256 (the change itself must still be the same). */
  readonly allowDifferentPlans: boolean;
  /** The day waivers are judged on: the merge re-applies them. */
  readonly today: Date;
  readonly toolVersion: string;
}

/**
 * One report of one change from runs taken at several vantage points. Never more optimistic than its
 * worst input: every probe and finding is kept with the vantage point that saw it (a port open from
 * one place and blocked from another stays blocked there), findings are the union of the runs', and
 * the verdict is recomputed over that union with the waivers every run's plan carries, as of
 * `today`. Runs that cannot be combined (another change, another phase, not the same ports probed)
 * are refused (exit 65) rather than merged into a verdict about nothing in particular.
 */
export function mergeReports(sources: readonly ReportSource[], options: MergeOptions): Report {
  checkMergeable(sources, options);
  const [first] = sources as [ReportSource, ...ReportSource[]];
  const names = vantageNames(sources);
  const vantages = sources.map((source, index) => vantageOf(source.report, names[index] as string));

  const probes = sortProbes(
    sources.flatMap(({ report }, index) =>
      report.probes.map((probe): ReportProbe => ({ ...probe, vantage: names[index] as string })),
    ),
  );
  const union = unionFindings(sources, names);
  const waived = applyWaivers(union, commonWaivers(sources), options.today);
  const findings = waived.findings as readonly ReportFinding[];
  for (const [index, { file, report }] of sources.entries()) {
    // Judged today with the same waivers, a run can only get worse (a waiver lapsed); better would
    // mean a report from the future, and a merge must not be kinder than its inputs.
    if (VERDICTS.indexOf(waived.verdict) < VERDICTS.indexOf(report.verdict))
      throw mismatch(
        `${file}: its verdict ${report.verdict} is worse than its findings give on ${day(options.today)} (${waived.verdict}, vantage ${names[index]}): check the clock of the host that wrote it`,
      );
  }
  const counts = countSeverities(findings);
  const startedAt = earliest(sources.map(({ report }) => report.startedAt));
  const finishedAt = latest(sources.map(({ report }) => report.finishedAt));
  const reports = sources.map((source) => source.report);
  return {
    portflight: first.report.portflight,
    tool: { name: 'portflight', version: options.toolVersion },
    verdict: waived.verdict,
    verdictWithoutWaivers: waived.verdictWithoutWaivers,
    counts: {
      'no-go': counts['no-go'],
      incomplete: counts.incomplete,
      condition: counts.condition,
      info: counts.info,
    },
    startedAt,
    finishedAt,
    durationMs: Date.parse(finishedAt) - Date.parse(startedAt),
    vantage: {
      hostname: names.join(', '),
      addresses: [...new Set(vantages.flatMap((vantage) => vantage.addresses))],
      privileges: {
        rawSocket: vantages.every((vantage) => vantage.privileges.rawSocket),
        detail: vantages.map((vantage) => `${vantage.name}: ${vantage.privileges.detail}`).join('; '),
        skipped: vantages.flatMap((vantage) =>
          vantage.privileges.skipped.map((entry) => ({
            probe: entry.probe,
            reason: `${vantage.name}: ${entry.reason}`,
          })),
        ),
      },
    },
    plan: first.report.plan,
    scan: {
      complete: reports.every((report) => report.scan.complete),
      phase: first.report.scan.phase,
      offline: reports.every((report) => report.scan.offline),
      interruption: reports.find((report) => report.scan.interruption !== null)?.scan.interruption ?? null,
      probes: probes.length,
      states: countStates(probes),
    },
    change: first.report.change,
    targets: unionTargets(reports),
    probes,
    findings,
    remediation: {
      ...first.report.remediation,
      firewallRules: distinct<FirewallRule>(reports.flatMap((report) => report.remediation.firewallRules)),
    },
    waivers: waived.waivers.map(toReportWaiver),
    vantages,
  };
}

function mismatch(message: string): UserError {
  return new UserError(message, ExitCode.invalidInput);
}

function checkMergeable(sources: readonly ReportSource[], options: MergeOptions): void {
  const [first, ...rest] = sources;
  if (first === undefined) throw new UserError('merge: name at least one report', ExitCode.usage);
  for (const source of sources) {
    if (source.report.vantages !== undefined)
      throw mismatch(
        `${source.file}: already a merged report (of ${source.report.vantages.length} runs); merge the reports of the runs themselves`,
      );
  }
  for (const other of rest) {
    const a = first.report;
    const b = other.report;
    if (a.plan.sha256 !== b.plan.sha256 && !options.allowDifferentPlans)
      throw mismatch(
        `${other.file}: another plan than ${first.file} (sha256 ${b.plan.sha256.slice(0, 12)}… vs ${a.plan.sha256.slice(0, 12)}…); merge runs of one plan, or pass --allow-different-plans`,
      );
    if (!isDeepStrictEqual(a.change, b.change))
      throw mismatch(
        `${other.file}: another change than ${first.file} (the client ports differ): one verdict is about one change`,
      );
    if (a.scan.phase !== b.scan.phase)
      throw mismatch(
        `${other.file}: a ${b.scan.phase} run, ${first.file} a ${a.scan.phase} run: merge runs of one phase`,
      );
  }
  const seen = new Map<string, string>();
  for (const { file, report } of sources) {
    const run = `${report.vantage.hostname} ${report.startedAt}`;
    const earlier = seen.get(run);
    if (earlier !== undefined)
      throw mismatch(
        `${file}: the same run as ${earlier} (${report.vantage.hostname}, started ${report.startedAt})`,
      );
    seen.set(run, file);
  }
  checkSamePorts(sources);
}

/**
 * Every run must have probed every target on every port the others probed: a port one vantage
 * point did not try says nothing about the clients behind it, and must not be read as reachable.
 * Runs of one plan always do; with --allow-different-plans this is what keeps them comparable.
 */
function checkSamePorts(sources: readonly ReportSource[]): void {
  const keysOf = (report: Report) =>
    new Set(report.probes.map((probe) => `${probe.target} ${probe.protocol}/${probe.port}`));
  const keys = sources.map(({ report }) => keysOf(report));
  for (const [index, own] of keys.entries()) {
    for (const [otherIndex, other] of keys.entries()) {
      const missing = [...other].find((key) => !own.has(key));
      if (missing === undefined) continue;
      const [target, port] = missing.split(' ') as [string, string];
      throw mismatch(
        `${sources[index]?.file}: has no probe of ${echoed(target)} ${port}, which ${sources[otherIndex]?.file} probed: the runs did not probe the same ports`,
      );
    }
  }
}

/** Hostnames, with `#1`, `#2` … where one host ran more than once. */
function vantageNames(sources: readonly ReportSource[]): string[] {
  const hostnames = sources.map(({ report }) => report.vantage.hostname);
  const counter = new Map<string, number>();
  return hostnames.map((hostname) => {
    if (hostnames.filter((other) => other === hostname).length === 1) return hostname;
    const n = (counter.get(hostname) ?? 0) + 1;
    counter.set(hostname, n);
    return `${hostname}#${n}`;
  });
}

function vantageOf(report: Report, name: string): ReportVantage {
  const icmp = Object.assign({}, ...report.targets.map((target) => target.icmpEcho ?? {})) as NonNullable<
    ReportTarget['icmpEcho']
  >;
  return {
    name,
    hostname: report.vantage.hostname,
    addresses: report.vantage.addresses,
    privileges: report.vantage.privileges,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    planSha256: report.plan.sha256,
    complete: report.scan.complete,
    verdict: report.verdict,
    ...(Object.keys(icmp).length === 0 ? {} : { icmpEcho: icmp }),
  };
}

/**
 * The findings of every run, waivers taken off (the merge applies them again). A finding several
 * runs made word for word (an evidence finding, a port blocked alike from two places) is one finding
 * naming each vantage point; any difference keeps them apart.
 */
function unionFindings(sources: readonly ReportSource[], names: readonly string[]): ReportFinding[] {
  const byContent = new Map<string, { finding: ReportFinding; vantages: string[] }>();
  sources.forEach(({ report }, index) => {
    for (const { waived: _waived, vantages: _vantages, ...finding } of report.findings) {
      const key = JSON.stringify([
        finding.rule,
        finding.severity,
        finding.subject,
        finding.message,
        finding.remediation ?? null,
        finding.evidence,
      ]);
      const entry = byContent.get(key) ?? { finding, vantages: [] as string[] };
      if (!entry.vantages.includes(names[index] as string)) entry.vantages.push(names[index] as string);
      byContent.set(key, entry);
    }
  });
  return [...byContent.values()]
    .map(({ finding, vantages }) => ({ ...finding, vantages }))
    .sort(compareFindings);
}

/** The waivers of a report's plan, as the plan wrote them. */
function waiverOf(waiver: Report['waivers'][number]): Waiver {
  return {
    rule: waiver.rule,
    ...(waiver.subject === null ? {} : { subject: waiver.subject }),
    reason: waiver.reason,
    owner: waiver.owner,
    expires: waiver.expires,
  };
}

/** Waivers every run's plan carries (all of them for runs of one plan): none is stretched to another plan. */
function commonWaivers(sources: readonly ReportSource[]): Waiver[] {
  const [first, ...rest] = sources.map(({ report }) => report.waivers.map(waiverOf));
  return (first ?? []).filter((waiver) =>
    rest.every((waivers) => waivers.some((other) => isDeepStrictEqual(other, waiver))),
  );
}

/** Every target of every run, first seen first, with the addresses any run resolved it to. */
function unionTargets(reports: readonly Report[]): ReportTarget[] {
  const targets = new Map<string, { target: ReportTarget; addresses: Set<string> }>();
  for (const report of reports) {
    for (const { icmpEcho: _icmp, ...target } of report.targets) {
      const entry = targets.get(target.host) ?? { target, addresses: new Set<string>() };
      for (const address of target.addresses) entry.addresses.add(address);
      targets.set(target.host, entry);
    }
  }
  return [...targets.values()].map(({ target, addresses }) => ({ ...target, addresses: [...addresses] }));
}

/** Plain data, each distinct value once (first kept), by its JSON text: a big merge has thousands. */
function distinct<T>(items: readonly T[]): T[] {
  return [...new Map(items.map((item) => [JSON.stringify(item), item] as const)).values()];
}

const earliest = (times: readonly string[]) =>
  times.reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
const latest = (times: readonly string[]) => times.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
const day = (date: Date) => date.toISOString().slice(0, 10);

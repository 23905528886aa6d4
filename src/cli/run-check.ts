import type { ScanSpec } from '../plan/index.js';
import { describeVantage } from '../probes/index.js';
import { runScan, type ScanEvent } from '../run/index.js';
import { buildFacts } from '../facts/index.js';
import { evaluateRules } from '../rules/index.js';
import { computeVerdict } from '../verdict/index.js';
import { buildReport, type Report } from '../report/index.js';
import { PORTFLIGHT_VERSION } from '../shared/version.js';

export interface RunCheckOptions {
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: ScanEvent) => void;
}

/** The whole pipeline: spec → probes → facts → rules → verdict → report. cli/ is its only caller. */
export async function runCheck(spec: ScanSpec, options: RunCheckOptions = {}): Promise<Report> {
  const [vantage, scan] = await Promise.all([describeVantage(), runScan(spec, options)]);
  const facts = buildFacts(spec, scan, vantage);
  const findings = evaluateRules(facts);
  return buildReport({
    spec,
    vantage,
    startedAt: scan.startedAt,
    finishedAt: scan.finishedAt,
    complete: scan.complete,
    interruption: scan.interruption,
    skipped: scan.skipped,
    icmpEcho: scan.icmpEcho,
    records: scan.records,
    findings,
    verdict: computeVerdict(findings),
    toolVersion: PORTFLIGHT_VERSION,
  });
}

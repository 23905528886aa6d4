import type { ScanSpec } from '../plan/index.js';
import type { Waiver } from '../plan/schema.js';
import { describeVantage } from '../probes/vantage.js';
import type { ScanEvent } from '../run/index.js';
import { offlineScanResult } from '../run/offline.js';
import { loadEvidenceBundles } from '../evidence/load-bundle.js';
import { buildFacts } from '../facts/index.js';
import { evaluateRuleSet, type CompiledRule } from '../rules/engine/index.js';
import { factTreeOf } from '../rules/fact-tree.js';
import { remediationOf } from '../rules/remediation.js';
import { applyWaivers } from '../verdict/index.js';
import { buildReport, type Report } from '../report/index.js';
import { PORTFLIGHT_VERSION } from '../shared/version.js';

export interface RunCheckOptions {
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: ScanEvent) => void;
  readonly offline?: boolean;
  /** Rule files: the built-in rules/ plus any `--rules` packs (cli/rule-packs.ts loads them). */
  readonly rules: readonly CompiledRule[];
  /** The plan's waivers; none for ad-hoc `check`. */
  readonly waivers?: readonly Waiver[];
}

/** The whole pipeline: spec → probes → facts → rules → verdict → report. cli/ is its only caller. */
export async function runCheck(spec: ScanSpec, options: RunCheckOptions): Promise<Report> {
  // Evidence first: a broken bundle is an input error (exit 65) before any packet is sent.
  const bundles = await loadEvidenceBundles(spec.targets);
  // The probe engine (and node:net, tls, http…) is loaded only by a scan that sends something.
  const scanning = options.offline
    ? Promise.resolve(offlineScanResult())
    : import('../run/scan.js').then(({ runScan }) => runScan(spec, options));
  const [vantage, scan] = await Promise.all([describeVantage(), scanning]);
  const facts = buildFacts(spec, scan, vantage, bundles);
  const tree = factTreeOf(facts);
  const findings = evaluateRuleSet(options.rules, tree);
  const waived = applyWaivers(findings, options.waivers ?? [], new Date());
  return buildReport({
    spec,
    vantage,
    startedAt: scan.startedAt,
    finishedAt: scan.finishedAt,
    complete: scan.complete,
    offline: scan.offline,
    interruption: scan.interruption,
    skipped: scan.skipped,
    icmpEcho: scan.icmpEcho,
    records: scan.records,
    findings: waived.findings,
    remediation: remediationOf(tree),
    verdict: waived.verdict,
    verdictWithoutWaivers: waived.verdictWithoutWaivers,
    waivers: waived.waivers,
    toolVersion: PORTFLIGHT_VERSION,
  });
}

import type { ScanSpec } from '../plan/index.js';
import type { Waiver } from '../plan/schema.js';
import { describeVantage } from '../probes/vantage.js';
import type { ScanEvent, ScanResult } from '../run/index.js';
import type { Vantage } from '../probes/vantage.js';
import type { EvidenceBundle } from '../evidence/types.js';
import { offlineScanResult } from '../run/offline.js';
import { loadEvidenceBundles } from '../evidence/load-bundle.js';
import { buildFacts } from '../facts/index.js';
import { evaluateRuleSet, type CompiledRule } from '../rules/engine/index.js';
import { factTreeOf } from '../rules/fact-tree.js';
import { remediationOf } from '../rules/remediation.js';
import { applyWaivers } from '../verdict/index.js';
// The report's builder alone, not report/index.js: that also loads the report reader and its schema.
import { buildReport } from '../report/build-report.js';
import type { Report } from '../report/model.js';
import { PORTFLIGHT_VERSION } from '../shared/version.js';

export interface RunCheckOptions {
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: ScanEvent) => void;
  readonly offline?: boolean;
  /** Rule files: the built-in rules/ plus any `--rules` packs (cli/rule-packs.ts loads them). */
  readonly rules: readonly CompiledRule[];
  /** The plan's waivers; none for ad-hoc `check`. */
  readonly waivers?: readonly Waiver[];
  /** The plan's `name`, for the report. */
  readonly planName?: string | null;
  /** The responders' token (`--responder-token-file`), handed to the scan only. */
  readonly responderToken?: Uint8Array;
  /** Wraps each stage after the scan (PORTFLIGHT_DEBUG=timing prints them). */
  readonly time?: StageTimer;
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
  return reportOfScan(
    {
      spec,
      scan,
      vantage,
      bundles,
      rules: options.rules,
      waivers: options.waivers ?? [],
      planName: options.planName ?? null,
    },
    options.time,
  );
}

/** The stages after the scan; `time` wraps each one (the rules-scale bench measures them). */
export type StageTimer = <T>(
  stage: 'facts' | 'fact tree' | 'rules' | 'verdict' | 'remediation' | 'report',
  run: () => T,
) => T;

/** facts → rules → verdict → report, for a finished scan: pure, and the same for every caller. */
export function reportOfScan(
  input: {
    readonly spec: ScanSpec;
    readonly scan: ScanResult;
    readonly vantage: Vantage;
    readonly bundles: ReadonlyMap<string, EvidenceBundle>;
    readonly rules: readonly CompiledRule[];
    readonly waivers: readonly Waiver[];
    readonly planName?: string | null;
  },
  time: StageTimer = (_stage, run) => run(),
): Report {
  const { spec, scan, vantage } = input;
  const facts = time('facts', () => buildFacts(spec, scan, vantage, input.bundles));
  const tree = time('fact tree', () => factTreeOf(facts));
  const findings = time('rules', () => evaluateRuleSet(input.rules, tree));
  const waived = time('verdict', () => applyWaivers(findings, input.waivers, new Date()));
  const remediation = time('remediation', () => remediationOf(tree));
  return time('report', () =>
    buildReport({
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
      remediation,
      verdict: waived.verdict,
      verdictWithoutWaivers: waived.verdictWithoutWaivers,
      waivers: waived.waivers,
      toolVersion: PORTFLIGHT_VERSION,
      planName: input.planName ?? null,
      evidenceLines: citedLines(waived.findings, input.bundles),
    }),
  );
}

/** Longest evidence line a report quotes: enough for an IIS binding or a netsh row. */
const QUOTED_LINE_LIMIT = 300;

/** The text of every `file:line` a finding cites from an evidence bundle, so reports can quote it. */
function citedLines(
  findings: readonly { readonly evidence: readonly string[] }[],
  bundles: ReadonlyMap<string, EvidenceBundle>,
): Map<string, string> {
  const texts = new Map([...bundles.values()].flatMap((bundle) => [...(bundle.texts ?? [])]));
  const linesOf = new Map<string, string[]>();
  const cited = new Map<string, string>();
  for (const ref of findings.flatMap((finding) => finding.evidence)) {
    const match = /^(.+):(\d+)$/.exec(ref);
    const text = match ? texts.get(match[1] as string) : undefined;
    if (!match || text === undefined || cited.has(ref)) continue;
    const lines = linesOf.get(match[1] as string) ?? text.split(/\r\n|\r|\n/);
    linesOf.set(match[1] as string, lines);
    const line = lines[Number(match[2]) - 1]?.trim();
    if (line !== undefined) cited.set(ref, [...line].slice(0, QUOTED_LINE_LIMIT).join(''));
  }
  return cited;
}

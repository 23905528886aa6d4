// Benchmark: what a big check spends after the scan ends. Builds the records a scan of N addresses
// × 6 TCP ports would return (70% open, 20% filtered at 198.18.2.2 — localised by their own probes
// for the first address of each port, inferred from it for the others — and 10% closed, every
// answer attributed), then runs the stages the CLI runs on them (src/cli/run-check.ts and
// unattended.ts): buildFacts, factTreeOf, the rule engine, applyWaivers (computeVerdict),
// remediationOf, buildReport, and the JSON and YAML renderers. Prints the median ms of each stage
// over the runs, and PASS/FAIL of the total against the targets: 1440 records (N=240) under
// 100 ms, 6000 records (N=1000) under 400 ms (exit 1 on FAIL).
//
//   npx tsx bench/rules-scale.ts [--runs 5] [--sizes 240,1000]
import { loadRulePacks } from '../src/cli/rule-packs.js';
import { buildAdhocSpec, type ScanSpec } from '../src/plan/index.js';
import type { ProbeRecord } from '../src/probes/index.js';
import type { Vantage } from '../src/probes/vantage.js';
import { REPORT_RENDERERS } from '../src/report/index.js';
import type { CompiledRule } from '../src/rules/engine/index.js';
import { reportOfScan } from '../src/cli/run-check.js';
import type { ScanResult } from '../src/run/index.js';

/** Total ms (median) a size must stay under, by number of probe records. */
const TARGETS_MS: Readonly<Record<number, number>> = { 1440: 100, 6000: 400 };
const BLOCKER = '198.18.2.2';

function optionText(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function positive(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} needs positive whole numbers`);
  return value;
}

/** `check` of N addresses on 80/443 → 8080/8443, alternate HTTPS 9443 and the notification port. */
function specOf(addresses: number): ScanSpec {
  const hosts = Array.from(
    { length: addresses },
    (_, i) => `198.19.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`,
  );
  return buildAdhocSpec({
    hosts,
    http: 8080,
    https: 8443,
    altHttps: 9443,
    ports: [{ protocol: 'tcp', port: 10123 }],
  });
}

/** Deterministic, so every run and every checkout benchmarks the same records. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function scanOf(spec: ScanSpec): ScanResult {
  const random = lcg(240);
  const probedFrom = new Map<number, string>();
  const records: ProbeRecord[] = [];
  for (const target of spec.targets) {
    const address = target.host;
    for (const { protocol, port, roles } of target.ports) {
      const base = { target: target.host, address, protocol, port, roles };
      const draw = random();
      if (draw < 0.7) {
        const rttMs = 1 + Math.round(random() * 20);
        records.push({ ...base, state: 'open', reason: 'syn-ack', rttMs, replyFrom: address, replyTtl: 61 });
      } else if (draw < 0.9) {
        const first = probedFrom.get(port);
        if (first === undefined) probedFrom.set(port, address);
        records.push({
          ...base,
          state: 'filtered',
          reason: 'no-response',
          rttMs: null,
          blockedBy: BLOCKER,
          path: [
            { ttl: 1, address: '198.18.1.1', rttMs: 1 },
            { ttl: 2, address: BLOCKER, rttMs: 2 },
            { ttl: 3, address: null, rttMs: null },
          ],
          ...(first === undefined
            ? { localisation: 'probed' as const }
            : { localisation: 'inferred' as const, inferredFrom: first }),
        });
      } else {
        records.push({
          ...base,
          state: 'closed',
          reason: 'conn-refused',
          rttMs: 2,
          replyFrom: address,
          replyTtl: 61,
        });
      }
    }
  }
  const now = new Date('2025-01-01T00:00:00Z');
  return {
    startedAt: now,
    finishedAt: new Date(now.getTime() + 5000),
    records,
    complete: true,
    offline: false,
    icmpEcho: new Map(),
    rechecks: new Map(),
    skipped: [],
    interruption: null,
  };
}

const VANTAGE: Vantage = {
  hostname: 'bench',
  addresses: ['198.18.1.2'],
  privileges: { rawSocket: true, detail: 'bench' },
};

const STAGES = ['facts', 'fact tree', 'rules', 'verdict', 'remediation', 'report', 'json', 'yaml'] as const;
type Stage = (typeof STAGES)[number];

/** One pass of the pipeline over a finished scan, ms per stage. */
function runOnce(spec: ScanSpec, scan: ScanResult, rules: readonly CompiledRule[]): Record<Stage, number> {
  const times = {} as Record<Stage, number>;
  const timed = <T>(stage: Stage, run: () => T): T => {
    const started = performance.now();
    const result = run();
    times[stage] = performance.now() - started;
    return result;
  };
  // The CLI's own post-scan pipeline, each stage timed.
  const report = reportOfScan(
    { spec, scan, vantage: VANTAGE, bundles: new Map(), rules, waivers: [] },
    (stage, run) => timed(stage, run),
  );
  timed('json', () => REPORT_RENDERERS.json(report));
  timed('yaml', () => REPORT_RENDERERS.yaml(report));
  return times;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(sorted.length / 2) - 1] ?? Number.NaN;
}

async function main(): Promise<number> {
  const runs = positive(optionText('--runs') ?? '5', '--runs');
  const sizes = (optionText('--sizes') ?? '240,1000').split(',').map((size) => positive(size, '--sizes'));
  const rules = await loadRulePacks([]);
  console.log(`rules-scale: node ${process.version}, ${rules.length} rules, median of ${runs} runs, ms`);
  let failed = false;
  for (const addresses of sizes) {
    const spec = specOf(addresses);
    const scan = scanOf(spec);
    const passes = Array.from({ length: runs }, () => runOnce(spec, scan, rules));
    const totals = passes.map((pass) => STAGES.reduce((sum, stage) => sum + pass[stage], 0));
    const columns = STAGES.map((stage) => `${stage} ${median(passes.map((pass) => pass[stage])).toFixed(1)}`);
    const total = median(totals);
    const target = TARGETS_MS[scan.records.length];
    const verdict = target === undefined ? '    ' : total < target ? 'PASS' : 'FAIL';
    failed ||= verdict === 'FAIL';
    console.log(
      `${verdict}  ${addresses} addresses × 6 ports (${scan.records.length} records): total ${total.toFixed(1)}` +
        `${target === undefined ? '' : ` (target < ${target})`}; first run ${totals[0]?.toFixed(1)}`,
    );
    console.log(`      ${columns.join(', ')}`);
  }
  return failed ? 1 : 0;
}

process.exitCode = await main();

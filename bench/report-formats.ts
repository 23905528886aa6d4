// Benchmark: a 200 site systems × 8 ports report rendered in every format, sealed and signed as the
// CLI writes it (src/cli/report-outputs.ts): one seal, then each renderer. Prints the median ms of
// the seal and of each format over the runs (after one warm-up), and PASS/FAIL of the total against
// one second (exit 1 on FAIL).
//
//   npx tsx bench/report-formats.ts [--runs 7] [--targets 200]
import { generateKeyPairSync } from 'node:crypto';
import { REPORT_FORMATS, REPORT_RENDERERS, sealReport, type Report } from '../src/report/index.js';
import { estateReport } from '../test/support/sample-reports.js';

const TARGET_MS = 1000;

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} needs a positive whole number`);
  return value;
}

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

const runs = option('--runs', 7);
const targets = option('--targets', 200);
const report: Report = estateReport(targets, Math.max(1, Math.floor(targets / 50)));
const { privateKey } = generateKeyPairSync('ed25519');
const times = new Map<string, number[]>();
const time = <T>(stage: string, run: () => T): T => {
  const start = performance.now();
  const result = run();
  times.set(stage, [...(times.get(stage) ?? []), performance.now() - start]);
  return result;
};

for (let run = 0; run <= runs; run += 1) {
  if (run === 1) times.clear(); // the first run warms up
  const sealed = time('seal + sign', () => sealReport(report, privateKey));
  for (const format of REPORT_FORMATS) time(format, () => REPORT_RENDERERS[format](sealed));
}

let total = 0;
console.log(`${report.probes.length} probes (${targets} targets × 8 ports), median of ${runs} runs:`);
for (const [stage, values] of times) {
  total += median(values);
  console.log(`  ${stage.padEnd(12)} ${median(values).toFixed(1).padStart(7)} ms`);
}
const pass = total < TARGET_MS;
console.log(`${pass ? 'PASS' : 'FAIL'}: every format ${total.toFixed(1)} ms (target < ${TARGET_MS} ms)`);
process.exit(pass ? 0 : 1);

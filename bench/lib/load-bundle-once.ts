// One cold load of an evidence bundle, timed in this process, printed as JSON ({ wallMs, cpuMs,
// outcome }) for bench/evidence-budgets.ts: a fresh process per file, as each CLI run is.
//
//   npx tsx bench/lib/load-bundle-once.ts DIR
import { loadEvidenceBundle } from '../../src/evidence/load-bundle.js';
import { InputError } from '../../src/shared/errors.js';

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: load-bundle-once.ts DIR');
const cpu = process.cpuUsage();
const started = performance.now();
let outcome: string;
try {
  const bundle = await loadEvidenceBundle(dir);
  const rows = Object.values(bundle).reduce<number>((sum, value) => {
    if (Array.isArray(value)) return sum + value.length;
    if (typeof value === 'object' && value !== null && 'sites' in value) {
      return sum + (value as { sites: readonly unknown[] }).sites.length;
    }
    return sum + (typeof value === 'object' && value !== null ? 1 : 0);
  }, 0);
  outcome = `${rows} rows`;
} catch (error) {
  if (!(error instanceof InputError)) throw error;
  outcome = `InputError: ${error.message.split('\n')[0] ?? ''}`;
}
const wallMs = performance.now() - started;
const used = process.cpuUsage(cpu);
console.log(JSON.stringify({ wallMs, cpuMs: (used.user + used.system) / 1000, outcome }));

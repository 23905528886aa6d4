// Benchmark: every evidence parser on a file at the input size limit (16 MiB, grown from the rows of
// a sample bundle: test/support/huge-evidence.ts), and on files past its budgets. For each kind:
// the time to load a bundle holding only that file (read, decode, parse: what `check --evidence`
// does), the first load in a fresh process as a CLI run has it, wall and CPU time; then the built
// CLI end to end (`check … --offline --evidence DIR`) under GNU time for its peak RSS. PASS/FAIL
// against: load ≤ 2 s, peak RSS ≤ 80 MB + 8 × the file (exit 1 on FAIL). A file past a budget must
// be refused (exit 65, file:line:col) within the same time.
//
//   npx tsx bench/evidence-budgets.ts [--kinds netstat,sslcert] [--no-cli]
//
// Build first for the CLI part (`npm run build`; `npm run bench` does). On a loaded machine wall
// time runs far above CPU time: both are printed, the verdict is on wall time.
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAX_OUTPUT_LINES } from '../src/evidence/evidence-budget.js';
import { EVIDENCE_FILES } from '../src/evidence/types.js';
import { MAX_INPUT_BYTES } from '../src/shared/read-input-file.js';
import { hugeEvidence, type EvidenceKind } from '../test/support/huge-evidence.js';
import { GNU_TIME, isExecutable } from './lib/measure.js';

const TARGET_LOAD_MS = 2000;
const RSS_BASE_MB = 80;
const RSS_PER_INPUT = 8;

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const LOADER = fileURLToPath(new URL('./lib/load-bundle-once.ts', import.meta.url));

interface Timed {
  readonly wallMs: number;
  readonly cpuMs: number;
  /** What the load gave: `N rows`, or the error's first line. */
  readonly outcome: string;
}

/** Loads the bundle once in a fresh process (cold, as a CLI run does), timed in that process. */
function loadOnce(dir: string): Timed {
  const result = spawnSync(process.execPath, ['--import', 'tsx', LOADER, dir], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`loading ${dir} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout) as Timed;
}

// The report of a 16 MiB bundle is megabytes: past spawnSync's default 1 MiB the child is killed.
const SPAWN_OPTIONS = { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 } as const;

/** The CLI on the bundle, under GNU time: exit code, first stderr line, peak RSS in MB. */
async function cliOnce(dir: string): Promise<{ code: number | null; says: string; rssMb: number | null }> {
  const rssFile = join(dir, '..', `${dir.split('/').pop() ?? 'x'}.rss`);
  const argv = [CLI, 'check', '127.0.0.1', '--http', '8080', '--offline', '--no-interactive'].concat([
    '-f',
    'json',
    '--evidence',
    dir,
  ]);
  const withTime = isExecutable(GNU_TIME);
  const result = withTime
    ? spawnSync(GNU_TIME, ['-o', rssFile, '-f', '%M', process.execPath, ...argv], SPAWN_OPTIONS)
    : spawnSync(process.execPath, argv, SPAWN_OPTIONS);
  const kilobytes = withTime ? Number((await readFile(rssFile, 'utf8')).trim().split('\n').pop()) : NaN;
  return {
    code: result.status,
    says: result.stderr.trim().split('\n')[0] ?? '',
    rssMb: Number.isFinite(kilobytes) ? kilobytes / 1024 : null,
  };
}

function optionText(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<number> {
  const kinds = (optionText('--kinds')?.split(',') ?? Object.keys(EVIDENCE_FILES)) as EvidenceKind[];
  const withCli = !process.argv.includes('--no-cli');
  const root = await mkdtemp(join(tmpdir(), 'portflight-bench-budgets-'));
  let failed = 0;
  const report = (ok: boolean, line: string) => {
    if (!ok) failed += 1;
    console.log(`${ok ? 'PASS' : 'FAIL'}: ${line}`);
  };
  try {
    /** refused: whether the file must be refused (true), or may be either way (null). */
    const cases: { name: string; kind: EvidenceKind; text: () => string; refused: boolean | null }[] = [
      ...kinds.map((kind) => ({
        name: `${kind} at the size limit`,
        kind,
        text: () => hugeEvidence(kind, MAX_INPUT_BYTES - 4096),
        // Some kinds pass their row budget well before the size limit (a listen list of a million
        // addresses): refused at that row, in linear time too.
        refused: null,
      })),
      {
        name: 'netstat one byte over the size limit',
        kind: 'netstat',
        text: () => hugeEvidence('netstat', MAX_INPUT_BYTES - 4096).padEnd(MAX_INPUT_BYTES + 1, ' '),
        refused: true,
      },
      {
        name: `sslcert of ${MAX_OUTPUT_LINES + 1} blank lines`,
        kind: 'sslcert',
        text: () => '\n'.repeat(MAX_OUTPUT_LINES),
        refused: true,
      },
    ];
    for (const entry of cases) {
      const dir = join(root, entry.name.replace(/\W+/g, '-'));
      await mkdir(dir);
      const text = entry.text();
      await writeFile(join(dir, EVIDENCE_FILES[entry.kind]), text);
      const bytes = Buffer.byteLength(text);
      const load = loadOnce(dir);
      const refused = load.outcome.startsWith('InputError');
      const refusedAsExpected = entry.refused === null || entry.refused === refused;
      report(
        load.wallMs <= TARGET_LOAD_MS && refusedAsExpected,
        `${entry.name} (${(bytes / 1024 / 1024).toFixed(1)} MiB): load ${load.wallMs.toFixed(0)} ms wall, ` +
          `${load.cpuMs.toFixed(0)} ms CPU (target ≤ ${TARGET_LOAD_MS} ms): ${load.outcome}`,
      );
      if (withCli) {
        const run = await cliOnce(dir);
        const rssTarget = RSS_BASE_MB + (RSS_PER_INPUT * bytes) / 1024 / 1024;
        // The CLI agrees with the load: 65 for a refused file, a verdict's code otherwise.
        const codeOk = refused ? run.code === 65 : run.code !== null && run.code < 64;
        report(
          codeOk && (run.rssMb === null || run.rssMb <= rssTarget),
          `${entry.name}: CLI exit ${run.code}, peak RSS ${run.rssMb?.toFixed(0) ?? '?'} MB ` +
            `(target ≤ ${rssTarget.toFixed(0)} MB)${refused ? `: ${run.says}` : ''}`,
        );
      }
      await rm(dir, { recursive: true, force: true });
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  console.log(failed === 0 ? 'PASS: every evidence budget' : `FAIL: ${failed} target(s) missed`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();

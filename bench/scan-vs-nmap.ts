// Benchmark: `portflight check` against `nmap -sT` on the same 240 hosts × 6 ports, in network
// namespaces (root, ip, nft; nmap and GNU time optional). Prints wall times, their ratio,
// portflight's peak RSS and per-probe state agreement, one PASS/FAIL line per target; exits 1 when
// a target is missed, 2 when the bench itself could not run.
//
//   tsx bench/scan-vs-nmap.ts [--cli dist/cli/main.js] [--hosts 240] [--repeat 1] [--no-nmap]
//                             [portflight flags…]
//   e.g. npm run bench -- --timeout 300 --concurrency 256
//
// Unknown flags go to `portflight check` after the bench's own (commander: the last one wins).
// With --repeat N both tools run N times, alternating; the ratio uses the median wall times, the
// RSS target the highest peak, and states must agree in every run (nmap's own timing varies).
// The network is described in lib/bench-network.ts; it is torn down on exit, error or Ctrl-C.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { netnsUnavailableReason } from '../test/net/require-root.js';
import { BENCH_PORTS, createBenchNetwork, type BenchNetwork } from './lib/bench-network.js';
import { GNU_TIME, isExecutable, measure, type Measured } from './lib/measure.js';
import { parseNmapXml, type StateMap } from './lib/nmap-xml.js';

const TARGET_RATIO = 0.25;
const TARGET_RSS_MB = 100;
const RUN_TIMEOUT_MS = 10 * 60_000;
const SHOWN_MISMATCHES = 8;
const NMAP = '/usr/bin/nmap';

interface Options {
  cli: string;
  hosts: number;
  nmap: boolean;
  repeat: number;
  /** Keep path localisation, ICMP echo and HTTP/TLS probes on (default: connect probes only). */
  allProbes: boolean;
  forwarded: string[];
}

function parseOptions(argv: readonly string[]): Options {
  const options: Options = {
    cli: fileURLToPath(new URL('../dist/cli/main.js', import.meta.url)),
    hosts: 240,
    nmap: true,
    repeat: 1,
    allProbes: false,
    forwarded: [],
  };
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] ?? '';
    if (arg === '--cli') options.cli = argv[++index] ?? '';
    else if (arg === '--hosts') options.hosts = Number(argv[++index]);
    else if (arg === '--no-nmap') options.nmap = false;
    else if (arg === '--repeat') options.repeat = Number(argv[++index]);
    else if (arg === '--all-probes') options.allProbes = true;
    else options.forwarded.push(arg);
  }
  if (!Number.isInteger(options.repeat) || options.repeat < 1) throw new Error('--repeat: a count ≥ 1');
  return options;
}

interface Verdict {
  readonly ok: boolean | null; // null: not measured
  readonly line: string;
}

const target = (name: string, ok: boolean | null, detail: string): Verdict => ({
  ok,
  line: `${ok === null ? 'SKIP' : ok ? 'PASS' : 'FAIL'}  ${name}: ${detail}`,
});

function compare(name: string, actual: StateMap, reference: ReadonlyMap<string, string>): Verdict {
  const mismatches: string[] = [];
  for (const [key, want] of reference) {
    const got = actual.get(key) ?? 'missing';
    if (got !== want) mismatches.push(`${key}: ${got} (expected ${want})`);
  }
  for (const key of actual.keys()) if (!reference.has(key)) mismatches.push(`${key}: unexpected`);
  const shown = mismatches.slice(0, SHOWN_MISMATCHES).map((line) => `\n        ${line}`);
  const more =
    mismatches.length > SHOWN_MISMATCHES ? `\n        … ${mismatches.length - SHOWN_MISMATCHES} more` : '';
  return target(
    name,
    mismatches.length === 0,
    `${mismatches.length} mismatches in ${reference.size} probes${shown.join('')}${more}`,
  );
}

function tally(states: StateMap): string {
  const counts = new Map<string, number>();
  for (const state of states.values()) counts.set(state, (counts.get(state) ?? 0) + 1);
  return [...counts].map(([state, count]) => `${state} ${count}`).join(', ');
}

/** Measured, states, and the report's own durationMs (the scan, without Node's start-up). */
type PortflightRun = [Measured, StateMap, number];

async function runPortflight(network: BenchNetwork, options: Options): Promise<PortflightRun> {
  const argv = [
    process.execPath,
    options.cli,
    'check',
    ...network.addresses,
    '--ports',
    BENCH_PORTS.join(','),
    '--format',
    'json',
    // nmap -sT does connect probes only: compare like with like (path, ICMP and HTTP probes are extra work).
    ...(options.allProbes ? [] : ['--no-path', '--no-icmp', '--no-app']),
    ...options.forwarded,
  ];
  const measured = await measure(network.topology, 'client', argv, RUN_TIMEOUT_MS);
  let probes: readonly { address: string | null; port: number; state: string }[];
  let scanMs: number;
  try {
    const report = JSON.parse(measured.result.stdout) as { durationMs: number; probes: typeof probes };
    probes = report.probes;
    scanMs = report.durationMs;
  } catch {
    const { code, stderr } = measured.result;
    throw new Error(`portflight exited ${code} without a JSON report:\n${stderr.slice(-2000)}`);
  }
  return [measured, new Map(probes.map((probe) => [`${probe.address}/${probe.port}`, probe.state])), scanMs];
}

async function runNmap(network: BenchNetwork): Promise<[Measured, StateMap]> {
  const ports = BENCH_PORTS.join(',');
  const argv = [NMAP, '-sT', '-T4', '-n', '-Pn', '-p', ports, '-oX', '-', ...network.addresses];
  const measured = await measure(network.topology, 'client', argv, RUN_TIMEOUT_MS);
  if (measured.result.code !== 0) {
    throw new Error(`nmap exited ${measured.result.code}:\n${measured.result.stderr.slice(-2000)}`);
  }
  return [measured, parseNmapXml(measured.result.stdout, BENCH_PORTS)];
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const megabytes = (mb: number | null) => (mb === null ? 'n/a' : `${mb.toFixed(1)} MB`);

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

/** The first run whose states disagree, or the last run when every one agrees. */
function compareRuns(name: string, runs: readonly [StateMap, ReadonlyMap<string, string>][]): Verdict {
  const verdicts = runs.map(([actual, reference], index) =>
    compare(runs.length > 1 ? `${name} (run ${index + 1})` : name, actual, reference),
  );
  return verdicts.find((verdict) => verdict.ok === false) ?? (verdicts.at(-1) as Verdict);
}

async function bench(network: BenchNetwork, options: Options): Promise<Verdict[]> {
  const forwarded = options.forwarded.length > 0 ? ` ${options.forwarded.join(' ')}` : '';
  const count = network.addresses.length;
  const ports = BENCH_PORTS.join(',');
  const withNmap = options.nmap && isExecutable(NMAP);
  if (!options.nmap) console.log('nmap: skipped (--no-nmap)');
  else if (!withNmap) console.log(`nmap: not installed (${NMAP}); install the apt package nmap to compare`);

  // Alternating the tools in each round spreads any drift of the machine over both.
  const pfRuns: PortflightRun[] = [];
  const nmapRuns: [Measured, StateMap][] = [];
  for (let round = 1; round <= options.repeat; round += 1) {
    const pf = await runPortflight(network, options);
    pfRuns.push(pf);
    console.log(
      `round ${round}: portflight check <${count} addresses> --ports ${ports}${forwarded}\n` +
        `  wall ${seconds(pf[0].wallMs)} (report durationMs ${pf[2]}), peak RSS ${megabytes(pf[0].peakRssMb)}, exit ${pf[0].result.code}, states: ${tally(pf[1])}`,
    );
    if (!withNmap) continue;
    const nmap = await runNmap(network);
    nmapRuns.push(nmap);
    console.log(
      `round ${round}: nmap -sT -T4 -n -Pn -p ${ports} <${count} addresses>\n` +
        `  wall ${seconds(nmap[0].wallMs)}, peak RSS ${megabytes(nmap[0].peakRssMb)}, states: ${tally(nmap[1])}`,
    );
  }

  const pfWall = median(pfRuns.map(([measured]) => measured.wallMs));
  const rss = pfRuns.map(([measured]) => measured.peakRssMb);
  const pfRss = rss.includes(null) ? null : Math.max(...(rss as number[]));
  console.log(`\nportflight: median wall ${seconds(pfWall)}, peak RSS ${megabytes(pfRss)}`);
  const verdicts = [
    compareRuns(
      'states, portflight vs network design',
      pfRuns.map(([, states]) => [states, network.expected]),
    ),
  ];
  if (withNmap) {
    const nmapWall = median(nmapRuns.map(([measured]) => measured.wallMs));
    const ratio = pfWall / nmapWall;
    console.log(`nmap:       median wall ${seconds(nmapWall)}\nratio portflight/nmap: ${ratio.toFixed(3)}`);
    verdicts.push(
      compareRuns(
        'states, portflight vs nmap',
        pfRuns.map(([, states], index) => [states, nmapRuns[index]?.[1] ?? new Map()]),
      ),
      // When nmap disagrees with the design too, the network (not portflight) is what is off.
      compareRuns(
        'states, nmap vs network design (bench sanity)',
        nmapRuns.map(([, states]) => [states, network.expected]),
      ),
      target(`speed, wall time portflight/nmap ≤ ${TARGET_RATIO}`, ratio <= TARGET_RATIO, ratio.toFixed(3)),
    );
  } else {
    verdicts.push(target('states, portflight vs nmap', null, 'nmap did not run'));
    verdicts.push(target(`speed, portflight/nmap ≤ ${TARGET_RATIO}`, null, 'nmap did not run'));
  }
  const memory = `memory, peak RSS < ${TARGET_RSS_MB} MB`;
  verdicts.push(
    pfRss === null
      ? target(memory, null, `${GNU_TIME} missing (apt package time)`)
      : target(memory, pfRss < TARGET_RSS_MB, megabytes(pfRss)),
  );
  return verdicts;
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const unavailable = netnsUnavailableReason();
  if (unavailable !== undefined) {
    console.error(`bench: ${unavailable}`);
    return 2;
  }
  if (!existsSync(options.cli)) {
    console.error(`bench: ${options.cli} not found: build the CLI first (npx tsc -p tsconfig.build.json)`);
    return 2;
  }
  const network = await createBenchNetwork(options.hosts);
  const onSignal = () => void network.topology.destroy().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const verdicts = await bench(network, options);
    console.log('');
    for (const verdict of verdicts) console.log(verdict.line);
    return verdicts.some((verdict) => verdict.ok === false) ? 1 : 0;
  } finally {
    await network.topology.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);

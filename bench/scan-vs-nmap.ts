// Benchmark: `portflight check` against `nmap -sT -T4` on the same hosts × 6 ports, in network
// namespaces (root, ip, nft; nmap and GNU time optional), with the routers' ICMP rate limits left at
// the kernel's defaults. Each round runs, in this order and all on the same network:
//   portflight in its default mode (path localisation, ICMP echo and HTTP/TLS probes on),
//   portflight connect-only (--no-path --no-icmp --no-app, nmap -sT's equivalent),
//   nmap -sT -T4 -n -Pn.
// Each default-mode run starts at least 6.5 s after the previous one, so that it meets rested
// routers (ROUTERS_REST_MS says why).
// The summary leads with the default mode's wall time and its ratio to nmap (target ≤ 0.25), then
// connect-only's ratio (≤ 0.15) and peak RSS per mode (< 100 MB up to 240 hosts, < 150 MB above);
// then how well the default mode located each firewalled probe (probed / inferred / unknown, right
// / wrong, against the firewall's address), and how much ICMP each router sent and suppressed by
// rate limiting. One PASS/FAIL line per target; exit 1 when a target is missed, 2 when the bench
// itself could not run.
//
//   tsx bench/scan-vs-nmap.ts [--cli dist/cli/main.js] [--hosts 240] [--repeat 1] [--no-nmap] [--keep-env]
//                             [portflight flags…]
//   e.g. npm run bench -- --hosts 1000 --repeat 3
//
// Unknown flags go to `portflight check` in both modes, after the bench's own (commander: the last
// one wins). With --repeat N every tool runs N times, alternating; ratios use the median wall
// times, RSS targets the highest peak, and states and localisation must be right in every run.
// The network is described in lib/bench-network.ts; it is torn down on exit, error or signal.
// NODE_EXTRA_CA_CERTS is unset for every measured run (lib/node-env.ts says why), unless --keep-env.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { netnsUnavailableReason } from '../test/net/require-root.js';
import { BENCH_PORTS, MAX_BENCH_HOSTS, createBenchNetwork, type BenchNetwork } from './lib/bench-network.js';
import {
  describeIcmpDelta,
  nonDefaultIcmpLimits,
  readAllIcmpCounters,
  type IcmpCounters,
} from './lib/icmp-counters.js';
import {
  failingExamples,
  formatLocalisation,
  localisationOk,
  tallyLocalisation,
  type LocalisationTally,
} from './lib/localisation.js';
import { GNU_TIME, isExecutable, killMeasured, measure, type Measured } from './lib/measure.js';
import { dropStartupTax } from './lib/node-env.js';
import { parseNmapXml, type StateMap } from './lib/nmap-xml.js';
import { parsePortflightReport, statesOf, type PortflightReport } from './lib/portflight-report.js';
import {
  compareRuns,
  median,
  megabytes,
  peak,
  runLabel,
  seconds,
  shownList,
  tally,
  target,
  type Verdict,
} from './lib/verdicts.js';

const SMALL_BENCH_HOSTS = 240;
const TARGET_RSS_MB_SMALL = 100;
const TARGET_RSS_MB_LARGE = 150;
const RUN_TIMEOUT_MS = 10 * 60_000;
const NMAP = '/usr/bin/nmap';
const NMAP_FLAGS = ['-sT', '-T4', '-n', '-Pn'] as const;
/**
 * A default-mode run starts at least this long after the previous one ended: Linux gives a router's
 * ICMP bucket back 1 message a second, up to 6, so each run meets rested routers, as a scan that is
 * not back-to-back with another does. (Back to back, localisation waits for the budget it needs
 * instead of guessing: about a second more.) The other tools cost the routers no ICMP.
 */
const ROUTERS_REST_MS = 6500;

interface Mode {
  readonly name: string;
  readonly description: string;
  readonly flags: readonly string[];
  readonly targetRatio: number;
}

const DEFAULT_MODE: Mode = {
  name: 'default mode',
  description: 'path localisation, ICMP echo, app probes',
  flags: [],
  targetRatio: 0.25,
};
const CONNECT_ONLY: Mode = {
  name: 'connect-only',
  description: '--no-path --no-icmp --no-app',
  flags: ['--no-path', '--no-icmp', '--no-app'],
  targetRatio: 0.15,
};
const MODES = [DEFAULT_MODE, CONNECT_ONLY] as const;

interface Options {
  cli: string;
  hosts: number;
  nmap: boolean;
  repeat: number;
  forwarded: string[];
}

function parseOptions(argv: readonly string[]): Options {
  const options: Options = {
    cli: fileURLToPath(new URL('../dist/cli/main.js', import.meta.url)),
    hosts: SMALL_BENCH_HOSTS,
    nmap: true,
    repeat: 1,
    forwarded: [],
  };
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] ?? '';
    if (arg === '--cli') options.cli = argv[++index] ?? '';
    else if (arg === '--hosts') options.hosts = Number(argv[++index]);
    else if (arg === '--no-nmap') options.nmap = false;
    else if (arg === '--repeat') options.repeat = Number(argv[++index]);
    else if (arg === '--keep-env') continue;
    else if (arg === '--all-probes')
      throw new Error('--all-probes is gone: every round now runs the default mode and connect-only');
    else options.forwarded.push(arg);
  }
  if (!Number.isInteger(options.repeat) || options.repeat < 1) throw new Error('--repeat: a count ≥ 1');
  if (!Number.isInteger(options.hosts) || options.hosts < 1 || options.hosts > MAX_BENCH_HOSTS)
    throw new Error(`--hosts: 1 to ${MAX_BENCH_HOSTS}`);
  return options;
}

interface PortflightRun {
  readonly measured: Measured;
  /** Null when portflight printed no usable JSON report; `failure` then says why. */
  readonly report: PortflightReport | null;
  readonly failure?: string;
  readonly states: StateMap;
}

interface DefaultRun extends PortflightRun {
  readonly localisation: LocalisationTally;
  readonly icmpBefore: ReadonlyMap<string, IcmpCounters>;
  readonly icmpAfter: ReadonlyMap<string, IcmpCounters>;
}

/**
 * portflight as users run it: the executable itself, through its launcher line (`#!/usr/bin/env
 * node`, with any Node flags it carries), not `node dist/cli/main.js`, which would skip those flags.
 */
function portflightArgv(network: BenchNetwork, options: Options, mode: Mode): string[] {
  return [
    options.cli,
    'check',
    ...network.addresses,
    '--ports',
    BENCH_PORTS.join(','),
    '--format',
    'json',
    ...mode.flags,
    ...options.forwarded,
  ];
}

async function runPortflight(network: BenchNetwork, options: Options, mode: Mode): Promise<PortflightRun> {
  const measured = await measure(
    network.topology,
    'client',
    portflightArgv(network, options, mode),
    RUN_TIMEOUT_MS,
  );
  try {
    const report = parsePortflightReport(measured.result.stdout);
    return { measured, report, states: statesOf(report) };
  } catch (error) {
    const { code, signal, stderr } = measured.result;
    const why = error instanceof Error ? error.message : String(error);
    const failure = `exited ${code ?? signal} without a JSON report (${why}):\n${stderr.slice(-2000)}`;
    return { measured, report: null, failure, states: new Map() };
  }
}

async function runNmap(network: BenchNetwork): Promise<[Measured, StateMap]> {
  const ports = BENCH_PORTS.join(',');
  const argv = [NMAP, ...NMAP_FLAGS, '-p', ports, '-oX', '-', ...network.addresses];
  const measured = await measure(network.topology, 'client', argv, RUN_TIMEOUT_MS);
  if (measured.result.code !== 0) {
    throw new Error(`nmap exited ${measured.result.code}:\n${measured.result.stderr.slice(-2000)}`);
  }
  return [measured, parseNmapXml(measured.result.stdout, BENCH_PORTS)];
}

function describeRun(run: PortflightRun): string {
  const { measured, report, failure } = run;
  const duration = report?.durationMs == null ? '' : ` (report durationMs ${report.durationMs})`;
  const states = failure === undefined ? `states: ${tally(run.states)}` : `no report: ${failure}`;
  return (
    `  wall ${seconds(measured.wallMs)}${duration}, peak RSS ${megabytes(measured.peakRssMb)}, ` +
    `exit ${measured.result.code ?? measured.result.signal}, ${states}`
  );
}

/** The run a verdict is about: the first that fails it (and its index), or the last (null) when all pass. */
function worstRun<T>(runs: readonly T[], ok: (run: T) => boolean): [T, number | null] {
  const index = runs.findIndex((run) => !ok(run));
  return index === -1 ? [runs.at(-1) as T, null] : [runs[index] as T, index];
}

/** Sums each router's counter deltas over the default-mode runs. */
function summedIcmp(runs: readonly DefaultRun[]): [Map<string, IcmpCounters>, Map<string, IcmpCounters>] {
  const zero = new Map<string, IcmpCounters>();
  const total = new Map<string, Map<string, number>>();
  for (const run of runs) {
    for (const [node, after] of run.icmpAfter) {
      const before = run.icmpBefore.get(node);
      const sums = total.get(node) ?? new Map<string, number>();
      for (const [name, value] of after)
        sums.set(name, (sums.get(name) ?? 0) + value - (before?.get(name) ?? 0));
      total.set(node, sums);
      zero.set(node, new Map([...after.keys()].map((name) => [name, 0])));
    }
  }
  return [zero, total];
}

async function bench(network: BenchNetwork, options: Options): Promise<Verdict[]> {
  const { topology, routers } = network;
  const forwarded = options.forwarded.length > 0 ? ` ${options.forwarded.join(' ')}` : '';
  const count = network.addresses.length;
  const ports = BENCH_PORTS.join(',');
  const withNmap = options.nmap && isExecutable(NMAP);
  const rssTarget = count <= SMALL_BENCH_HOSTS ? TARGET_RSS_MB_SMALL : TARGET_RSS_MB_LARGE;
  console.log(
    `network: client → ${routers.join(' → ')} → server, ${count} addresses ` +
      `(${network.addresses[0]}–${network.addresses.at(-1)}) × ${BENCH_PORTS.length} ports; ` +
      `every filtered probe is dropped at fw (${network.blocker})`,
  );
  // Every tool this bench starts inherits the environment (lib/measure.ts).
  const tax = dropStartupTax(process.env, process.argv);
  if (tax) console.log(`environment: ${tax}`);
  if (!options.nmap) console.log('nmap: skipped (--no-nmap)');
  else if (!withNmap) console.log(`nmap: not installed (${NMAP}); install the apt package nmap to compare`);
  const limitsBefore = await nonDefaultIcmpLimits(topology, routers, 'client');
  if (options.repeat > 1)
    console.log(
      `routers: each default-mode run starts ${ROUTERS_REST_MS / 1000} s or more after the previous one`,
    );

  // Alternating the tools in each round spreads any drift of the machine over all of them.
  const defaultRuns: DefaultRun[] = [];
  const connectRuns: PortflightRun[] = [];
  const nmapRuns: [Measured, StateMap][] = [];
  let lastDefaultEnd = -Infinity;
  for (let round = 1; round <= options.repeat; round += 1) {
    const rest = lastDefaultEnd + ROUTERS_REST_MS - performance.now();
    if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
    const icmpBefore = await readAllIcmpCounters(topology, routers);
    const run = await runPortflight(network, options, DEFAULT_MODE);
    lastDefaultEnd = performance.now();
    const icmpAfter = await readAllIcmpCounters(topology, routers);
    const localisation = tallyLocalisation(
      network.expected,
      run.report?.probes ?? new Map(),
      network.blocker,
    );
    defaultRuns.push({ ...run, localisation, icmpBefore, icmpAfter });
    console.log(
      `round ${round}, ${DEFAULT_MODE.name}: portflight check <${count} addresses> --ports ${ports} --format json${forwarded}\n` +
        `${describeRun(run)}\n` +
        `  localisation: ${formatLocalisation(localisation)}\n` +
        describeIcmpDelta(topology, icmpBefore, icmpAfter)
          .map((line) => `  ICMP ${line}`)
          .join('\n'),
    );

    const connect = await runPortflight(network, options, CONNECT_ONLY);
    connectRuns.push(connect);
    console.log(
      `round ${round}, ${CONNECT_ONLY.name}: portflight check <${count} addresses> --ports ${ports} --format json ${CONNECT_ONLY.flags.join(' ')}${forwarded}\n` +
        describeRun(connect),
    );

    if (!withNmap) continue;
    const nmap = await runNmap(network);
    nmapRuns.push(nmap);
    console.log(
      `round ${round}, nmap: nmap ${NMAP_FLAGS.join(' ')} -p ${ports} <${count} addresses>\n` +
        `  wall ${seconds(nmap[0].wallMs)}, peak RSS ${megabytes(nmap[0].peakRssMb)}, states: ${tally(nmap[1])}`,
    );
  }
  const limitsAfter = await nonDefaultIcmpLimits(topology, routers, 'client');

  // Headline: the default mode first.
  const nmapWall = withNmap ? median(nmapRuns.map(([measured]) => measured.wallMs)) : null;
  const runsOf = (mode: Mode): readonly PortflightRun[] =>
    mode === DEFAULT_MODE ? defaultRuns : connectRuns;
  const speed: Verdict[] = [];
  const memory: Verdict[] = [];
  const rssParts: string[] = [];
  console.log('');
  for (const mode of MODES) {
    const runs = runsOf(mode);
    const wall = median(runs.map((run) => run.measured.wallMs));
    const failed = runs.filter((run) => run.report === null).length;
    const ratio = nmapWall === null ? null : wall / nmapWall;
    const versus =
      ratio === null ? 'no nmap to compare' : `${ratio.toFixed(3)} × nmap (target ≤ ${mode.targetRatio})`;
    console.log(`${mode.name} (${mode.description}): median wall ${seconds(wall)}, ${versus}`);
    const noReport = failed > 0 ? `; ${failed} of ${runs.length} runs gave no report` : '';
    const speedName = `speed, ${mode.name} wall / nmap ≤ ${mode.targetRatio}`;
    speed.push(
      ratio === null
        ? target(speedName, null, 'nmap did not run')
        : target(speedName, failed === 0 && ratio <= mode.targetRatio, `${ratio.toFixed(3)}${noReport}`),
    );
    const rss = peak(runs.map((run) => run.measured.peakRssMb));
    rssParts.push(`${mode.name} ${megabytes(rss)}`);
    const memoryName = `memory, ${mode.name} peak RSS < ${rssTarget} MB`;
    memory.push(
      rss === null
        ? target(memoryName, null, `${GNU_TIME} missing (apt package time)`)
        : target(memoryName, failed === 0 && rss < rssTarget, `${megabytes(rss)}${noReport}`),
    );
  }
  if (nmapWall !== null) console.log(`nmap ${NMAP_FLAGS.join(' ')}: median wall ${seconds(nmapWall)}`);
  const nmapRss = withNmap
    ? `; nmap ${megabytes(peak(nmapRuns.map(([measured]) => measured.peakRssMb)))}`
    : '';
  console.log(`peak RSS: ${rssParts.join(', ')} (target < ${rssTarget} MB)${nmapRss}`);

  const [located, locatedIndex] = worstRun(defaultRuns, (run) => localisationOk(run.localisation));
  const [clean, cleanIndex] = worstRun(defaultRuns, (run) => run.localisation.blockedWhereOpenOrClosed === 0);
  console.log(
    `localisation, ${DEFAULT_MODE.name}${runLabel(defaultRuns.length, locatedIndex)}: ${formatLocalisation(located.localisation)}`,
  );
  const [zero, sums] = summedIcmp(defaultRuns);
  const runsWord =
    defaultRuns.length > 1 ? `the ${defaultRuns.length} default-mode runs, summed` : 'the default-mode run';
  console.log(`ICMP the routers sent and suppressed during ${runsWord}:`);
  for (const line of describeIcmpDelta(topology, zero, sums)) console.log(`  ${line}`);

  const tallyOf = located.localisation;
  const localisationDetail =
    located.report === null
      ? `no report${runLabel(defaultRuns.length, locatedIndex)}`
      : formatLocalisation(tallyOf);
  const verdicts: Verdict[] = [
    ...speed,
    ...memory,
    target(
      `localisation, every blockedBy right${runLabel(defaultRuns.length, locatedIndex)}`,
      located.report !== null && localisationOk(tallyOf),
      `${localisationDetail}${shownList(...failingExamples(tallyOf))}`,
    ),
    target(
      `localisation, no blockedBy on open or closed probes${runLabel(defaultRuns.length, cleanIndex)}`,
      clean.report !== null && clean.localisation.blockedWhereOpenOrClosed === 0,
      `${clean.localisation.blockedWhereOpenOrClosed} of ${network.expected.size - clean.localisation.filtered}` +
        shownList(clean.localisation.blockedExamples, clean.localisation.blockedWhereOpenOrClosed),
    ),
  ];
  for (const mode of MODES) {
    verdicts.push(
      compareRuns(
        `states, ${mode.name} vs network design`,
        runsOf(mode).map((run) => [run.states, network.expected]),
      ),
    );
  }
  for (const mode of MODES) {
    verdicts.push(
      withNmap
        ? compareRuns(
            `states, ${mode.name} vs nmap`,
            runsOf(mode).map((run, index) => [run.states, nmapRuns[index]?.[1] ?? new Map()]),
          )
        : target(`states, ${mode.name} vs nmap`, null, 'nmap did not run'),
    );
  }
  // When nmap disagrees with the design too, the network (not portflight) is what is off.
  verdicts.push(
    withNmap
      ? compareRuns(
          'states, nmap vs network design (bench sanity)',
          nmapRuns.map(([, states]) => [states, network.expected]),
        )
      : target('states, nmap vs network design (bench sanity)', null, 'nmap did not run'),
  );
  const changed = [...new Set([...limitsBefore, ...limitsAfter])];
  verdicts.push(
    target(
      `routers keep the kernel's default ICMP rate limits (${routers.join(', ')})`,
      changed.length === 0,
      changed.length === 0
        ? 'every ICMP setting equals a fresh namespace’s (the client’s), before and after'
        : `changed:${shownList(changed)}`,
    ),
  );
  return verdicts;
}

const SIGNAL_EXIT: Readonly<Record<string, number>> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const unavailable = netnsUnavailableReason();
  if (unavailable !== undefined) {
    console.error(`bench: ${unavailable}`);
    return 2;
  }
  if (!existsSync(options.cli)) {
    console.error(`bench: ${options.cli} not found: build the CLI first (npm run build)`);
    return 2;
  }
  // On a signal: kill the measured tool, wait for the network to exist (if it is being built),
  // tear it down, exit. A second signal exits at once; topology.ts's exit hook still deletes the
  // namespaces, synchronously.
  const creating = createBenchNetwork(options.hosts);
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    const code = SIGNAL_EXIT[signal] ?? 130;
    if (stopping) process.exit(code);
    stopping = true;
    console.error(`\nbench: ${signal}: stopping, tearing the network down`);
    killMeasured();
    void (async () => {
      try {
        await (await creating).topology.destroy();
      } finally {
        process.exit(code);
      }
    })();
  };
  for (const signal of Object.keys(SIGNAL_EXIT) as NodeJS.Signals[]) process.on(signal, onSignal);
  const network = await creating;
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

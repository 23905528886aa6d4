import { Command, InvalidArgumentError, Option } from 'commander';
import { parsePortArgument, parsePortList } from '../plan/port-arguments.js';
import { DEFAULT_PROBE_SETTINGS } from '../plan/probe-defaults.js';
import type { ProbeFlagSettings } from '../plan/command-line-overrides.js';
import type { ReportFormat } from '../report/registry.js';
import type { DiffFormat } from '../report/render-diff.js';
import type { ScanPhase } from '../plan/scan-spec.js';
import { PORTFLIGHT_VERSION } from '../shared/version.js';
import { HELP_AFTER } from './help-text.js';

/**
 * The `--format` choices, written out so that parsing arguments (and `--version`) does not load the
 * renderers and the YAML library. The compiler keeps the list in step with report/registry.ts: every
 * entry must be a format there (`satisfies`), and every format there must be listed (`_everyFormatListed`).
 */
const FORMAT_CHOICES = [
  'yaml',
  'json',
  'markdown',
  'html',
  'junit',
] as const satisfies readonly ReportFormat[];
const _everyFormatListed: Exclude<ReportFormat, (typeof FORMAT_CHOICES)[number]> extends never
  ? true
  : never = true;
/** `--phase` and `diff --format` choices, kept in step the same way with plan/scan-spec.ts and report/render-diff.ts. */
const PHASE_CHOICES = ['preflight', 'verify'] as const satisfies readonly ScanPhase[];
const _everyPhaseListed: Exclude<ScanPhase, (typeof PHASE_CHOICES)[number]> extends never ? true : never =
  true;
const DIFF_FORMAT_CHOICES = ['text', 'json'] as const satisfies readonly DiffFormat[];
const _everyDiffFormatListed: Exclude<DiffFormat, (typeof DIFF_FORMAT_CHOICES)[number]> extends never
  ? true
  : never = true;

export interface OutputFlags {
  /** One or more formats (`--format yaml,html,junit`); several need `--output-dir`. */
  readonly format: readonly ReportFormat[];
  readonly output?: string;
  /** One file per format in this folder, named after the plan and the scan time. */
  readonly outputDir?: string;
  /** Ed25519 private key (PEM) to sign the reports with. */
  readonly signKey?: string;
}

/** `--rules DIR`, repeatable: an organisation's rule files, added to the built-in ones. */
export interface RulePackFlags {
  readonly rules: string[];
}

export interface RunFlags extends OutputFlags, RulePackFlags {
  /** --interactive / --no-interactive; undefined: interactive when stdout is a terminal (and not CI). */
  readonly interactive?: boolean;
  /** `--baseline REPORT`: an earlier report (before the change) the summary is compared with. */
  readonly baseline?: string;
}

/** check and scan: before the change (default) or after it. */
export interface PhaseFlags {
  readonly phase: ScanPhase;
}

export interface MergeFlags extends OutputFlags {
  readonly allowDifferentPlans?: boolean;
}

export interface DiffFlags {
  readonly format: DiffFormat;
}

/** What `check` and `scan` both take: probe settings over the defaults or the plan's, and evidence. */
export interface ProbeRunFlags extends RunFlags, PhaseFlags {
  /** Only the settings the command line named: a plan's own stay where no flag says otherwise. */
  readonly probe: ProbeFlagSettings;
  /** `--evidence DIR` or `HOST=DIR`, repeatable. */
  readonly evidence: string[];
  readonly offline?: boolean;
  /** `--responder-token-file`: responders answer on the hosts' new ports with this token. */
  readonly responderTokenFile?: string;
}

export interface CheckFlags extends ProbeRunFlags {
  readonly http?: number;
  readonly https?: number;
  readonly altHttp?: number;
  readonly altHttps?: number;
  readonly currentHttp?: number;
  readonly currentHttps?: number;
  readonly ports?: { protocol: 'tcp' | 'udp'; port: number }[];
  readonly customWebsite?: boolean;
}

export type ScanFlags = ProbeRunFlags;

export interface RulesListFlags extends RulePackFlags {
  readonly format: 'text' | 'json';
}

export interface ListenFlags {
  readonly ports: { protocol: 'tcp' | 'udp'; port: number }[];
  readonly for?: string;
  readonly tokenFile?: string;
  readonly bind: string[];
  readonly identity?: string;
}

/** What each command does once its flags are parsed; cli/main.ts supplies them. */
export interface CommandHandlers {
  check(hosts: string[], flags: CheckFlags): Promise<void>;
  scan(planPath: string, flags: ScanFlags): Promise<void>;
  collect(outputDir: string): Promise<void>;
  listen(flags: ListenFlags): Promise<void>;
  demo(flags: RunFlags): Promise<void>;
  rulesList(flags: RulesListFlags): Promise<void>;
  rulesExplain(id: string, flags: RulePackFlags): Promise<void>;
  merge(reports: string[], flags: MergeFlags): Promise<void>;
  diff(oldReport: string, newReport: string, flags: DiffFlags): Promise<void>;
  keygen(flags: { out: string }): Promise<void>;
  verify(report: string, flags: { publicKey?: string }): Promise<void>;
}

/** Probe flag → plan setting (`probe:` in a plan); the flags' own values are already numbers or booleans. */
const PROBE_SETTING_OF_FLAG = {
  timeout: 'timeoutMs',
  minTimeout: 'minTimeoutMs',
  retries: 'retries',
  concurrency: 'concurrency',
  rate: 'ratePerSecond',
  deadline: 'deadlineMs',
  hostDeadline: 'hostDeadlineMs',
  path: 'pathProbing',
  icmp: 'icmpEcho',
  app: 'appProbes',
  expectedIssuer: 'expectedTlsIssuer',
} as const satisfies Record<string, keyof ProbeFlagSettings>;

/** The probe settings the command line named (a `--no-path` default of true is not a choice). */
function probeFlagSettings(command: Command): ProbeFlagSettings {
  const settings: Record<string, unknown> = {};
  for (const [flag, setting] of Object.entries(PROBE_SETTING_OF_FLAG)) {
    if (command.getOptionValueSource(flag) === 'cli') settings[setting] = command.getOptionValue(flag);
  }
  return settings as ProbeFlagSettings;
}

/** Builds the argument parser. Commands only parse flags; the handlers hold the logic. */
export function buildProgram(handlers: CommandHandlers): Command {
  const program = new Command('portflight')
    .description('Preflight a ConfigMgr client port change: will the clients still get through?')
    .version(PORTFLIGHT_VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  const withRulePacks = (command: Command) =>
    command.option(
      '--rules <dir>',
      "an organisation's rule files (every *.yaml in DIR), added to the built-in rules; repeatable",
      collect,
    );
  // One home for how a report is written, for the commands that run a scan and for merge.
  const withReportOutput = (command: Command) =>
    command
      .addOption(
        new Option(
          '-f, --format <formats>',
          `report format, or several separated by commas (${FORMAT_CHOICES.join(', ')})`,
        )
          .argParser(formatList)
          .default(['yaml'], 'yaml'),
      )
      .option('-o, --output <file>', 'write the report to FILE (atomically) instead of stdout')
      .option(
        '--output-dir <dir>',
        'write one file per format to DIR (created if missing), named after the plan and scan time',
      )
      .option(
        '--sign-key <file>',
        'sign the reports with this Ed25519 private key (PEM, from portflight keygen)',
      );
  const withOutput = (command: Command) =>
    withReportOutput(withRulePacks(command))
      .option('--interactive', 'open the terminal UI even where CI variables are set (needs a terminal)')
      .option('--no-interactive', 'unattended: report on stdout or --output, even in a terminal')
      .option(
        '--baseline <report>',
        'an earlier report of the same plan (YAML or JSON): the summary says what changed since',
      );
  const withPhase = (command: Command) =>
    command.addOption(
      new Option(
        '--phase <phase>',
        'preflight: before the change; verify: after it (candidate ports must be open and the MP answer on them)',
      )
        .choices(PHASE_CHOICES)
        .default('preflight'),
    );

  const withProbeSettings = (command: Command, evidenceHelp: string) =>
    withPhase(withOutput(command))
      .option(
        '--timeout <ms>',
        `longest wait for an answer, ms (default ${DEFAULT_PROBE_SETTINGS.timeoutMs}; adaptive below it)`,
        integerArgument,
      )
      .option(
        '--min-timeout <ms>',
        `floor of the adaptive timeout, ms (default ${DEFAULT_PROBE_SETTINGS.minTimeoutMs})`,
        integerArgument,
      )
      .option(
        '--retries <n>',
        `retries of a TCP probe that met silence (default ${DEFAULT_PROBE_SETTINGS.retries})`,
        integerArgument,
      )
      .option(
        '--concurrency <n>',
        `probes in flight at once (default ${DEFAULT_PROBE_SETTINGS.concurrency})`,
        integerArgument,
      )
      .option(
        '--rate <n>',
        `probes started per second (default ${DEFAULT_PROBE_SETTINGS.ratePerSecond})`,
        integerArgument,
      )
      .option('--deadline <ms>', 'stop the whole scan after this long (report: incomplete)', integerArgument)
      .option('--host-deadline <ms>', 'stop probing one address after this long', integerArgument)
      .option('--no-path', 'skip TTL path localisation of blocked ports')
      .option('--no-icmp', 'skip ICMP echo')
      .option('--no-app', 'skip HTTP(S)/TLS probes of open request ports')
      .option(
        '--expected-issuer <name>',
        'issuer (CN or O) of the site certificates, to spot TLS interception',
      )
      .option('--evidence <dir>', evidenceHelp, collect)
      .option('--offline', 'send nothing: analyse the evidence only (the verdict is then never go)');
  /** The flags of a probing command, with the probe settings the command line named. */
  const probeRunFlags = <T extends object>(flags: T, command: Command) => ({
    ...flags,
    rules: (flags as { rules?: string[] }).rules ?? [],
    evidence: (flags as { evidence?: string[] }).evidence ?? [],
    probe: probeFlagSettings(command),
  });

  withProbeSettings(
    program
      .command('check')
      .description('probe hosts on the current and candidate client request ports (no plan needed)')
      .argument('[host...]', 'host names or IPv4/IPv6 addresses (the terminal UI asks when none is given)')
      .option('--http <port>', 'candidate HTTP client request port', portArgument('--http'))
      .option('--https <port>', 'candidate HTTPS client request port', portArgument('--https'))
      .option(
        '--alt-http <port>',
        'alternate HTTP port clients try after a failure',
        portArgument('--alt-http'),
      )
      .option('--alt-https <port>', 'alternate HTTPS port', portArgument('--alt-https'))
      .option('--current-http <port>', 'current HTTP port (default 80)', portArgument('--current-http'))
      .option('--current-https <port>', 'current HTTPS port (default 443)', portArgument('--current-https'))
      .option('--ports <list>', 'more ports: 8080,8000-8010,udp:9,tcp:10123', (value: string) =>
        parsePortList(value),
      )
      .option('--custom-website', 'ConfigMgr uses the custom website SMSWEB (not the Default Web Site)')
      .option(
        '--responder-token-file <file>',
        'prove the new ports end to end: `portflight listen` runs on the hosts with the token in FILE',
      ),
    'evidence bundle of the host (DIR, or HOST=DIR with several hosts); repeatable',
  ).action((hosts: string[], flags: CheckFlags, command: Command) =>
    handlers.check(hosts, probeRunFlags(flags, command)),
  );

  withProbeSettings(
    program
      .command('scan')
      .description('probe every site system of a change plan (YAML) on every current and candidate port')
      .argument('<plan>', 'plan file (YAML, see samples/plan.schema.json)')
      .option(
        '--responder-token-file <file>',
        "token of the responders on the plan's `responder: true` systems: prove their new ports end to end",
      ),
    "evidence bundle of a plan's system, over the plan's (HOST=DIR; DIR alone with one system); repeatable",
  ).action((planPath: string, flags: ScanFlags, command: Command) =>
    handlers.scan(planPath, probeRunFlags(flags, command)),
  );

  withReportOutput(
    program
      .command('merge')
      .description(
        'combine reports of one plan taken from several vantage points into one report and one verdict',
      )
      .argument('<report...>', 'reports (YAML or JSON) written by check or scan')
      .option(
        '--allow-different-plans',
        'merge runs of plans with different sha256 (the change and the ports probed must still match)',
      ),
  ).action((reports: string[], flags: MergeFlags) => handlers.merge(reports, flags));

  program
    .command('diff')
    .description(
      'what changed between two runs: probe states, blockedBy, findings, verdict (exit 1 if anything)',
    )
    .argument('<old>', 'the earlier report (YAML or JSON)')
    .argument('<new>', 'the later report')
    .addOption(
      new Option('-f, --format <format>', 'text for people, json for pipelines')
        .choices(DIFF_FORMAT_CHOICES)
        .default('text'),
    )
    .action((oldReport: string, newReport: string, flags: DiffFlags) =>
      handlers.diff(oldReport, newReport, flags),
    );

  program
    .command('collect')
    .description(
      'on a Windows site system with IIS (management point, distribution point, software update point, …): write its IIS/http.sys/port evidence bundle to a folder',
    )
    .requiredOption('-o, --output <dir>', 'folder to write the bundle to')
    .action((flags: { output: string }) => handlers.collect(flags.output));

  program
    .command('listen')
    .description(
      'on the site system, before the change: answer portflight probes on free ports with a proof (docs/responder.md)',
    )
    .requiredOption('--ports <list>', 'ports to answer on: 8080,8443,udp:9,udp:25536', (value: string) =>
      parsePortList(value),
    )
    .option('--for <duration>', 'stop after this long: 90s, 15m, 2h (default 15m, at most 4h)')
    .option('--token-file <file>', 'shared token (default: a new random token, written to a 0600 file)')
    .option(
      '--bind <address>',
      'local address to answer on (default: every address); repeatable',
      collect,
      [],
    )
    .option('--identity <name>', 'host identity the proofs carry (default: this host name)')
    .action((flags: ListenFlags) => handlers.listen(flags));

  withOutput(
    program
      .command('demo')
      .description(
        'run a scan of the demo plan (samples/demo) against demo listeners on this machine (loopback only)',
      ),
  ).action((flags: RunFlags) => handlers.demo({ ...flags, rules: flags.rules ?? [] }));

  program
    .command('keygen')
    .description('make an Ed25519 key pair for --sign-key: PREFIX.key (private, mode 0600) and PREFIX.pub')
    .requiredOption('--out <prefix>', 'path and name of the two files, without extension')
    .action((flags: { out: string }) => handlers.keygen(flags));

  program
    .command('verify')
    .description('check that a report (YAML, JSON, Markdown, HTML or JUnit) is unchanged, and its signature')
    .argument('<report>', 'report file written by portflight')
    .option('--public-key <file>', 'public key (PEM) the report must be signed with')
    .action((report: string, flags: { publicKey?: string }) => handlers.verify(report, flags));

  const rules = program.command('rules').description('list and explain the rules a scan applies');
  withRulePacks(
    rules
      .command('list')
      .description('list every rule: id, severity and title (and the file of rules from --rules)')
      .addOption(
        new Option('-f, --format <format>', 'text (fits 80 columns) or json (with each file)')
          .choices(['text', 'json'])
          .default('text'),
      ),
  ).action((flags: RulesListFlags) => handlers.rulesList({ ...flags, rules: flags.rules ?? [] }));
  withRulePacks(
    rules
      .command('explain')
      .description("show a rule's title, severity, description, references and file")
      .argument('<id>', 'rule id, e.g. CM-CLIENTS-MUST-REINSTALL'),
  ).action((id: string, flags: RulePackFlags) => handlers.rulesExplain(id, { rules: flags.rules ?? [] }));

  for (const command of withSubcommands(program)) {
    const help = HELP_AFTER[commandPath(command)];
    if (help !== undefined) command.addHelpText('after', `\n${help}`);
  }
  return program;
}

/** `yaml,html,junit`: each a known format, each once, in the order given. */
function formatList(value: string): ReportFormat[] {
  const names = value.split(',').map((name) => name.trim());
  const unknown = names.find((name) => !(FORMAT_CHOICES as readonly string[]).includes(name));
  if (unknown !== undefined)
    throw new InvalidArgumentError(`"${unknown}" is not a format (choose from ${FORMAT_CHOICES.join(', ')})`);
  return [...new Set(names as ReportFormat[])];
}

function withSubcommands(command: Command): Command[] {
  return [command, ...command.commands.flatMap(withSubcommands)];
}

/** `rules list` for the list subcommand, `portflight` for the root. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at?.parent; at = at.parent) names.unshift(at.name());
  return names.length === 0 ? command.name() : names.join(' ');
}

function portArgument(flag: string) {
  // A usage error of ours names the flag and value already: it passes commander (which would say
  // both again in front of it) to the top level, which prints it once (exit 64).
  return (value: string) => parsePortArgument(value, flag);
}

function integerArgument(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError('expected a whole number');
  return Number(value);
}

/** Repeatable options collect their values; no default, so the help shows none (`[]`). */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

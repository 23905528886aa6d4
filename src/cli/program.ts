import { Command, InvalidArgumentError, Option } from 'commander';
import { parsePortArgument, parsePortList } from '../plan/port-arguments.js';
import { DEFAULT_PROBE_SETTINGS } from '../plan/probe-defaults.js';
import type { ReportFormat } from '../report/registry.js';
import { UserError } from '../shared/errors.js';
import { PORTFLIGHT_VERSION } from '../shared/version.js';

/**
 * The `--format` choices, written out so that parsing arguments (and `--version`) does not load the
 * renderers and the YAML library. The compiler keeps the list in step with report/registry.ts: every
 * entry must be a format there (`satisfies`), and every format there must be listed (`_everyFormatListed`).
 */
const FORMAT_CHOICES = ['yaml', 'json'] as const satisfies readonly ReportFormat[];
const _everyFormatListed: Exclude<ReportFormat, (typeof FORMAT_CHOICES)[number]> extends never
  ? true
  : never = true;

export interface OutputFlags {
  readonly format: ReportFormat;
  readonly output?: string;
}

/** `--rules DIR`, repeatable: an organisation's rule files, added to the built-in ones. */
export interface RulePackFlags {
  readonly rules: string[];
}

export interface RunFlags extends OutputFlags, RulePackFlags {
  /** --interactive / --no-interactive; undefined: interactive when stdout is a terminal (and not CI). */
  readonly interactive?: boolean;
}

export interface CheckFlags extends RunFlags {
  readonly http?: number;
  readonly https?: number;
  readonly altHttp?: number;
  readonly altHttps?: number;
  readonly currentHttp?: number;
  readonly currentHttps?: number;
  readonly ports?: { protocol: 'tcp' | 'udp'; port: number }[];
  readonly timeout?: number;
  readonly minTimeout?: number;
  readonly retries?: number;
  readonly concurrency?: number;
  readonly rate?: number;
  readonly deadline?: number;
  readonly hostDeadline?: number;
  readonly path: boolean;
  readonly icmp: boolean;
  readonly app: boolean;
  readonly expectedIssuer?: string;
  readonly evidence?: string[];
  readonly customWebsite?: boolean;
  readonly offline?: boolean;
  readonly responderTokenFile?: string;
}

export interface ScanFlags extends RunFlags {
  readonly offline?: boolean;
  readonly responderTokenFile?: string;
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
  rulesList(flags: RulePackFlags): Promise<void>;
  rulesExplain(id: string, flags: RulePackFlags): Promise<void>;
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
      [],
    );
  const withOutput = (command: Command) =>
    withRulePacks(command)
      .addOption(new Option('-f, --format <format>', 'report format').choices(FORMAT_CHOICES).default('yaml'))
      .option('-o, --output <file>', 'write the report to FILE (atomically) instead of stdout')
      .option('--interactive', 'open the terminal UI even where CI variables are set (needs a terminal)')
      .option('--no-interactive', 'unattended: report on stdout or --output, even in a terminal');

  withOutput(
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
        wrap(() => parsePortList(value)),
      )
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
      .option(
        '--evidence <dir>',
        'evidence bundle of the host (DIR, or HOST=DIR with several hosts); repeatable',
        collect,
        [],
      )
      .option('--offline', 'send nothing: analyse the evidence only (the verdict is then never go)')
      .option('--custom-website', 'ConfigMgr uses the custom website SMSWEB (not the Default Web Site)')
      .option(
        '--responder-token-file <file>',
        'prove the new ports end to end: `portflight listen` runs on the hosts with the token in FILE',
      ),
  ).action((hosts: string[], flags: CheckFlags) => handlers.check(hosts, flags));

  withOutput(
    program
      .command('scan')
      .description('probe every site system of a change plan (YAML) on every current and candidate port')
      .argument('<plan>', 'plan file (YAML, see samples/plan.schema.json)')
      .option('--offline', 'send nothing: analyse the plan and its evidence bundles only')
      .option(
        '--responder-token-file <file>',
        "token of the responders on the plan's `responder: true` systems: prove their new ports end to end",
      ),
  ).action((planPath: string, flags: ScanFlags) => handlers.scan(planPath, flags));

  program
    .command('collect')
    .description('on the Windows site server: write its IIS/http.sys/port evidence bundle to a folder')
    .requiredOption('-o, --output <dir>', 'folder to write the bundle to')
    .action((flags: { output: string }) => handlers.collect(flags.output));

  program
    .command('listen')
    .description(
      'on the site system, before the change: answer portflight probes on free ports with a proof (docs/responder.md)',
    )
    .requiredOption('--ports <list>', 'ports to answer on: 8080,8443,udp:9,udp:25536', (value: string) =>
      wrap(() => parsePortList(value)),
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
        'run a scan of samples/demo/plan.yaml against demo listeners on this machine (loopback only)',
      ),
  ).action((flags: RunFlags) => handlers.demo(flags));

  const rules = program.command('rules').description('list and explain the rules a scan applies');
  withRulePacks(
    rules.command('list').description('list every rule: id, severity, title and the file it is in'),
  ).action((flags: RulePackFlags) => handlers.rulesList(flags));
  withRulePacks(
    rules
      .command('explain')
      .description("show a rule's title, severity, description, references and file")
      .argument('<id>', 'rule id, e.g. CM-CLIENTS-MUST-REINSTALL'),
  ).action((id: string, flags: RulePackFlags) => handlers.rulesExplain(id, flags));

  return program;
}

function portArgument(flag: string) {
  return (value: string) => wrap(() => parsePortArgument(value, flag));
}

function integerArgument(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError('expected a whole number');
  return Number(value);
}

/** Commander reports InvalidArgumentError as a usage error with the flag it belongs to. */
function wrap<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof UserError) throw new InvalidArgumentError(error.message);
    throw error;
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

import { ExitCode, type ExitCodeValue } from '../shared/exit-codes.js';

// What each command's --help ends with: examples to copy, the exit codes a script can rely on, and
// (on the root) the environment variables. Plain text, no colour; kept to 80 columns.

const EXIT_CODE_MEANING: Readonly<Record<ExitCodeValue, string>> = {
  [ExitCode.go]: 'GO',
  [ExitCode.conditional]: 'CONDITIONAL: go, once the findings are handled',
  [ExitCode.noGo]: 'NO-GO: a finding blocks the change',
  [ExitCode.incomplete]: 'INCOMPLETE: not everything could be found out',
  [ExitCode.reportChanged]: 'the report changed since it was sealed',
  [ExitCode.signatureInvalid]: 'not signed with that key (no signature, another key, or changed)',
  [ExitCode.usage]: 'usage error (unknown flag, missing argument)',
  [ExitCode.invalidInput]: 'invalid input: a plan, rule or evidence file (file:line:col)',
  [ExitCode.internal]: 'a bug in portflight: please report it, with what it printed',
  [ExitCode.ioError]: 'the report could not be written (disk full, read-only)',
};

const VERDICT_CODES: readonly ExitCodeValue[] = [
  ExitCode.go,
  ExitCode.conditional,
  ExitCode.noGo,
  ExitCode.incomplete,
  ExitCode.usage,
  ExitCode.invalidInput,
  ExitCode.internal,
  ExitCode.ioError,
];

function exitCodes(
  codes: readonly ExitCodeValue[],
  meaning: Partial<Record<ExitCodeValue, string>> = {},
): string {
  const lines = codes.map(
    (code) => `  ${String(code).padStart(2)}  ${meaning[code] ?? EXIT_CODE_MEANING[code]}`,
  );
  return `Exit codes:\n${lines.join('\n')}`;
}

function examples(lines: readonly string[]): string {
  return `Examples:\n${lines.map((line) => `  ${line}`).join('\n')}`;
}

/** Raw sockets: who may have them, said once for the commands that probe. */
const PRIVILEGES = [
  'Privileges:',
  '  Path localisation and ICMP echo need raw sockets. Linux: run as root, or',
  '  give the executable alone the capability (sudo setcap cap_net_raw+ep',
  '  ./portflight-linux-x64), or a service CAP_NET_RAW (systemd',
  '  AmbientCapabilities); never setcap node itself: every script would get it.',
  '  Windows: an elevated prompt, for ICMP echo (Windows refuses raw TCP).',
  '  Without them connect() probes still run, and the report says what was',
  '  skipped and why (vantage.privileges.skipped).',
].join('\n');

const ENVIRONMENT = [
  'Environment:',
  '  NO_COLOR=1              no colours (symbols carry the meaning)',
  '  CI=true                 unattended: the report on stdout or --output, never',
  '                          the terminal UI (as when stdout is not a terminal)',
  '  PORTFLIGHT_DEBUG=timing on stderr: whether the code cache was used, when each',
  '                          scan stage started (and the memory in use then), how',
  '                          long each stage after the scan took',
].join('\n');

/** The text after each command's own help, by command path (`rules list`). */
export const HELP_AFTER: Readonly<Record<string, string>> = {
  portflight: [
    examples([
      'portflight demo                 a scan of demo listeners on this machine',
      'portflight check mp01.corp.example --http 8080 --https 8443',
      'portflight scan plan.yaml -f json -o report.json',
      'portflight collect -o C:\\evidence\\mp01    on each IIS site system',
      'portflight rules list',
      'portflight COMMAND --help       the flags, examples and exit codes of one',
    ]),
    exitCodes(VERDICT_CODES),
    ENVIRONMENT,
  ].join('\n\n'),
  check: [
    examples([
      'portflight check mp01.corp.example --http 8080 --https 8443',
      'portflight check 198.18.2.2 --https 8443 --ports udp:9,10123 -f json -o r.json',
      'portflight check mp01 dp02 --http 8080 --evidence mp01=./evidence/mp01',
      'portflight check mp01 --http 8080 --evidence ./evidence/mp01 --offline',
      'portflight check                 (in a terminal: asks for hosts and ports)',
    ]),
    exitCodes(VERDICT_CODES),
    PRIVILEGES,
  ].join('\n\n'),
  scan: [
    examples([
      'portflight scan plan.yaml                        terminal UI in a terminal',
      'portflight scan plan.yaml -f json -o report.json --deadline 600000',
      'portflight scan plan.yaml --evidence mp01.corp.example=./evidence/mp01',
      'portflight scan plan.yaml --offline              the evidence only',
      'portflight scan plan.yaml --rules ./contoso-rules',
    ]),
    exitCodes(VERDICT_CODES),
    PRIVILEGES,
  ].join('\n\n'),
  collect: [
    examples([
      'portflight collect -o C:\\evidence\\mp01     (elevated prompt, on the server)',
      'portflight scan plan.yaml    with systems[].evidence: ./evidence/mp01',
    ]),
    exitCodes([ExitCode.go, ExitCode.incomplete, ExitCode.usage, ExitCode.internal], {
      [ExitCode.go]: 'the bundle was written (a command that failed is named on stderr)',
      [ExitCode.incomplete]: 'no file could be written',
      [ExitCode.usage]: 'usage error, or not on Windows',
    }),
  ].join('\n\n'),
  demo: [
    examples(['portflight demo', 'portflight demo -f json -o demo.json']),
    exitCodes([ExitCode.go, ExitCode.usage, ExitCode.invalidInput, ExitCode.internal, ExitCode.ioError], {
      [ExitCode.go]: 'the demo ran (stderr says what a real scan would exit)',
    }),
  ].join('\n\n'),
  rules: [
    examples(['portflight rules list', 'portflight rules explain CM-CLIENTS-MUST-REINSTALL']),
    exitCodes([ExitCode.go, ExitCode.usage, ExitCode.invalidInput, ExitCode.internal]),
  ].join('\n\n'),
  'rules list': [
    examples(['portflight rules list', 'portflight rules list --rules ./contoso-rules --format json']),
    exitCodes([ExitCode.go, ExitCode.usage, ExitCode.invalidInput, ExitCode.internal], {
      [ExitCode.invalidInput]: 'a rule file is invalid (file:line:col), or a --rules folder is empty',
    }),
  ].join('\n\n'),
  'rules explain': [
    examples([
      'portflight rules explain PF-UDP-SILENCE',
      'portflight rules explain org-port-range --rules ./contoso-rules',
    ]),
    exitCodes([ExitCode.go, ExitCode.usage, ExitCode.invalidInput, ExitCode.internal], {
      [ExitCode.usage]: 'no rule with that id (portflight rules list shows them)',
    }),
  ].join('\n\n'),
  merge: [
    examples([
      'portflight merge branch.json dmz.json vpn.yaml -o merged.yaml',
      'portflight merge *.json --format yaml,html --output-dir out/',
    ]),
    exitCodes(VERDICT_CODES, {
      [ExitCode.invalidInput]: 'a report is not one, is edited, or is of another plan or change',
    }),
  ].join('\n\n'),
  diff: [
    examples(['portflight diff before.json after.json', 'portflight diff before.json after.json -f json']),
    exitCodes(
      [ExitCode.unchanged, ExitCode.changed, ExitCode.usage, ExitCode.invalidInput, ExitCode.internal],
      {
        [ExitCode.unchanged]: 'nothing changed (probes, findings, verdict)',
        [ExitCode.changed]: 'something changed',
      },
    ),
  ].join('\n\n'),
  keygen: [
    examples([
      'portflight keygen --out cab',
      'portflight scan plan.yaml -f html -o change.html --sign-key cab.key',
    ]),
    exitCodes([ExitCode.go, ExitCode.usage, ExitCode.internal, ExitCode.ioError], {
      [ExitCode.go]: 'the key pair was written; its key id is on stdout',
      [ExitCode.usage]: 'usage error, or PREFIX.key or PREFIX.pub exists already',
    }),
  ].join('\n\n'),
  verify: [
    examples(['portflight verify change.html', 'portflight verify report.yaml --public-key cab.pub']),
    exitCodes(
      [
        ExitCode.go,
        ExitCode.reportChanged,
        ExitCode.signatureInvalid,
        ExitCode.usage,
        ExitCode.invalidInput,
        ExitCode.internal,
      ],
      {
        [ExitCode.go]: 'unchanged (and signed with that key, with --public-key)',
        [ExitCode.invalidInput]: 'not a portflight report, or a key that is not an Ed25519 PEM key',
      },
    ),
  ].join('\n\n'),
};

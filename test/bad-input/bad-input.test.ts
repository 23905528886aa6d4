// The bad-input suite: malformed and hostile inputs of every kind a user can hand portflight — plans,
// rule packs, evidence files, flags, output targets — each with the exit code and the message shape
// it must get. Nothing here may print a stack trace, report an internal error, hang, or exit with a
// code the README does not document. Files are generated into a temporary folder (the huge ones
// too), so the suite costs the repository nothing.
import { generateKeyPairSync } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

/** The README's exit codes. */
const DOCUMENTED = new Set([0, 1, 2, 3, 4, 5, 64, 65, 70, 74]);

const PLAN = (systems = '        - { host: mp01.corp.example, roles: [management-point] }') => `portflight: 1
hierarchy:
  primarySites:
    - siteCode: P01
      systems:
${systems}
change:
  clientRequest:
    http: { current: 80, candidate: 8080 }
`;

const RULE = (when: string) => `id: T-BAD
title: t
severity: info
description: d
when: ${when}
subject: s
message: m
references: [Ports used in Configuration Manager]
`;

let dir = '';
/** Writes `files` (name → text or bytes) into a fresh folder under the suite's temporary one. */
async function folder(name: string, files: Record<string, string | Buffer>): Promise<string> {
  const path = join(dir, name);
  await mkdir(path, { recursive: true });
  for (const [file, content] of Object.entries(files)) await writeFile(join(path, file), content);
  return path;
}

interface BadInput {
  readonly name: string;
  /** The CLI's arguments; a function when they name generated files. */
  readonly args: () => Promise<readonly string[]>;
  readonly exit: number;
  /** What the one line on stderr says. */
  readonly says: RegExp;
}

const offline = ['--offline', '--no-interactive', '-f', 'json'];
const planFile = async (name: string, text: string | Buffer) =>
  join(await folder(name, { 'plan.yaml': text }), 'plan.yaml');
const scanOf = (name: string, text: string | Buffer) => async () => [
  'scan',
  await planFile(name, text),
  ...offline,
];
const rulesOf = (name: string, text: string) => async () => [
  'rules',
  'list',
  '--rules',
  await folder(name, { 't-bad.yaml': text }),
];
const evidenceOf = (name: string, files: Record<string, string | Buffer>) => async () => [
  'check',
  'mp01.corp.example',
  '--http',
  '8080',
  '--evidence',
  await folder(name, files),
  ...offline,
];
/** A key of the wrong kind for signing reports. */
const RSA_KEY = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
  type: 'pkcs8',
  format: 'pem',
}) as string;

const flags =
  (...args: string[]) =>
  () =>
    Promise.resolve(args);

const CASES: readonly BadInput[] = [
  // Plans
  {
    name: 'a YAML syntax error',
    args: scanOf('p-syntax', 'portflight: 1\nhierarchy: [\n'),
    exit: 65,
    says: /plan\.yaml:3:1: /,
  },
  {
    name: 'an unknown key',
    args: scanOf('p-key', `${PLAN()}colour: blue\n`),
    exit: 65,
    says: /plan\.yaml:10:1: colour: unknown key "colour"/,
  },
  {
    // Found by the plan fuzzer: the key became the mapping below it, printed over many lines.
    name: 'a mapping as a key (a `? ` line)',
    args: scanOf('p-complex-key', PLAN().replace('change:\n', 'change:\n? \n')),
    exit: 65,
    says: /plan\.yaml:9:3: a key must be a plain name, not a mapping or a list/,
  },
  {
    name: 'a quoted key with a line break',
    args: scanOf('p-key-newline', `${PLAN()}"a\\nb": 1\n`),
    exit: 65,
    says: /plan\.yaml:10:1: \["a\\nb"\]: unknown key "a\\nb"/,
  },
  {
    name: 'port 0',
    args: scanOf('p-zero', PLAN().replace('candidate: 8080', 'candidate: 0')),
    exit: 65,
    says: /candidate: port must be 1-65535/,
  },
  {
    name: 'a host with a port',
    args: scanOf('p-host', PLAN().replace('mp01.corp.example', '"mp01:8080"')),
    exit: 65,
    says: /host: a host, without a port/,
  },
  {
    name: 'a numeric host the resolver would read as an address',
    args: scanOf('p-num', PLAN().replace('mp01.corp.example', '"10.1"')),
    exit: 65,
    says: /all-numeric host/,
  },
  { name: 'an empty file', args: scanOf('p-empty', ''), exit: 65, says: /plan\.yaml:1:1: / },
  {
    name: 'binary garbage',
    args: scanOf('p-binary', Buffer.from([0x00, 0xff, 0x13, 0x37, 0x00, 0x80, 0xfe])),
    exit: 65,
    says: /plan\.yaml/,
  },
  {
    name: 'a Latin-1 file',
    args: scanOf('p-latin1', Buffer.from(`${PLAN()}name: caf\xe9\n`, 'latin1')),
    exit: 65,
    says: /not UTF-8 or UTF-16 text/,
  },
  {
    name: '10,000 nested brackets',
    args: scanOf('p-deep', `portflight: 1\nname: ${'['.repeat(10_000)}\n`),
    exit: 65,
    says: /nested more than 64 levels deep/,
  },
  {
    name: 'an alias bomb',
    args: scanOf(
      'p-aliases',
      `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n`,
    ),
    exit: 65,
    says: /plan\.yaml:1:1: .*(alias|Excessive)/i,
  },
  {
    name: 'a file over 16 MiB',
    args: scanOf('p-huge', `${PLAN()}#${'x'.repeat(17 * 1024 * 1024)}\n`),
    exit: 65,
    says: /over the \d+-byte limit for input files/,
  },
  {
    name: 'a plan that is a folder',
    args: async () => ['scan', await folder('p-folder', {}), ...offline],
    exit: 65,
    says: /not a file/,
  },
  {
    name: 'a plan that does not exist',
    args: flags('scan', '/nonexistent/plan.yaml', ...offline),
    exit: 65,
    says: /no such file/,
  },
  {
    name: 'one server with two evidence folders',
    args: scanOf(
      'p-twice',
      PLAN(
        '        - { host: mp01.corp.example, roles: [management-point], evidence: a }\n        - { host: MP01.corp.example, roles: [distribution-point], evidence: b }',
      ),
    ),
    exit: 65,
    says: /also listed with evidence "a"/,
  },
  // Rule packs
  {
    name: 'a rule naming an unknown fact',
    args: rulesOf('r-fact', RULE('{ fact: nothing.here, eq: 1 }')),
    exit: 65,
    says: /t-bad\.yaml:5:\d+: .*nothing/,
  },
  {
    name: 'a pattern with a backreference',
    args: rulesOf(
      'r-backref',
      RULE('{ fact: change.http.candidate, eq: 1 }')
        .replace('when:', 'for: { each: probes, as: p }\nwhen:')
        .replace('{ fact: change.http.candidate, eq: 1 }', '{ fact: p.target, matches: "(a)\\\\1" }'),
    ),
    exit: 65,
    says: /linear time/,
  },
  {
    name: 'a rule nested 3,000 levels deep',
    args: rulesOf(
      'r-deep',
      RULE(`${'{ not: '.repeat(3000)}{ fact: change.portsChanged, eq: true }${' }'.repeat(3000)}`),
    ),
    exit: 65,
    says: /nested more than 64 levels deep/,
  },
  {
    name: 'a rule folder that does not exist',
    args: flags('rules', 'list', '--rules', '/nonexistent/rules'),
    exit: 65,
    says: /no such folder/,
  },
  // Evidence
  {
    name: 'applicationHost.config with a DTD (entity expansion)',
    args: evidenceOf('e-dtd', {
      'applicationHost.config':
        '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaa">]>\n<configuration/>\n',
    }),
    exit: 65,
    says: /applicationHost\.config:2:1: XML with a DTD/,
  },
  {
    name: 'malformed XML',
    args: evidenceOf('e-xml', {
      'applicationHost.config': '<configuration>\n<system.applicationHost>\n</configuration>\n',
    }),
    exit: 65,
    says: /applicationHost\.config:\d+:\d+: /,
  },
  {
    name: 'listeners.json that is not JSON',
    args: evidenceOf('e-json', { 'listeners.json': '{"tcp": [' }),
    exit: 65,
    says: /listeners\.json:1:\d+: invalid JSON/,
  },
  {
    name: 'a netstat.txt over 16 MiB',
    args: evidenceOf('e-huge', {
      'netstat.txt': `  Proto  Local Address  Foreign Address  State  PID\n${'  TCP    0.0.0.0:80  0.0.0.0:0  LISTENING  4\n'.repeat(400_000)}`,
    }),
    exit: 65,
    says: /netstat\.txt:\d+:\d+: file is \d+ bytes, over the 16777216-byte limit for input files/,
  },
  {
    name: 'an sslcert.txt of a million blank lines',
    args: evidenceOf('e-lines', { 'sslcert.txt': '\r\n'.repeat(1_000_001) }),
    exit: 65,
    says: /sslcert\.txt:1000001:1: more than 1000000 lines/,
  },
  {
    name: 'a listeners.json with 200,001 rows',
    args: evidenceOf('e-rows', {
      'listeners.json': `{"tcp": [\n${Array.from({ length: 200_001 }, (_, n) => `{"LocalAddress": "10.${n >> 16}.${(n >> 8) & 255}.${n & 255}", "LocalPort": 80}`).join(',\n')}\n]}`,
    }),
    exit: 65,
    says: /listeners\.json:200002:1: more than 200000 listeners in one file/,
  },
  {
    name: 'an iplisten.txt listing 200,001 addresses',
    args: evidenceOf('e-addresses', {
      'iplisten.txt': `IP addresses present in the IP listen list:\n-----\n${Array.from({ length: 200_001 }, (_, n) => `    10.${n >> 16}.${(n >> 8) & 255}.${n & 255}`).join('\n')}\n`,
    }),
    exit: 65,
    says: /iplisten\.txt:200003:5: more than 200000 listen-list addresses in one file/,
  },
  {
    name: 'an evidence folder that does not exist',
    args: flags('check', 'mp01', '--http', '8080', '--evidence', '/nonexistent/ev', ...offline),
    exit: 65,
    says: /not an evidence folder/,
  },
  // Flags
  { name: 'no arguments', args: flags(), exit: 64, says: /Usage: portflight/ },
  {
    name: 'an unknown flag',
    args: flags('check', 'mp01', '--http', '8080', '--bogus'),
    exit: 64,
    says: /unknown option '--bogus'/,
  },
  { name: 'a port out of range', args: flags('check', 'mp01', '--http', '70000'), exit: 64, says: /70000/ },
  {
    name: 'a port list with a bad entry',
    args: flags('check', 'mp01', '--ports', 'udp:abc'),
    exit: 64,
    says: /udp:abc/,
  },
  {
    name: 'an unknown report format',
    args: flags('check', 'mp01', '--http', '8080', '--format', 'xml'),
    exit: 64,
    says: /xml/,
  },
  {
    name: 'a timeout below the floor',
    args: flags('check', 'mp01', '--http', '8080', '--timeout', '5'),
    exit: 64,
    says: /--timeout/,
  },
  {
    name: 'a host with brackets but no IPv6 address',
    args: flags('check', '[mp01]', '--http', '8080'),
    exit: 64,
    says: /brackets are only for an IPv6 address/,
  },
  {
    name: "an alternate port equal to the other scheme's",
    args: flags('check', 'mp01', '--http', '8080', '--https', '8443', '--alt-http', '8443'),
    exit: 64,
    says: /--alt-http 8443/,
  },
  {
    name: '--interactive without a terminal',
    args: flags('check', 'mp01', '--http', '8080', '--interactive'),
    exit: 64,
    says: /needs a terminal/,
  },
  {
    name: 'a host with a terminal escape sequence',
    args: flags('check', 'mp01\x1b[2J\x1b[31m', '--http', '8080'),
    exit: 64,
    says: /host "mp01\\u001b\[2J\\u001b\[31m"/,
  },
  {
    name: 'a port list of 5,000 characters',
    args: flags('check', 'mp01', '--ports', `x${'9'.repeat(5000)}`),
    exit: 64,
    says: /^portflight: --ports: "x9{59}…" is not a port/,
  },
  {
    name: 'a plan key with control characters',
    args: scanOf('p-ctrl-key', `${PLAN()}"a\\u0007b": 1\n`),
    exit: 65,
    says: /unknown key "a\\u0007b"/,
  },
  // Output targets
  {
    name: '--output naming a folder',
    args: async () => ['check', 'mp01', '--http', '8080', ...offline, '-o', dir],
    exit: 64,
    says: /is a directory/,
  },
  {
    name: '--output in a missing folder',
    args: flags('check', 'mp01', '--http', '8080', ...offline, '-o', '/nonexistent/r.json'),
    exit: 64,
    says: /does not exist/,
  },
  {
    name: '--output to a full device',
    args: flags('check', 'mp01', '--http', '8080', ...offline, '-o', '/dev/full'),
    exit: 74,
    says: /no space left on the device/,
  },
  {
    name: '--output-dir naming a file',
    args: async () => [
      'check',
      'mp01',
      '--http',
      '8080',
      ...offline,
      '--output-dir',
      await planFile('o-file', ''),
    ],
    exit: 64,
    says: /plan\.yaml: not a directory; --output-dir names a folder/,
  },
  {
    name: 'several formats without --output-dir',
    args: flags('check', 'mp01', '--http', '8080', '--offline', '-f', 'yaml,junit'),
    exit: 64,
    says: /several formats need --output-dir/,
  },
  // Keys and reports to verify
  {
    name: 'a --sign-key that is not a key',
    args: async () => [
      'check',
      'mp01',
      '--http',
      '8080',
      ...offline,
      '--sign-key',
      await planFile('k-text', 'not a key\n'),
    ],
    exit: 65,
    says: /plan\.yaml: not a PEM private key/,
  },
  {
    name: 'a --sign-key that is not Ed25519',
    args: async () => [
      'check',
      'mp01',
      '--http',
      '8080',
      ...offline,
      '--sign-key',
      await planFile('k-rsa', RSA_KEY),
    ],
    exit: 65,
    says: /a rsa key; reports are signed with Ed25519 keys/,
  },
  {
    name: 'verify of binary bytes',
    args: async () => ['verify', await planFile('v-binary', Buffer.from([0, 159, 146, 150, 255, 254]))],
    exit: 65,
    says: /not a portflight report/,
  },
  {
    name: 'verify of a folder',
    args: async () => ['verify', dir],
    exit: 65,
    says: /not a file/,
  },
  {
    name: 'verify of a report that lost its end',
    args: async () => [
      'verify',
      await planFile('v-cut', 'portflight: 1\ntool:\n  name: portflight\n  version: [\n'),
    ],
    exit: 4,
    says: /plan\.yaml:5:1: yaml report: it is no longer valid YAML \(BAD_INDENT\)/,
  },
];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'portflight-bad-input-'));
});

describe('bad input', () => {
  it.each(CASES.map((entry) => [entry.name, entry] as const))('%s', async (_, entry) => {
    const run = await runCli(await entry.args());
    expect(run.signal, 'ended by a signal (a hang the test timed out?)').toBeNull();
    expect(DOCUMENTED.has(run.code ?? -1), `exit ${run.code} is not documented`).toBe(true);
    expect(run.code, run.stderr).toBe(entry.exit);
    expect(run.stderr).not.toMatch(/internal error|^\s+at .+:\d+:\d+\)?$/m);
    expect(run.stderr).toMatch(entry.says);
    for (const line of run.stderr.split('\n')) expect(line.length, 'echoed input is cut').toBeLessThan(400);
    // eslint-disable-next-line no-control-regex -- no control character but the line break reaches the terminal
    expect(run.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    // One line per problem: positioned (file:line:col), or the CLI's own, or commander's usage text.
    for (const line of run.stderr.trim().split('\n'))
      expect(line, run.stderr).toMatch(
        /^(\S+:\d+:\d+: |portflight: |error: |\(run with --help|Usage: |$|\s|[A-Z][a-z ]+:$|Preflight)/,
      );
  });
});

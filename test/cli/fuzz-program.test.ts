import { CommanderError, type Command } from 'commander';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adhocOptions } from '../../src/cli/main.js';
import { buildProgram, type CheckFlags } from '../../src/cli/program.js';
import { buildAdhocSpec } from '../../src/plan/index.js';
import { UserError } from '../../src/shared/errors.js';
import { fuzzOptions, RUN_LIMIT_MS } from '../support/fuzz.js';

/**
 * Whatever argv holds, parsing it ends in a command run or the user's error: commander's own (a
 * usage error, help, version) or a UserError from a flag's parser or from building the check — a
 * TypeError or RangeError would be an internal error (exit 70) for a typo. Run in-process with the
 * real argument parser and fake handlers; `check` builds its scan spec as the CLI does, which is
 * where most flag values are judged.
 */

const FLAGS = [
  '--http',
  '--https',
  '--alt-http',
  '--alt-https',
  '--current-http',
  '--current-https',
  '--ports',
  '--timeout',
  '--min-timeout',
  '--retries',
  '--concurrency',
  '--rate',
  '--deadline',
  '--host-deadline',
  '--no-path',
  '--no-icmp',
  '--no-app',
  '--expected-issuer',
  '--evidence',
  '--offline',
  '--custom-website',
  '-f',
  '--format',
  '-o',
  '--output',
  '--interactive',
  '--no-interactive',
  '--rules',
  '--help',
  '-h',
  '--version',
  '-V',
  '--bogus',
  '-',
  '--',
  '-x',
];

const VALUES = fc.oneof(
  fc.integer({ min: -2, max: 70000 }).map(String),
  fc.constantFrom(
    '8080',
    '0',
    '65536',
    '1e3',
    '0x50',
    ' 80',
    '80 ',
    '８０',
    '-1',
    '',
    '=',
    'json',
    'yaml',
    'xml',
    'udp:9',
    'tcp:1-65535',
    '1-99999',
    '8000-8010,udp:9',
    ',',
    ':',
    'udp:',
    '1-',
    '-1-2',
    'mp01',
    'mp01.corp.example',
    '198.18.2.2',
    '[2001:db8::5]',
    '[mp01]',
    'mp01:8080',
    '8080',
    'a:b:c',
    'mp01=ev',
    '=ev',
    'HOST=',
    '\u0000',
    '\u001b[2J',
    '9'.repeat(400),
    'x'.repeat(5000),
    Number.MAX_SAFE_INTEGER.toString(),
    '18446744073709551616',
    '/nonexistent',
    '-o',
  ),
  fc.string({ maxLength: 12 }),
);

const COMMANDS = fc.constantFrom(
  ['check'],
  ['scan'],
  ['rules', 'list'],
  ['rules', 'explain'],
  ['collect'],
  ['demo'],
  ['rules'],
  [],
  ['chek'],
);

/** A flag and its value as one token (`--http=8080`) or two, or a bare value (a host, a plan). */
const token = fc.oneof(
  fc.tuple(fc.constantFrom(...FLAGS), VALUES).map(([flag, value]) => [flag, value]),
  fc.tuple(fc.constantFrom(...FLAGS), VALUES).map(([flag, value]) => [`${flag}=${value}`]),
  fc.constantFrom(...FLAGS).map((flag) => [flag]),
  VALUES.map((value) => [value]),
);

const argv = fc
  .tuple(COMMANDS, fc.array(token, { maxLength: 8 }))
  .map(([command, tokens]) => [...command, ...tokens.flat()]);

/** The first arbitrary nine times in ten. */
const mostly = <T>(usual: fc.Arbitrary<T>, odd: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: usual, weight: 9 }, { arbitrary: odd, weight: 1 });

const port = mostly(fc.integer({ min: 1, max: 65535 }).map(String), VALUES);
const milliseconds = mostly(fc.integer({ min: 0, max: 120_000 }).map(String), VALUES);

/** `check` with hosts and mostly sensible flag values: argv that reaches the building of the scan. */
const checkArgv = fc
  .tuple(
    fc.array(mostly(fc.oneof(fc.domain(), fc.ipV4(), fc.ipV6()), VALUES), { minLength: 1, maxLength: 3 }),
    fc.record(
      {
        '--http': port,
        '--https': port,
        '--alt-http': port,
        '--alt-https': port,
        '--current-http': port,
        '--current-https': port,
        '--ports': mostly(
          fc
            .array(
              fc.oneof(
                port,
                port.map((value) => `udp:${value}`),
                fc.tuple(port, port).map(([a, b]) => `${a}-${b}`),
              ),
              { minLength: 1, maxLength: 4 },
            )
            .map((list) => list.join(',')),
          VALUES,
        ),
        '--timeout': milliseconds,
        '--min-timeout': milliseconds,
        '--retries': mostly(fc.integer({ min: 0, max: 20 }).map(String), VALUES),
        '--concurrency': mostly(fc.integer({ min: 0, max: 100_000 }).map(String), VALUES),
        '--rate': mostly(fc.integer({ min: 0, max: 1_000_000 }).map(String), VALUES),
        '--deadline': milliseconds,
        '--host-deadline': milliseconds,
        '--evidence': VALUES,
        '--expected-issuer': VALUES,
      },
      { requiredKeys: [] },
    ),
    fc.subarray(['--no-path', '--no-icmp', '--no-app', '--offline', '--custom-website', '--no-interactive']),
  )
  // A few flags at a time, as people type them: with all of them, some pair always disagrees.
  .chain(([hosts, flags, switches]) =>
    fc
      .subarray(Object.entries(flags), { maxLength: 4 })
      .map((chosen) => ['check', ...hosts, ...chosen.flat(), ...switches]),
  );

function quiet(program: Command): Command {
  for (const command of [program, ...program.commands, ...program.commands.flatMap((sub) => sub.commands)]) {
    command.configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  }
  return program;
}

describe('argument parser under fuzzing', () => {
  it('ends in a command or a usage error, never another exception', async () => {
    let checks = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(argv, checkArgv), async (args) => {
        const ignore = async () => undefined;
        const program = quiet(
          buildProgram({
            check: async (hosts: string[], flags: CheckFlags) => {
              buildAdhocSpec(adhocOptions(hosts, flags));
              checks += 1;
            },
            scan: ignore,
            collect: ignore,
            demo: ignore,
            rulesList: ignore,
            rulesExplain: ignore,
            listen: ignore,
            merge: ignore,
            diff: ignore,
            keygen: ignore,
            verify: ignore,
          }),
        );
        const started = performance.now();
        try {
          await program.parseAsync(args, { from: 'user' });
        } catch (error) {
          if (error instanceof CommanderError) return;
          if (!(error instanceof UserError)) throw error;
          expect([64, 65]).toContain(error.exitCode);
          expect(error.message).not.toMatch(/\n/);
        } finally {
          expect(performance.now() - started).toBeLessThan(RUN_LIMIT_MS);
        }
      }),
      fuzzOptions(400, 4000),
    );
    // Some argv must get through to a whole check, or building the spec was never fuzzed.
    expect(checks).toBeGreaterThan(0);
  });
});

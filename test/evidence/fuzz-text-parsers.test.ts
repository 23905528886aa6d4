import { existsSync, readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDynamicPort } from '../../src/evidence/parse-dynamic-port.js';
import {
  parseExcludedPortRange,
  parseExcludedPortRangeTables,
} from '../../src/evidence/parse-excluded-port-range.js';
import { parseListenersJson } from '../../src/evidence/parse-listeners-json.js';
import { parseNetshIplisten } from '../../src/evidence/parse-netsh-iplisten.js';
import { parseNetshSslcert } from '../../src/evidence/parse-netsh-sslcert.js';
import { parseNetshUrlacl } from '../../src/evidence/parse-netsh-urlacl.js';
import { parseGetNetTcpConnectionTable, parseNetstat } from '../../src/evidence/parse-netstat.js';
import { decodeWindowsText } from '../../src/evidence/text-lines.js';
import { InputError } from '../../src/shared/errors.js';
import { applyTextEdit, FUZZ_SEED, textEdit } from '../support/fuzz.js';
import {
  CORPUS_EXTRA_DIR,
  CORPUS_OUTPUTS_DIR,
  corpusPresent,
  corpusRequired,
  SAMPLES_DIR,
} from './text-parser-fixtures.js';

/**
 * Whatever an evidence file holds, each parser answers with a model or an InputError (exit 65 with a
 * position): any other exception would surface as an internal error (exit 70) on a user's file.
 * Inputs are real outputs and samples, mutated line by line and character by character.
 */

type Parser = (text: string, file: string) => unknown;

const PARSERS: readonly { name: string; parse: Parser; seeds: RegExp; fragments: readonly string[] }[] = [
  {
    name: 'parseNetshSslcert',
    parse: parseNetshSslcert,
    seeds: /sslcert/,
    fragments: [
      '    IP:port : [::]:443',
      'Hostname:port : a:1',
      'Central Certificate Store : 443',
      'Certificate Hash : (null)',
      'Application ID : {x}',
      ' : ',
      '(null)',
    ],
  },
  {
    name: 'parseNetshUrlacl',
    parse: parseNetshUrlacl,
    seeds: /urlacl/,
    fragments: [
      'Reserved URL : http://+:80/',
      'User: \\Everyone',
      'Listen: Yes',
      'Delegate: Oui',
      'SDDL: D:(A;;GX;;;WD)',
      '-2996563517)',
      'https://[::1',
    ],
  },
  {
    name: 'parseNetshIplisten',
    parse: parseNetshIplisten,
    seeds: /iplisten/,
    fragments: ['-----', '    ::', '10.0.0.1%', 'fe80::1%12'],
  },
  {
    name: 'parseExcludedPortRange',
    parse: parseExcludedPortRange,
    seeds: /excludedportrange/,
    fragments: ['Protocol udp', '----------    --------', '  80  80  *', '99999 1', 'x.go:1: ', '*'],
  },
  {
    name: 'parseExcludedPortRangeTables',
    parse: parseExcludedPortRangeTables,
    seeds: /excludedportrange/,
    fragments: ['tcp', '1 2', '-----'],
  },
  {
    name: 'parseDynamicPort',
    parse: parseDynamicPort,
    seeds: /dynamicport/,
    fragments: ['Start Port : 1', 'Number of Ports : 65535', '-----', ' : 0'],
  },
  {
    name: 'parseNetstat',
    parse: parseNetstat,
    seeds: /netstat/,
    fragments: [
      '  TCP    [::]:80  [::]:0  LISTENING  4',
      '  UDP    0.0.0.0:1  *:*',
      ' [x.exe]',
      'TCPv6 a',
      ':',
      '%',
    ],
  },
  {
    name: 'parseGetNetTcpConnectionTable',
    parse: parseGetNetTcpConnectionTable,
    seeds: /get-nettcpconnection/,
    fragments: ['LocalAddress LocalPort', '------------ ---------', ':: 80', 'Listen'],
  },
  {
    name: 'parseListenersJson',
    parse: parseListenersJson,
    seeds: /listeners\.json/,
    fragments: ['{', '}', '[', ']', '"tcp":', '"LocalPort": "x"', 'null', ',', '"\\u0000"', '2'],
  },
];

/** Sample and corpus files of every kind (the corpus is optional here: its own tests fail CI without it). */
const FILES: readonly { path: string; text: string }[] = [
  ...readdirSync(SAMPLES_DIR).flatMap((bundle) =>
    readdirSync(`${SAMPLES_DIR}${bundle}`).map((name) => `${SAMPLES_DIR}${bundle}/${name}`),
  ),
  ...[CORPUS_OUTPUTS_DIR, `${CORPUS_EXTRA_DIR}outputs/`, `${CORPUS_EXTRA_DIR}bundles/montejo/`].flatMap(
    (dir) => (existsSync(dir) ? readdirSync(dir).map((name) => dir + name) : []),
  ),
]
  .filter((path) => !path.endsWith('.config'))
  .map((path) => ({ path, text: decodeWindowsText(readFileSync(path)) }));

function expectModelOrInputError(parse: Parser, text: string): void {
  try {
    parse(text, 'fuzz.txt');
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    for (const problem of error.problems) {
      expect(problem.position.line).toBeGreaterThanOrEqual(1);
      expect(problem.position.col).toBeGreaterThanOrEqual(1);
      expect(problem.message).not.toMatch(/\n/);
    }
  }
}

describe('text parsers: mutated real outputs give a model or an InputError, never another exception', () => {
  for (const { name, parse, seeds, fragments } of PARSERS) {
    const own = FILES.filter((file) => seeds.test(file.path)).map((file) => file.text);
    // Other kinds of output too: a wrong file in the bundle must still end in an InputError.
    const all = [...own, ...FILES.map((file) => file.text)];
    // Some outputs exist only in the shared corpus: without it (a fresh clone) there is nothing to mutate.
    const noSeeds = own.length === 0 && !corpusPresent && !corpusRequired;
    it.skipIf(noSeeds)(`${name} (${own.length} seed files${noSeeds ? ': no shared corpus' : ''})`, () => {
      expect(own.length, `no seed files for ${name}`).toBeGreaterThan(0);
      fc.assert(
        fc.property(
          fc.constantFrom(...all),
          fc.array(textEdit(fragments), { minLength: 1, maxLength: 4 }),
          (seed, edits) => {
            expectModelOrInputError(parse, edits.reduce(applyTextEdit, seed));
          },
        ),
        { seed: FUZZ_SEED, numRuns: 200 },
      );
    });
  }

  it('every parser on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: 'binary' }), (text) => {
        for (const { parse } of PARSERS) expectModelOrInputError(parse, text);
      }),
      { seed: FUZZ_SEED, numRuns: 200 },
    );
  });
});

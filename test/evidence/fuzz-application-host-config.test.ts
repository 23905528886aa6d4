import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseApplicationHostConfig } from '../../src/evidence/parse-application-host-config.js';
import { InputError } from '../../src/shared/errors.js';
import { CORPUS_APPLICATION_HOST_DIR } from './text-parser-fixtures.js';
import { FUZZ_SEED } from '../support/fuzz.js';

/**
 * Whatever an evidence file holds, the parser answers with a model or an InputError (exit 65 with a
 * position): any other exception would surface as an internal error (exit 70) on a user's file.
 */

const CORPUS_DIR = CORPUS_APPLICATION_HOST_DIR;
const SAMPLES_DIR = fileURLToPath(new URL('../../samples/evidence/', import.meta.url));

const SEEDS: readonly string[] = [
  ...readdirSync(SAMPLES_DIR)
    .map((folder) => `${SAMPLES_DIR}${folder}/applicationHost.config`)
    .filter((path) => existsSync(path)),
  // The corpus is optional here: its own test file fails CI when it is missing.
  ...(existsSync(CORPUS_DIR) ? readdirSync(CORPUS_DIR).map((name) => CORPUS_DIR + name) : []),
].map((path) => readFileSync(path, 'utf8'));

/** Pieces that reach the parser's special cases: markup, references, quotes, binding shapes. */
const FRAGMENTS = [
  '<site ',
  '<site name="x" id="2">',
  '</site>',
  '<bindings>',
  '</bindings>',
  '<clear />',
  '<binding protocol="https" bindingInformation="*:443:" sslFlags="1" />',
  '<application path="/a">',
  '<siteDefaults><bindings><binding protocol="http" bindingInformation="*:80:" /></bindings></siteDefaults>',
  '<!DOCTYPE x>',
  '<!ENTITY y "z">',
  '<!--',
  '-->',
  '<![CDATA[',
  ']]>',
  '<?pi x?>',
  '&amp;',
  '&#0;',
  '&#x1F600;',
  '&unknown;',
  '&',
  '"',
  "'",
  '<',
  '>',
  '/>',
  '\r\n',
  '\uFEFF',
  '\u0000',
  '\uD800',
];

const bindingInformation = fc
  .array(
    fc.constantFrom(
      '*',
      ':',
      '[',
      ']',
      '::',
      '0',
      '8',
      '443',
      '65536',
      '-1',
      'a',
      '.',
      ' ',
      '%',
      'é',
      '&amp;',
    ),
    {
      maxLength: 10,
    },
  )
  .map((parts) => parts.join(''));

type Mutation = (text: string) => string;

const at = (offset: number, text: string) => Math.floor(offset * (text.length + 1));

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.double({ min: 0, max: 1, noNaN: true }).map(
    (offset): Mutation =>
      (text) =>
        text.slice(0, at(offset, text)),
  ),
  fc
    .tuple(
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ unit: 'binary', maxLength: 8 })),
    )
    .map(
      ([offset, insert]): Mutation =>
        (text) =>
          text.slice(0, at(offset, text)) + insert + text.slice(at(offset, text)),
    ),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 400 })).map(
    ([offset, length]): Mutation =>
      (text) =>
        text.slice(0, at(offset, text)) + text.slice(at(offset, text) + length),
  ),
  fc.tuple(fc.nat(), bindingInformation).map(([index, value]): Mutation => (text) => {
    const matches = [...text.matchAll(/bindingInformation="[^"]*"/g)];
    const target = matches[index % Math.max(matches.length, 1)];
    if (target === undefined) return text;
    const escaped = value.replace(/"/g, '&quot;').replace(/</g, '&lt;');
    return `${text.slice(0, target.index)}bindingInformation="${escaped}"${text.slice(target.index + target[0].length)}`;
  }),
);

describe('parseApplicationHostConfig under random mutations of real files', () => {
  it('returns a model or throws an InputError, never anything else', () => {
    expect(SEEDS.length).toBeGreaterThan(0);
    fc.assert(
      fc.property(
        fc.nat({ max: SEEDS.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        (seedIndex, mutations) => {
          const text = mutations.reduce((current, mutate) => mutate(current), SEEDS[seedIndex] ?? '');
          const lineCount = text.split(/\r\n|\r|\n/).length;
          let config;
          try {
            config = parseApplicationHostConfig(text, 'fuzz.config');
          } catch (error) {
            if (!(error instanceof InputError)) throw error;
            for (const { position, message } of error.problems) {
              expect(position.line).toBeGreaterThanOrEqual(1);
              expect(position.line).toBeLessThanOrEqual(lineCount);
              expect(position.col).toBeGreaterThanOrEqual(1);
              expect(message).not.toMatch(/\n/);
            }
            return;
          }
          for (const site of config.sites) {
            expect(site.source.line).toBeGreaterThanOrEqual(1);
            for (const binding of site.bindings) {
              expect(binding.source.line).toBeLessThanOrEqual(lineCount);
              if (binding.port !== null) expect(binding.port).toBeGreaterThanOrEqual(1);
              if (binding.port !== null) expect(binding.port).toBeLessThanOrEqual(65535);
            }
          }
        },
      ),
      { numRuns: 300, seed: FUZZ_SEED },
    );
  });
});

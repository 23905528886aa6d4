import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeWindowsText } from '../../src/evidence/text-lines.js';
import { InputError, type InputProblem } from '../../src/shared/errors.js';

/**
 * What the tests of the Windows command-output parsers share: the shared corpus (real outputs
 * written by others, read in place and never copied here), the sample bundles, and reading the
 * position of an InputError.
 */

export const CORPUS_OUTPUTS_DIR = fileURLToPath(new URL('../../../shared/corpus/outputs/', import.meta.url));
/** More real outputs (other languages, cut copies, pasted sessions), beside the corpus; same rules. */
export const CORPUS_EXTRA_DIR = fileURLToPath(new URL('../../../shared/corpus-extra/', import.meta.url));
export const SAMPLES_DIR = fileURLToPath(new URL('../../samples/evidence/', import.meta.url));
export const corpusPresent = existsSync(CORPUS_OUTPUTS_DIR);
/** In CI the corpus is always present: a corpus test there fails rather than skips. */
export const corpusRequired = !!process.env.CI && !['false', '0'].includes(process.env.CI);

/** The real applicationHost.config files of the shared corpus. */
export const CORPUS_APPLICATION_HOST_DIR = fileURLToPath(
  new URL('../../../shared/corpus/applicationhost/', import.meta.url),
);

/**
 * `describe` for corpus tests: skipped on a machine without the corpus (a fresh clone: it sits in
 * ../shared beside the checkout; test/support/corpus-notice.ts says so once per run), and failing
 * in CI (where it is always present) rather than passing silently.
 */
export function describeCorpus(name: string, body: () => void, folder = CORPUS_OUTPUTS_DIR): void {
  const present = existsSync(folder);
  if (!present && !corpusRequired) {
    describe.skip(`${name} [skipped: no shared corpus]`, body);
    return;
  }
  describe(name, () => {
    it('finds the corpus folder (it is present in CI)', () => {
      expect(present, `${folder} is missing`).toBe(true);
    });
    body();
  });
}

/** A corpus output by the start of its name; `file` is the bare name, as errors print it. */
export function readCorpus(prefix: string): { text: string; file: string } {
  const file = readdirSync(CORPUS_OUTPUTS_DIR).find((name) => name.startsWith(prefix));
  if (file === undefined) throw new Error(`no corpus file ${prefix}* in ${CORPUS_OUTPUTS_DIR}`);
  return { text: readFileSync(CORPUS_OUTPUTS_DIR + file, 'utf8'), file };
}

/** A corpus-extra file by its path under corpus-extra/, decoded the way load-bundle decodes it. */
export function readCorpusExtra(path: string): { text: string; file: string } {
  const [folder = '', prefix = ''] = path.split(/\/(?=[^/]*$)/);
  const name = readdirSync(CORPUS_EXTRA_DIR + folder).find((entry) => entry.startsWith(prefix));
  if (name === undefined) throw new Error(`no corpus-extra file ${path}* in ${CORPUS_EXTRA_DIR}`);
  return { text: decodeWindowsText(readFileSync(`${CORPUS_EXTRA_DIR}${folder}/${name}`)), file: name };
}

/** A sample bundle file, decoded the way load-bundle decodes it (some are UTF-16 or CP850). */
export function readSample(bundle: string, name: string): { text: string; file: string } {
  return {
    text: decodeWindowsText(readFileSync(`${SAMPLES_DIR}${bundle}/${name}`)),
    file: `${bundle}/${name}`,
  };
}

/** Runs `parse` and returns the one problem of the InputError it throws (failing on anything else). */
export function problemOf(parse: () => unknown): InputProblem & { text: string } {
  try {
    parse();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    expect(error.problems).toHaveLength(1);
    const problem = error.problems[0]!;
    return { ...problem, text: error.message };
  }
  throw new Error('expected an InputError, but the text parsed');
}

/** `file:line:col` of a problem, to compare positions in one assertion. */
export function positionOf(problem: InputProblem): string {
  return `${problem.position.file}:${problem.position.line}:${problem.position.col}`;
}

/** Windows line endings, as the real outputs have them. */
export const crlf = (...lines: string[]): string => lines.join('\r\n');

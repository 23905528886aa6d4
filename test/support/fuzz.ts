import fc from 'fast-check';
import { expect } from 'vitest';
import { InputError, UserError } from '../../src/shared/errors.js';

/**
 * What the fuzz tests share. One seed for every property, fixed so that CI runs the same cases and a
 * failure replays; `FUZZ_SEED=<n> npx vitest run test/…/fuzz-*` explores other cases (fast-check
 * prints the seed and path of any counterexample it finds).
 */
export const FUZZ_SEED = process.env.FUZZ_SEED === undefined ? 0x20_26_12_01 : Number(process.env.FUZZ_SEED);

/**
 * fast-check options: `numRuns` cases, stopping early once `budgetMs` are spent so the suite stays
 * bounded on a slow machine (an interrupted property still passes on the cases it ran).
 */
export function fuzzOptions(numRuns: number, budgetMs: number): fc.Parameters<unknown> {
  return { seed: FUZZ_SEED, numRuns, interruptAfterTimeLimit: budgetMs };
}

/** Longest one case may take: far above any linear-time answer, far below a backtracking hang. */
export const RUN_LIMIT_MS = 3000;

/**
 * What a case may throw: the user's errors (InputError with positions and one-line messages, or
 * another UserError with a documented exit code), nothing else — a TypeError or RangeError would
 * surface as an internal error (exit 70) on a user's input. Anything else is rethrown.
 */
function expectUserError(error: unknown): UserError {
  if (!(error instanceof UserError)) throw error;
  expect([64, 65, 74]).toContain(error.exitCode);
  if (error instanceof InputError) {
    expect(error.problems.length).toBeGreaterThan(0);
    for (const { position, message } of error.problems) {
      expect(position.line).toBeGreaterThanOrEqual(1);
      expect(position.col).toBeGreaterThanOrEqual(1);
      expect(message).not.toMatch(/\n/);
    }
  } else {
    expect(error.message).not.toMatch(/\n/);
  }
  return error;
}

function expectInTime(started: number): void {
  expect(performance.now() - started, 'one case took too long').toBeLessThan(RUN_LIMIT_MS);
}

/** Runs one case, which must return or throw the user's error (returned), within RUN_LIMIT_MS. */
export function expectOnlyUserErrors<T>(run: () => T): T | UserError {
  const started = performance.now();
  try {
    return run();
  } catch (error) {
    return expectUserError(error);
  } finally {
    expectInTime(started);
  }
}

/** expectOnlyUserErrors for a case that returns a promise. */
export async function expectOnlyUserErrorsAsync<T>(run: () => Promise<T>): Promise<T | UserError> {
  const started = performance.now();
  try {
    return await run();
  } catch (error) {
    return expectUserError(error);
  } finally {
    expectInTime(started);
  }
}

/** Text as Windows tools and editors save it: UTF-8 with or without a BOM, UTF-16 LE or BE. */
export const encodedText = (text: string): fc.Arbitrary<Buffer> =>
  fc.constantFrom('utf8', 'utf8-bom', 'utf16le-bom', 'utf16le', 'utf16be-bom').map((encoding) => {
    switch (encoding) {
      case 'utf8':
        return Buffer.from(text, 'utf8');
      case 'utf8-bom':
        return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
      case 'utf16le-bom':
        return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
      case 'utf16le':
        return Buffer.from(text, 'utf16le');
      default:
        return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
    }
  });

/**
 * A `label : value` line's label or value swapped for a word that is also an Object.prototype
 * member: a lookup table written as an object literal finds a function there.
 */
export const renameEdit = fc.record({
  kind: fc.constant('rename' as const),
  at: fc.nat(),
  side: fc.constantFrom('label' as const, 'value' as const),
  word: fc.constantFrom('constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'),
});

/**
 * One edit of a text: a line dropped, doubled or cut, a fragment inserted in a line or as a line of
 * its own, characters replaced, the text cut short, a label or value renamed.
 */
export const textEdit = (fragments: readonly string[]) =>
  fc.oneof(
    fc.record({ kind: fc.constant('drop-line' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('double-line' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('cut-line' as const), at: fc.nat(), keep: fc.nat(80) }),
    fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      text: fc.oneof(fc.constantFrom(...fragments), fc.string({ unit: 'binary', maxLength: 8 })),
    }),
    fc.record({
      kind: fc.constant('insert-line' as const),
      at: fc.nat(),
      line: fc.constantFrom(...fragments),
    }),
    fc.record({
      kind: fc.constant('replace-chars' as const),
      at: fc.nat(),
      chars: fc.string({ maxLength: 6, unit: 'binary' }),
    }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    renameEdit,
  );
export type TextEdit = typeof textEdit extends (fragments: readonly string[]) => fc.Arbitrary<infer E>
  ? E
  : never;

export function applyTextEdit(text: string, edit: TextEdit): string {
  const lines = text.split('\n');
  const index = edit.at % Math.max(lines.length, 1);
  const line = lines[index] ?? '';
  switch (edit.kind) {
    case 'drop-line':
      lines.splice(index, 1);
      break;
    case 'double-line':
      lines.splice(index, 0, line);
      break;
    case 'cut-line':
      lines[index] = line.slice(0, edit.keep);
      break;
    case 'insert': {
      const at = edit.at % (line.length + 1);
      lines[index] = line.slice(0, at) + edit.text + line.slice(at);
      break;
    }
    case 'insert-line':
      lines.splice(index, 0, edit.line);
      break;
    case 'replace-chars': {
      const at = line.length === 0 ? 0 : edit.at % line.length;
      lines[index] = line.slice(0, at) + edit.chars + line.slice(at + edit.chars.length);
      break;
    }
    case 'truncate':
      return text.slice(0, edit.at % (text.length + 1));
    case 'rename': {
      // The line with a colon nearest after `at`, if any.
      const found = [...lines.keys()]
        .map((offset) => (index + offset) % lines.length)
        .find((candidate) => (lines[candidate] ?? '').includes(':'));
      if (found === undefined) break;
      const target = lines[found] ?? '';
      const colon = target.indexOf(':');
      const indent = /^\s*/.exec(target)?.[0] ?? '';
      lines[found] =
        edit.side === 'label'
          ? `${indent}${edit.word} ${target.slice(colon)}`
          : `${target.slice(0, colon + 1)} ${edit.word}`;
      break;
    }
  }
  return lines.join('\n');
}

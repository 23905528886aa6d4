import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEvidenceBundle } from '../../src/evidence/load-bundle.js';
import { parseDynamicPort } from '../../src/evidence/parse-dynamic-port.js';
import { parseListenersJson } from '../../src/evidence/parse-listeners-json.js';
import { parseNetshSslcert } from '../../src/evidence/parse-netsh-sslcert.js';
import { parseNetshUrlacl } from '../../src/evidence/parse-netsh-urlacl.js';
import { EVIDENCE_FILES, type Listener } from '../../src/evidence/types.js';
import { decodeWindowsText } from '../../src/evidence/text-lines.js';
import {
  applyTextEdit,
  encodedText,
  expectOnlyUserErrors,
  expectOnlyUserErrorsAsync,
  fuzzOptions,
  renameEdit,
  textEdit,
} from '../support/fuzz.js';
import { SAMPLES_DIR } from './text-parser-fixtures.js';

/**
 * Whole evidence folders and listeners.json, fuzzed: whatever the files hold, loading a bundle
 * gives a model or the user's error (exit 65 with a position). A model is checked for the shape
 * the rules rely on, so a value of the wrong type (a label table hit by `constructor`) shows too.
 */

const BUNDLES = readdirSync(SAMPLES_DIR).filter((name) => existsSync(join(SAMPLES_DIR, name, 'netstat.txt')));
const NAMES = Object.values(EVIDENCE_FILES) as string[];

/** Every sample file's text by evidence name, across the sample bundles. */
const SEEDS: ReadonlyMap<string, readonly string[]> = new Map(
  NAMES.map((name) => [
    name,
    BUNDLES.map((bundle) => join(SAMPLES_DIR, bundle, name))
      .filter((path) => existsSync(path))
      .map((path) => decodeWindowsText(readFileSync(path))),
  ]),
);

const FRAGMENTS = [
  'constructor : 1',
  '__proto__',
  '-----',
  '  TCP    [::]:80  [::]:0  LISTENING  4',
  '{',
  '"tcp":',
  '<site name="x">',
  '\u0000',
  '\uFEFF',
];

function checkListener(listener: Listener): void {
  expect(['tcp', 'udp']).toContain(listener.protocol);
  expect(typeof listener.address).toBe('string');
  expect(Number.isInteger(listener.port) && listener.port >= 0 && listener.port <= 65535).toBe(true);
  expect(listener.pid === null || Number.isInteger(listener.pid)).toBe(true);
  expect(listener.processName === null || typeof listener.processName === 'string').toBe(true);
  expect(listener.source.line).toBeGreaterThanOrEqual(1);
}

let dir = '';
let counter = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'portflight-fuzz-bundle-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** One file of a fuzzed bundle: a sample of its kind (or of another kind), edited, in some encoding. */
const fuzzedFile = fc
  .tuple(
    fc.constantFrom(...NAMES),
    // Mostly a file of its own kind; sometimes another kind's output under its name.
    fc.oneof(
      { arbitrary: fc.constant(null), weight: 4 },
      { arbitrary: fc.constantFrom(...NAMES), weight: 1 },
    ),
    fc.nat(),
    fc.array(textEdit(FRAGMENTS), { maxLength: 3 }),
  )
  .chain(([name, otherKind, pick, edits]) => {
    const seeds = SEEDS.get(otherKind ?? name) ?? [];
    const seed = seeds.length === 0 ? '' : (seeds[pick % seeds.length] ?? '');
    return encodedText(edits.reduce(applyTextEdit, seed)).map((bytes) => ({ name, bytes }));
  });

describe('evidence bundles under fuzzing', () => {
  it('a folder of mutated files (any kind under any name, any encoding) loads or is refused', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fuzzedFile, { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        async (files, withFolder) => {
          counter += 1;
          const bundle = join(dir, `bundle-${counter}`);
          await mkdir(bundle);
          for (const { name, bytes } of files) await writeFile(join(bundle, name), bytes);
          // An evidence name that is a folder, not a file.
          if (withFolder) await mkdir(join(bundle, 'urlacl.txt'), { recursive: true }).catch(() => undefined);
          const result = await expectOnlyUserErrorsAsync(() => loadEvidenceBundle(bundle));
          if (result instanceof Error) return;
          const loaded = result as Awaited<ReturnType<typeof loadEvidenceBundle>>;
          for (const listener of loaded.listeners ?? []) checkListener(listener);
          for (const binding of loaded.sslcert ?? [])
            expect(['ipport', 'hostnameport', 'ccs']).toContain(binding.kind);
          for (const reservation of loaded.urlacl ?? []) {
            for (const user of reservation.users) {
              expect([true, false, null]).toContain(user.listen);
              expect([true, false, null]).toContain(user.delegate);
            }
          }
        },
      ),
      fuzzOptions(60, 5000),
    );
  });
});

/** Each `label : value` parser, with what its model must hold whatever the labels say. */
const LABEL_PARSERS = [
  {
    name: EVIDENCE_FILES.sslcert,
    check: (text: string) => {
      const bindings = expectOnlyUserErrors(() => parseNetshSslcert(text, 'sslcert.txt'));
      if (Array.isArray(bindings))
        for (const binding of bindings) expect(['ipport', 'hostnameport', 'ccs']).toContain(binding.kind);
    },
  },
  {
    name: EVIDENCE_FILES.urlacl,
    check: (text: string) => {
      const reservations = expectOnlyUserErrors(() => parseNetshUrlacl(text, 'urlacl.txt'));
      if (!Array.isArray(reservations)) return;
      for (const user of reservations.flatMap((reservation) => reservation.users)) {
        expect([true, false, null]).toContain(user.listen);
        expect([true, false, null]).toContain(user.delegate);
      }
    },
  },
  {
    name: EVIDENCE_FILES.dynamicTcp,
    check: (text: string) => {
      const range = expectOnlyUserErrors(() => parseDynamicPort(text, 'dynamicport-tcp.txt'));
      if (range instanceof Error) return;
      expect(Number.isInteger(range.start) && Number.isInteger(range.count)).toBe(true);
    },
  },
];

describe('label : value parsers under renamed labels and values', () => {
  it.each(LABEL_PARSERS.map((parser) => [parser.name, parser] as const))('%s', (name, { check }) => {
    const seeds = SEEDS.get(name) ?? [];
    expect(seeds.length).toBeGreaterThan(0);
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(renameEdit, { minLength: 1, maxLength: 3 }),
        (seed, edits) => {
          check(edits.reduce(applyTextEdit, seed));
        },
      ),
      fuzzOptions(150, 2000),
    );
  });
});

/** A listeners.json row, mostly well-formed, with any field swapped for a value of another type. */
const value = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(
    '__proto__',
    'constructor',
    '::',
    '0.0.0.0',
    'fe80::1%12',
    '65536',
    '-1',
    '1e3',
    'Listen',
    2,
    4294967296,
  ),
);
const row = fc.record(
  {
    LocalAddress: fc.oneof(fc.ipV4(), fc.ipV6(), value),
    LocalPort: fc.oneof(fc.integer({ min: 0, max: 65535 }), fc.nat().map(String), value),
    OwningProcess: fc.oneof(fc.nat(), fc.constant(null), value),
    ProcessName: fc.oneof(fc.string(), fc.constant(null), value),
    State: fc.oneof(fc.constantFrom(2, 'Listen', 5, 'Established'), value),
  },
  { requiredKeys: [] },
);
const rows = fc.oneof(fc.array(row, { maxLength: 6 }), row, fc.constant(null), value);

describe('listeners.json under fuzzing', () => {
  it('structured documents with values of any type, in any layout', () => {
    fc.assert(
      fc.property(
        fc.record({ tcp: rows, udp: rows }, { requiredKeys: [] }),
        fc.constantFrom(undefined, 0, 2, '\t'),
        fc.boolean(),
        (document, indent, bom) => {
          const text = `${bom ? '\uFEFF' : ''}${JSON.stringify(document, null, indent)}`;
          const parsed = expectOnlyUserErrors(() => parseListenersJson(text, 'listeners.json'));
          if (Array.isArray(parsed)) for (const listener of parsed) checkListener(listener);
        },
      ),
      fuzzOptions(300, 3000),
    );
  });

  it('deeply nested and huge documents', () => {
    const hostile = fc.oneof(
      fc
        .integer({ min: 1, max: 100_000 })
        .map((depth) => `{"tcp": ${'['.repeat(depth)}${']'.repeat(depth)}}`),
      fc
        .integer({ min: 1, max: 50_000 })
        .map((depth) => `{"tcp": [${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}]}`),
      fc.constant(`{"tcp": [{"LocalAddress": "${'1'.repeat(1_000_000)}", "LocalPort": 80}]}`),
      fc.constant(`{"tcp": [{"LocalAddress": "::", "LocalPort": ${'9'.repeat(400)}}]}`),
      fc.constant(`{"tcp": "${'\\u0000'.repeat(10_000)}"}`),
    );
    fc.assert(
      fc.property(hostile, (text) => {
        expectOnlyUserErrors(() => parseListenersJson(text, 'listeners.json'));
      }),
      fuzzOptions(30, 3000),
    );
  });
});

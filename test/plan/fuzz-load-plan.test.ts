import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadPlanFile, resolvePlan } from '../../src/plan/index.js';
import {
  applyTextEdit,
  encodedText,
  expectOnlyUserErrorsAsync,
  fuzzOptions,
  textEdit,
} from '../support/fuzz.js';
import { arbitraryOf, type JsonSchema } from '../support/schema-arbitrary.js';

/**
 * Whatever a plan file holds, loading and resolving it gives a scan spec or the user's error
 * (InputError, exit 65, positioned): plans are fuzzed as YAML text (mutated sample plans) and as
 * structured plans built from the plan's own JSON Schema, written in every encoding Windows editors
 * use, with deep nesting and huge scalars.
 */

const SCHEMA = JSON.parse(
  readFileSync(new URL('../../samples/plan.schema.json', import.meta.url), 'utf8'),
) as JsonSchema;
const SAMPLES = ['two-primaries.yaml', 'with-waivers.yaml'].map((name) =>
  readFileSync(new URL(`../../samples/plans/${name}`, import.meta.url), 'utf8'),
);

/** YAML pieces that reach the loader's special cases: anchors, tags, flow nesting, merge keys. */
const YAML_FRAGMENTS = [
  '&a ',
  '*a',
  '<<: *a',
  '!!binary ',
  '!!js/function ',
  '? ',
  '[',
  '{',
  '- ',
  ': ',
  '"\\u0000"',
  '\t',
  '---\n',
  '...\n',
  '%YAML 1.1\n',
  '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[',
  'host: "mp01:8080"',
  'candidate: 99999',
  '__proto__: 1',
];

const SYSTEM_PROPERTIES =
  SCHEMA.properties?.hierarchy?.properties?.primarySites?.items?.properties?.systems?.items?.properties ?? {};
/** Role settings are refused without their role: left out mostly, so that more plans reach the resolver. */
const rarely = (key: string) =>
  fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 6 },
    { arbitrary: arbitraryOf(SYSTEM_PROPERTIES[key] ?? {}, 0.03), weight: 1 },
  );

/** Host names as people write them, and a few they should not: the pattern alone mostly makes junk. */
const OVERRIDES = {
  host: fc.oneof(
    { arbitrary: fc.domain(), weight: 12 },
    { arbitrary: fc.ipV4(), weight: 3 },
    { arbitrary: fc.ipV6().map((address) => `[${address}]`), weight: 3 },
    { arbitrary: fc.constantFrom('mp01:8080', '8080', '[mp01]', 'a:b:c', '0x7f.1'), weight: 1 },
  ),
  managementPoint: rarely('managementPoint'),
  enrollmentPoint: rarely('enrollmentPoint'),
  enrollmentProxyPoint: rarely('enrollmentProxyPoint'),
  // Waiver globs: stars anywhere, long runs of them.
  subject: fc.oneof(
    fc.string({ unit: fc.constantFrom('a', '*', ':', '/', '.'), maxLength: 40 }),
    fc.constant('*'.repeat(300)),
  ),
};

let dir = '';
let counter = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'portflight-fuzz-plan-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes the bytes as a plan file, loads and resolves it: a spec, or the user's error. */
async function loadAndResolve(bytes: Buffer): Promise<unknown> {
  counter += 1;
  const path = join(dir, `plan-${counter}.yaml`);
  await writeFile(path, bytes);
  return expectOnlyUserErrorsAsync(async () => resolvePlan(await loadPlanFile(path)));
}

describe('plan loader under fuzzing', () => {
  it('mutated sample plans, in any encoding', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .tuple(
            fc.constantFrom(...SAMPLES),
            fc.array(textEdit(YAML_FRAGMENTS), { minLength: 1, maxLength: 4 }),
          )
          .chain(([sample, edits]) => encodedText(edits.reduce(applyTextEdit, sample))),
        async (bytes) => {
          await loadAndResolve(bytes);
        },
      ),
      fuzzOptions(120, 4000),
    );
  });

  it('plans built from the schema (valid and not), in any encoding', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(
        fc
          .oneof(arbitraryOf(SCHEMA, 0, OVERRIDES), arbitraryOf(SCHEMA, 0.03, OVERRIDES))
          .chain((plan) => encodedText(stringify(plan, { aliasDuplicateObjects: false }))),
        async (bytes) => {
          const result = await loadAndResolve(bytes);
          if (!(result instanceof Error)) accepted += 1;
          console.log(result instanceof Error ? result.message.slice(0, 150) : 'ACCEPTED');
        },
      ),
      fuzzOptions(150, 5000),
    );
    // The schema's own arbitraries must reach past validation, or the resolver is never fuzzed.
    expect(accepted).toBeGreaterThan(0);
  });

  it('deep nesting and huge scalars anywhere in a plan', async () => {
    const hostile = fc.oneof(
      fc.integer({ min: 1, max: 3000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
      fc.integer({ min: 1, max: 3000 }).map((depth) => `${'{a: '.repeat(depth)}1${'}'.repeat(depth)}`),
      fc
        .integer({ min: 1, max: 500 })
        .map((depth) => Array.from({ length: depth }, (_, level) => `${'  '.repeat(level)}- `).join('\n')),
      fc.constant(`"${'x'.repeat(500_000)}"`),
      fc.constant('9'.repeat(400)),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SAMPLES), fc.nat(), hostile, async (sample, at, value) => {
        const lines = sample.split('\n');
        const index = at % lines.length;
        const line = lines[index] ?? '';
        const colon = line.indexOf(': ');
        lines[index] = colon < 0 ? `${line}${value}` : `${line.slice(0, colon + 2)}${value}`;
        await loadAndResolve(Buffer.from(lines.join('\n')));
      }),
      fuzzOptions(40, 4000),
    );
  });
});

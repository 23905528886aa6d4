import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { RULE_CATALOGUE } from '../../src/rules/catalogue.js';
import { evaluateRuleSet, loadRuleSet, type CompiledRule } from '../../src/rules/engine/index.js';
import {
  applyTextEdit,
  encodedText,
  expectOnlyUserErrors,
  expectOnlyUserErrorsAsync,
  fuzzOptions,
  textEdit,
} from '../support/fuzz.js';
import { decodeUnicodeText } from '../../src/shared/text-encoding.js';
import { quietFacts, testCatalogue } from './engine/fixtures.js';

/**
 * Whatever a rule pack holds, loading it gives compiled rules or the user's error (exit 65, at the
 * node): the real rules/ files mutated as text, and rule files built from arbitrary conditions over
 * the engine's test catalogue — every head and operator, operands of any type, `matches` patterns
 * with backreferences, lookaround and catastrophic nesting, deep nesting. A rule that loads is then
 * evaluated on facts with long strings: its patterns must match in bounded time.
 */

const RULES_DIR = new URL('../../rules/', import.meta.url);
const REAL_RULES = readdirSync(RULES_DIR)
  .filter((name) => name.endsWith('.yaml'))
  .map((name) => ({ name, text: readFileSync(new URL(name, RULES_DIR), 'utf8') }));

const RULE_FRAGMENTS = [
  '{ not: ',
  '{ fact: change.portsChanged, eq: true }',
  'matches: "(a+)+$"',
  'matches: "(a)\\\\1"',
  'matches: "(?=a)"',
  '{probe.port}',
  '{',
  '}',
  '&x ',
  '*x',
  'severity: fatal',
  'for: { each: probes, as: probe }',
];

const FACT_PATHS = [
  'change.http.current',
  'change.http.candidate',
  'change.newPorts',
  'clients.workgroup',
  'probes',
  'servers',
  'probe.port',
  'probe.state',
  'probe.role',
  'probe.ref',
  'probe',
  'nothing.here',
  '',
];

/** Regular-expression sources of every kind: plain, catastrophic in a backtracking engine, not RE2. */
const pattern = fc.oneof(
  fc.string({
    unit: fc.constantFrom(
      'a',
      '(',
      ')',
      '+',
      '*',
      '?',
      '|',
      '[',
      ']',
      '\\',
      '^',
      '$',
      '.',
      '{',
      '}',
      '1',
      ',',
    ),
    maxLength: 16,
  }),
  fc.constantFrom(
    '(a+)+$',
    '(a|a)*b',
    '(a*)*b',
    '^(\\w+\\s?)*$',
    '(a)\\1',
    '(?=a)a',
    '(?<!a)b',
    'a{1000}{1000}',
    '\\p{L}+',
    '[[:alpha:]]',
    '',
  ),
);

/** The first arbitrary nine times in ten: a rule file with one mistake, more often than with many. */
const mostly = <T>(usual: fc.Arbitrary<T>, odd: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: usual, weight: 9 }, { arbitrary: odd, weight: 1 });

const scalar = fc.oneof(
  fc.integer({ min: -1, max: 70000 }),
  fc.constantFrom('open', 'closed', 'filtered', 'filterd', '', '8080', true, false, null, 1e300),
  fc.string({ maxLength: 8 }),
);
const operand = fc.oneof(scalar, fc.record({ fact: fc.constantFrom(...FACT_PATHS) }));

const { condition } = fc.letrec<{ condition: unknown; test: unknown }>((tie) => ({
  test: fc.oneof(
    fc.record({ fact: fc.constantFrom(...FACT_PATHS), eq: operand }),
    fc.record({ fact: fc.constantFrom(...FACT_PATHS), gt: operand }),
    fc.record({
      fact: fc.constantFrom(...FACT_PATHS),
      in: fc.oneof(fc.array(scalar, { maxLength: 3 }), operand),
    }),
    fc.record({ fact: fc.constantFrom(...FACT_PATHS), between: fc.array(operand, { maxLength: 3 }) }),
    fc.record({ fact: fc.constantFrom(...FACT_PATHS), matches: pattern }),
    fc.record({ fact: fc.constantFrom(...FACT_PATHS), exists: fc.oneof(fc.boolean(), scalar) }),
    fc.record({
      count: fc.record({ each: fc.constantFrom(...FACT_PATHS), as: fc.constantFrom('p', 'probe', 'change') }),
      ge: operand,
    }),
  ),
  condition: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('test'),
    fc.record({ all: fc.array(tie('condition'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ any: fc.array(tie('condition'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ not: tie('condition') }),
    fc.record({
      some: fc.record(
        {
          each: fc.constantFrom(...FACT_PATHS),
          as: fc.constantFrom('p', 'probe', 'server'),
          where: tie('condition'),
        },
        { requiredKeys: ['each', 'as', 'where'] },
      ),
    }),
  ),
}));

const ruleDocument = fc.record(
  {
    id: mostly(fc.constant('T-FUZZ'), fc.string({ maxLength: 8 })),
    title: fc.constant('Fuzzed rule'),
    severity: mostly(fc.constantFrom('no-go', 'condition', 'info', 'incomplete'), fc.constant('fatal')),
    description: fc.constant('d'),
    for: fc.record({
      each: mostly(fc.constant('probes'), fc.constantFrom('servers', 'change.newPorts', 'change')),
      as: mostly(fc.constant('probe'), fc.constantFrom('server', 'p')),
    }),
    when: condition,
    subject: mostly(fc.constantFrom('s', '{probe.port}'), fc.constantFrom('{probe}', '{nothing}', '{')),
    message: fc.constantFrom('m', '{probe.role} at {probe.port}', '{change.http}'),
    references: fc.constant(['Ports used in Configuration Manager']),
  },
  { requiredKeys: ['id', 'title', 'severity', 'when', 'subject', 'message', 'references'] },
);

/** Facts whose strings are long: a backtracking match of `(a+)+$` on them would not end. */
const LONG = `${'a'.repeat(5000)}!`;
const LONG_FACTS = quietFacts({
  probes: [{ port: 8080, state: 'filtered', role: LONG, ref: LONG }],
  servers: [{ host: LONG, excluded: null }],
});

describe('rule loader under fuzzing', () => {
  it('mutated real rule files, in any encoding', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .tuple(
            fc.constantFrom(...REAL_RULES),
            fc.array(textEdit(RULE_FRAGMENTS), { minLength: 1, maxLength: 3 }),
          )
          .chain(([rule, edits]) =>
            encodedText(edits.reduce(applyTextEdit, rule.text)).map((bytes) => ({ name: rule.name, bytes })),
          ),
        async ({ name, bytes }) => {
          // As the CLI reads a rule file (readInputFile): a Unicode encoding or refused.
          const text = decodeUnicodeText(bytes) ?? '';
          await expectOnlyUserErrorsAsync(() =>
            loadRuleSet([{ file: `rules/${name}`, text }], RULE_CATALOGUE, undefined),
          );
        },
      ),
      fuzzOptions(120, 4000),
    );
  });

  it('rules built from arbitrary conditions load or are refused, and loaded ones evaluate in bounded time', async () => {
    let loaded = 0;
    await fc.assert(
      fc.asyncProperty(ruleDocument, async (document) => {
        const text = stringify(document);
        const rules = await expectOnlyUserErrorsAsync(() =>
          loadRuleSet([{ file: 'rules/t-fuzz.yaml', text }], testCatalogue, undefined),
        );
        console.log(rules instanceof Error ? rules.message.slice(0, 160) : 'LOADED');
        if (!Array.isArray(rules)) return;
        loaded += 1;
        const findings = expectOnlyUserErrors(() => evaluateRuleSet(rules as CompiledRule[], LONG_FACTS));
        expect(Array.isArray(findings)).toBe(true);
      }),
      fuzzOptions(200, 5000),
    );
    expect(loaded, 'no generated rule loaded: the evaluator was never fuzzed').toBeGreaterThan(0);
  });

  it('conditions nested deeper than the limit, as YAML flow and block', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4000 }),
        fc.constantFrom('not', 'all', 'any'),
        async (depth, head) => {
          const open = head === 'not' ? '{ not: ' : `{ ${head}: [`;
          const close = head === 'not' ? ' }' : '] }';
          const when = `${open.repeat(depth)}{ fact: change.http.candidate, eq: 1 }${close.repeat(depth)}`;
          const text = `id: T-DEEP\ntitle: t\nseverity: info\ndescription: d\nwhen: ${when}\nsubject: s\nmessage: m\nreferences: [Ports used in Configuration Manager]\n`;
          await expectOnlyUserErrorsAsync(() =>
            loadRuleSet([{ file: 'rules/t-deep.yaml', text }], testCatalogue, undefined),
          );
        },
      ),
      fuzzOptions(30, 3000),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRuleFile } from '../../../src/rules/engine/compile-rule.js';
import { bindingPlanOf } from '../../../src/rules/engine/binding-plan.js';
import { evaluateRule } from '../../../src/rules/engine/evaluate-rule-set.js';
import { evaluateRuleSet } from '../../../src/rules/engine/index.js';
import type { Finding } from '../../../src/rules/types.js';
import { ruleText, testCatalogue, type TestFacts } from './fixtures.js';

type Condition = Record<string, unknown>;
const STATES = ['open', 'closed', 'filtered'] as const;
const COMPARISONS = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const;

/** Atomic conditions over the test catalogue, including nullable facts (unknown) and quantifiers. */
const atom: fc.Arbitrary<Condition> = fc
  .oneof(
    fc.record({ fact: fc.constant('probe.port'), op: fc.constantFrom(...COMPARISONS), value: fc.nat(10) }),
    fc.record({
      fact: fc.constant('clients.workgroup'),
      op: fc.constantFrom(...COMPARISONS),
      value: fc.nat(3),
    }),
    fc.record({
      fact: fc.constant('probe.state'),
      op: fc.constantFrom('eq', 'ne'),
      value: fc.constantFrom(...STATES),
    }),
    fc.record({
      fact: fc.constant('probe.state'),
      op: fc.constantFrom('in', 'notIn'),
      value: fc.subarray([...STATES], { minLength: 1 }),
    }),
    fc.record({ fact: fc.constant('clients.workgroup'), op: fc.constant('exists'), value: fc.boolean() }),
    fc.record({
      fact: fc.constant('change.http.candidate'),
      op: fc.constant('between'),
      value: fc.tuple(fc.nat(10), fc.nat(10)),
    }),
  )
  .map(({ fact, op, value }) => ({ fact, [op]: value }));

const quantified: fc.Arbitrary<Condition> = fc.oneof(
  fc.constantFrom('some', 'every').map((kind) => ({
    [kind]: {
      each: 'servers',
      as: 's',
      where: { some: { each: 's.excluded', as: 'r', where: { fact: 'r.start', le: 5 } } },
    },
  })),
  fc
    .nat(3)
    .map((n) => ({ count: { each: 'probes', as: 'q', where: { fact: 'q.state', eq: 'open' } }, ge: n })),
);

const condition: fc.Arbitrary<Condition> = fc.letrec<{ condition: Condition }>((tie) => ({
  condition: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'condition' },
    atom,
    quantified,
    fc.record({ all: fc.array(tie('condition'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ any: fc.array(tie('condition'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ not: tie('condition') }),
  ),
})).condition;

const facts = (gathered: boolean): fc.Arbitrary<TestFacts> =>
  fc.record({
    change: fc.record({
      http: fc.record({ current: fc.nat(10), candidate: fc.nat(10) }),
      newPorts: fc.array(fc.nat(10)),
    }),
    clients: fc.record({ workgroup: gathered ? fc.nat(3) : fc.option(fc.nat(3), { nil: null }) }),
    probes: fc
      .array(fc.record({ port: fc.nat(10), state: fc.constantFrom(...STATES), role: fc.string() }), {
        maxLength: 4,
      })
      .map((probes) => probes.map((probe, index) => ({ ...probe, ref: `probe-${index}` }))),
    servers: fc.array(
      fc.record({
        host: fc.constantFrom('a', 'b'),
        excluded: (() => {
          const ranges = fc.array(fc.record({ start: fc.nat(10), end: fc.nat(10) }), { maxLength: 2 });
          return gathered ? ranges : fc.option(ranges, { nil: null });
        })(),
      }),
      { maxLength: 3 },
    ),
  });

/** Every rule iterates the probes, so a condition can fire for some probes and not others. */
function evaluate(when: Condition, tree: TestFacts): Finding[] {
  // JSON is YAML: the generated condition goes into the rule file as a flow mapping.
  const body = `for: { each: probes, as: probe }\nwhen: ${JSON.stringify(when)}\nsubject: "{probe.ref}"\nmessage: m`;
  return evaluateRuleSet([parseRuleFile(ruleText('P-RULE', body), 'rules/p-rule.yaml', testCatalogue)], tree);
}

const firing = (findings: readonly Finding[]) =>
  findings.filter((finding) => finding.severity !== 'incomplete').map((finding) => finding.subject);

describe('rule engine: properties', () => {
  it('never fires more often when a condition is added with all', () => {
    fc.assert(
      fc.property(condition, condition, facts(false), (base, extra, tree) => {
        const before = firing(evaluate(base, tree));
        const after = firing(evaluate({ all: [base, extra] }, tree));
        expect(before).toEqual(expect.arrayContaining(after));
        expect(after.length).toBeLessThanOrEqual(before.length);
      }),
      { numRuns: 300 },
    );
  });

  it('never reports a rule incomplete when every fact was gathered', () => {
    fc.assert(
      fc.property(condition, facts(true), (when, tree) => {
        expect(evaluate(when, tree).filter((finding) => finding.severity === 'incomplete')).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('decides every binding of a condition or its negation, or neither when facts are missing', () => {
    fc.assert(
      fc.property(condition, facts(false), (when, tree) => {
        const yes = evaluate(when, tree);
        const no = evaluate({ not: when }, tree);
        const undecided = (findings: Finding[]) =>
          findings.filter((finding) => finding.severity === 'incomplete').map((finding) => finding.subject);
        // Kleene logic: not(unknown) is unknown, so the incomplete bindings coincide...
        expect(undecided(no)).toEqual(undecided(yes));
        // ...and every other probe fires exactly one of the two.
        expect(firing(yes).length + firing(no).length + undecided(yes).length).toBe(tree.probes.length);
      }),
      { numRuns: 300 },
    );
  });
});

describe('rule engine: conjuncts that read no for-variable are decided once per rule', () => {
  const compiled = (when: Condition) =>
    parseRuleFile(
      ruleText(
        'P-RULE',
        `for: { each: probes, as: probe }\nwhen: ${JSON.stringify(when)}\nsubject: "{probe.ref}"\nmessage: m`,
      ),
      'rules/p-rule.yaml',
      testCatalogue,
    );

  it('gives exactly the findings of evaluating `when` whole for every binding', () => {
    fc.assert(
      fc.property(fc.array(condition, { minLength: 1, maxLength: 4 }), facts(false), (conjuncts, tree) => {
        for (const when of [{ all: conjuncts }, conjuncts[0] as Condition]) {
          const rule = compiled(when);
          expect(evaluateRule(rule, tree)).toEqual(evaluateRule(rule, tree, { variant: rule.when }));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same findings when items are skipped by an equality conjunct, values not gathered included', () => {
    // Some probes' state not gathered (null or absent): `probe.state eq S` is unknown for them, and
    // they must still come out as incomplete findings. `any: [when]` has the same truth (Kleene) and
    // no top-level equality, so it visits every probe.
    const withGaps = facts(false).chain((tree) =>
      fc
        .array(fc.constantFrom('keep', 'null', 'absent'), {
          minLength: tree.probes.length,
          maxLength: tree.probes.length,
        })
        .map((gaps) => ({
          ...tree,
          probes: tree.probes.map((probe, index) => {
            if (gaps[index] === 'keep') return probe;
            const { state: _state, ...rest } = probe;
            return (gaps[index] === 'null' ? { ...rest, state: null } : rest) as unknown as typeof probe;
          }),
        })),
    );
    fc.assert(
      fc.property(fc.constantFrom(...STATES), condition, withGaps, (state, other, tree) => {
        for (const when of [
          { fact: 'probe.state', eq: state },
          { all: [other, { fact: 'probe.state', eq: state }] },
        ]) {
          const skipping = evaluateRule(compiled(when), tree);
          expect(skipping).toEqual(evaluateRule(compiled({ any: [when] }), tree));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('splits `scan.phase`-like tests off a rule over every probe', () => {
    const rule = compiled({
      all: [
        { fact: 'clients.workgroup', gt: 0 },
        { fact: 'probe.state', eq: 'open' },
      ],
    });
    expect(bindingPlanOf(rule)).toEqual({
      invariant: {
        kind: 'all',
        conditions: [rule.when.kind === 'all' ? rule.when.conditions[0] : undefined],
      },
      variant: rule.when.kind === 'all' ? rule.when.conditions[1] : undefined,
    });
  });
});

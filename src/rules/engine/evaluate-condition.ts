import type { Condition, ListOperand, Operand, Quantifier, Test } from './compiled-rule.js';
import { lookupFact, type Bindings, type FactTree } from './fact-lookup.js';
import { allOf, anyOf, isUnknown, negate, unknown, type Truth, type Unknown } from './three-valued.js';

/** Evaluates a compiled condition; a fact that was not gathered makes the comparisons that read it unknown. */
export function evaluateCondition(condition: Condition, facts: FactTree, bindings: Bindings): Truth {
  const evaluate = (inner: Condition, scope: Bindings) => evaluateCondition(inner, facts, scope);
  switch (condition.kind) {
    case 'test':
      return evaluateTest(condition.test, lookupFact(facts, bindings, condition.fact), condition.fact.text, {
        facts,
        bindings,
      });
    case 'all':
      return allOf(lazily(condition.conditions, (inner) => evaluate(inner, bindings)));
    case 'any':
      return anyOf(lazily(condition.conditions, (inner) => evaluate(inner, bindings)));
    case 'not':
      return negate(evaluate(condition.condition, bindings));
    case 'some':
    case 'every': {
      const items = itemsOf(condition.quantifier, facts, bindings);
      if ('missing' in items) return items;
      const truths = lazily(items, (scope) => whereHolds(condition.quantifier, facts, scope));
      return condition.kind === 'some' ? anyOf(truths) : allOf(truths);
    }
    case 'count':
      return evaluateCount(condition.quantifier, condition.test, facts, bindings);
  }
}

interface TestScope {
  readonly facts: FactTree;
  readonly bindings: Bindings;
}

/** One operator applied to one value; `exists` is the only test that can decide a value not gathered. */
function evaluateTest(test: Test, value: unknown, valuePath: string, scope: TestScope): Truth {
  if (test.op === 'exists') return (value !== null) === test.expected;
  if (value === null) return unknown([valuePath]);
  switch (test.op) {
    case 'matches':
      return test.pattern.test(String(value));
    case 'in':
    case 'notIn': {
      const values = listValues(test.values, scope);
      if ('missing' in values) return values;
      return values.known.includes(value) === (test.op === 'in');
    }
    case 'between': {
      const low = operandValue(test.low, scope);
      const high = operandValue(test.high, scope);
      if ('missing' in low || 'missing' in high) return unknown(missingOf(low, high));
      return (value as number) >= (low.known as number) && (value as number) <= (high.known as number);
    }
    default: {
      const operand = operandValue(test.operand, scope);
      if ('missing' in operand) return operand;
      // The load-time check guarantees both sides have one type, and lt/le/gt/ge only numbers.
      const [left, right] = [value as number, operand.known as number];
      const outcomes = { eq: left === right, ne: left !== right, lt: left < right, le: left <= right };
      return { ...outcomes, gt: left > right, ge: left >= right }[test.op];
    }
  }
}

/**
 * `count` with undecided items: the count lies between the items that hold and those plus the undecided
 * ones. The test is decided only when it comes out the same for every count in that range.
 */
function evaluateCount(quantifier: Quantifier, test: Test, facts: FactTree, bindings: Bindings): Truth {
  const items = itemsOf(quantifier, facts, bindings);
  if ('missing' in items) return items;
  const truths = items.map((scope) => whereHolds(quantifier, facts, scope));
  const holding = truths.filter((truth) => truth === true).length;
  const undecided = truths.filter(isUnknown);
  const outcomes = Array.from({ length: undecided.length + 1 }, (_, extra) =>
    evaluateTest(test, holding + extra, 'count', { facts, bindings }),
  );
  if (outcomes.every((outcome) => outcome === true)) return true;
  if (outcomes.every((outcome) => outcome === false)) return false;
  return unknown([...undecided, ...outcomes.filter(isUnknown)].flatMap((truth) => truth.missing));
}

/** The bindings of a quantifier's variable, one per list item; unknown when the list was not gathered. */
function itemsOf(quantifier: Quantifier, facts: FactTree, bindings: Bindings): Bindings[] | Unknown {
  const list = lookupFact(facts, bindings, quantifier.each);
  if (!Array.isArray(list)) return unknown([quantifier.each.text]);
  return list.map((item: unknown) => new Map([...bindings, [quantifier.as, item]]));
}

function whereHolds(quantifier: Quantifier, facts: FactTree, scope: Bindings): Truth {
  return quantifier.where ? evaluateCondition(quantifier.where, facts, scope) : true;
}

/** A value that was looked up, kept apart from Unknown (a fact value is never a Truth). */
type Known<T> = { readonly known: T } | Unknown;

function operandValue(operand: Operand, scope: TestScope): Known<unknown> {
  if (operand.kind === 'literal') return { known: operand.value };
  const value = lookupFact(scope.facts, scope.bindings, operand.fact);
  return value === null ? unknown([operand.fact.text]) : { known: value };
}

function listValues(operand: ListOperand, scope: TestScope): Known<readonly unknown[]> {
  if (operand.kind === 'literals') return { known: operand.values };
  const list = lookupFact(scope.facts, scope.bindings, operand.fact);
  return Array.isArray(list) ? { known: list } : unknown([operand.fact.text]);
}

function missingOf(...values: Known<unknown>[]): string[] {
  return values.flatMap((value) => ('missing' in value ? value.missing : []));
}

/** Maps on demand, so allOf/anyOf stop evaluating once the outcome is decided. */
function* lazily<T, U>(items: readonly T[], map: (item: T) => U): Generator<U> {
  for (const item of items) yield map(item);
}

import type { Condition, ListOperand, Operand, Quantifier, Test } from './compiled-rule.js';
import { lookupFact, type Bindings, type FactTree } from './fact-lookup.js';
import { isUnknown, negate, unknown, type Truth, type Unknown } from './three-valued.js';

// Runs once per rule and binding: a scan of thousands of addresses evaluates hundreds of thousands
// of conditions, so this stays loops over plain values (no generators, no per-test objects).

/** Evaluates a compiled condition; a fact that was not gathered makes the comparisons that read it unknown. */
export function evaluateCondition(condition: Condition, facts: FactTree, bindings: Bindings): Truth {
  switch (condition.kind) {
    case 'test':
      return evaluateTest(
        condition.test,
        lookupFact(facts, bindings, condition.fact),
        condition.fact.text,
        facts,
        bindings,
      );
    case 'all':
    case 'any': {
      // Kleene: the decisive value (false for all, true for any) stops there; else unknown wins.
      const decisive = condition.kind === 'any';
      let missing: string[] | undefined;
      for (const inner of condition.conditions) {
        const truth = evaluateCondition(inner, facts, bindings);
        if (truth === decisive) return decisive;
        if (isUnknown(truth)) (missing ??= []).push(...truth.missing);
      }
      return missing === undefined ? !decisive : unknown(missing);
    }
    case 'not':
      return negate(evaluateCondition(condition.condition, facts, bindings));
    case 'some':
    case 'every':
      return evaluateQuantifier(condition.kind, condition.quantifier, facts, bindings);
    case 'count':
      return evaluateCount(condition.quantifier, condition.test, facts, bindings);
  }
}

/** `some` holds when an item holds, `every` when all do; either way the first decisive item stops it. */
function evaluateQuantifier(
  kind: 'some' | 'every',
  quantifier: Quantifier,
  facts: FactTree,
  bindings: Bindings,
): Truth {
  const list = lookupFact(facts, bindings, quantifier.each);
  if (!Array.isArray(list)) return unknown([quantifier.each.text]);
  const decisive = kind === 'some';
  let missing: string[] | undefined;
  for (const item of list as unknown[]) {
    const truth = whereHolds(quantifier, facts, bindings.with(quantifier.as, item));
    if (truth === decisive) return decisive;
    if (isUnknown(truth)) (missing ??= []).push(...truth.missing);
  }
  return missing === undefined ? !decisive : unknown(missing);
}

/** One operator applied to one value; `exists` is the only test that can decide a value not gathered. */
function evaluateTest(
  test: Test,
  value: unknown,
  valuePath: string,
  facts: FactTree,
  bindings: Bindings,
): Truth {
  if (test.op === 'exists') return (value !== null) === test.expected;
  if (value === null) return unknown([valuePath]);
  switch (test.op) {
    case 'matches':
      return test.pattern.test(String(value));
    case 'in':
    case 'notIn': {
      const values = listValues(test.values, facts, bindings);
      if (!isList(values)) return values;
      return values.includes(value) === (test.op === 'in');
    }
    case 'between': {
      const low = operandValue(test.low, facts, bindings);
      const high = operandValue(test.high, facts, bindings);
      if (low instanceof NotGathered || high instanceof NotGathered) {
        return unknown([low, high].flatMap((side) => (side instanceof NotGathered ? [side.path] : [])));
      }
      return (value as number) >= (low as number) && (value as number) <= (high as number);
    }
    default: {
      const operand = operandValue(test.operand, facts, bindings);
      if (operand instanceof NotGathered) return unknown([operand.path]);
      // The load-time check guarantees both sides have one type, and lt/le/gt/ge only numbers.
      const [left, right] = [value as number, operand as number];
      switch (test.op) {
        case 'eq':
          return left === right;
        case 'ne':
          return left !== right;
        case 'lt':
          return left < right;
        case 'le':
          return left <= right;
        case 'gt':
          return left > right;
        case 'ge':
          return left >= right;
      }
    }
  }
}

/**
 * `count` with undecided items: the count lies between the items that hold and those plus the undecided
 * ones. The test is decided only when it comes out the same for every count in that range.
 */
function evaluateCount(quantifier: Quantifier, test: Test, facts: FactTree, bindings: Bindings): Truth {
  const list = lookupFact(facts, bindings, quantifier.each);
  if (!Array.isArray(list)) return unknown([quantifier.each.text]);
  let holding = 0;
  const undecided: Unknown[] = [];
  for (const item of list as unknown[]) {
    const truth = whereHolds(quantifier, facts, bindings.with(quantifier.as, item));
    if (truth === true) holding += 1;
    else if (isUnknown(truth)) undecided.push(truth);
  }
  const outcomes = Array.from({ length: undecided.length + 1 }, (_, extra) =>
    evaluateTest(test, holding + extra, 'count', facts, bindings),
  );
  if (outcomes.every((outcome) => outcome === true)) return true;
  if (outcomes.every((outcome) => outcome === false)) return false;
  return unknown([...undecided, ...outcomes.filter(isUnknown)].flatMap((truth) => truth.missing));
}

function whereHolds(quantifier: Quantifier, facts: FactTree, scope: Bindings): Truth {
  return quantifier.where ? evaluateCondition(quantifier.where, facts, scope) : true;
}

/** An operand fact that was not gathered, kept apart from values (a fact value is never one). */
class NotGathered {
  constructor(readonly path: string) {}
}

function operandValue(operand: Operand, facts: FactTree, bindings: Bindings): unknown {
  if (operand.kind === 'literal') return operand.value;
  const value = lookupFact(facts, bindings, operand.fact);
  return value === null ? new NotGathered(operand.fact.text) : value;
}

const isList = (values: readonly unknown[] | Unknown): values is readonly unknown[] => Array.isArray(values);

function listValues(operand: ListOperand, facts: FactTree, bindings: Bindings): readonly unknown[] | Unknown {
  if (operand.kind === 'literals') return operand.values;
  const list = lookupFact(facts, bindings, operand.fact);
  return Array.isArray(list) ? list : unknown([operand.fact.text]);
}

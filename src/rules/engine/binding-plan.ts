import type { CompiledRule, Condition, Operand, Quantifier, Test } from './compiled-rule.js';
import type { ResolvedFactPath } from './catalogue.js';

/**
 * A rule's `when` split for evaluation: the conjuncts that read none of the `for` variables (e.g.
 * `scan.phase eq verify` in a rule over every probe) are decided once per rule instead of once per
 * binding. Exact under Kleene logic: a false conjunct makes every binding false, true conjuncts add
 * nothing, so the rest decides alone; an unknown one leaves `when` to be evaluated whole per binding
 * (its missing facts then come out in the rule's own order).
 */
export interface BindingPlan {
  /** Decided once per rule; absent when every conjunct reads a `for` variable. */
  readonly invariant?: Condition;
  /** What each binding still evaluates when `invariant` held. */
  readonly variant: Condition;
}

const TRUE: Condition = { kind: 'all', conditions: [] };
const plans = new WeakMap<CompiledRule, BindingPlan>();

export function bindingPlanOf(rule: CompiledRule): BindingPlan {
  let plan = plans.get(rule);
  if (!plan) {
    plan = planOf(rule);
    plans.set(rule, plan);
  }
  return plan;
}

function planOf(rule: CompiledRule): BindingPlan {
  const loopVariables = new Set(rule.iterations.map((iteration) => iteration.as));
  if (loopVariables.size === 0) return { variant: rule.when };
  const reads = (condition: Condition) => readsAny(condition, loopVariables);
  if (!reads(rule.when)) return { invariant: rule.when, variant: TRUE };
  if (rule.when.kind !== 'all') return { variant: rule.when };
  const invariant = rule.when.conditions.filter((condition) => !reads(condition));
  if (invariant.length === 0) return { variant: rule.when };
  const variant = rule.when.conditions.filter(reads);
  return {
    invariant: { kind: 'all', conditions: invariant },
    variant: variant.length === 1 ? (variant[0] as Condition) : { kind: 'all', conditions: variant },
  };
}

/** Whether the condition reads one of `variables` (a quantifier's own variable shadows none: load-time checked). */
function readsAny(condition: Condition, variables: ReadonlySet<string>): boolean {
  const path = (fact: ResolvedFactPath) => fact.variable !== undefined && variables.has(fact.variable);
  const operand = (value: Operand) => value.kind === 'fact' && path(value.fact);
  const test = (check: Test): boolean => {
    if ('operand' in check) return operand(check.operand);
    if ('values' in check) return check.values.kind === 'fact' && path(check.values.fact);
    if ('low' in check) return operand(check.low) || operand(check.high);
    return false; // matches, exists: nothing but the tested fact
  };
  const quantifier = (q: Quantifier) =>
    path(q.each) || (q.where !== undefined && readsAny(q.where, variables));
  switch (condition.kind) {
    case 'test':
      return path(condition.fact) || test(condition.test);
    case 'all':
    case 'any':
      return condition.conditions.some((inner) => readsAny(inner, variables));
    case 'not':
      return readsAny(condition.condition, variables);
    case 'some':
    case 'every':
      return quantifier(condition.quantifier);
    case 'count':
      return quantifier(condition.quantifier) || test(condition.test);
  }
}

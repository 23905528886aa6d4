/**
 * Kleene three-valued logic. `unknown` carries the fact paths that were not gathered, so an undecided rule
 * can say what is missing instead of passing silently. `all`/`any`/`some`/`every` combine truths as
 * Kleene's and/or (evaluate-condition.ts): the decisive value stops them, else unknown wins.
 */
export interface Unknown {
  readonly missing: readonly string[];
}
export type Truth = boolean | Unknown;

export function unknown(missing: readonly string[]): Unknown {
  return { missing: [...new Set(missing)] };
}

export function isUnknown(truth: Truth): truth is Unknown {
  return typeof truth !== 'boolean';
}

export function negate(truth: Truth): Truth {
  return isUnknown(truth) ? truth : !truth;
}

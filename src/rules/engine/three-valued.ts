/**
 * Kleene three-valued logic. `unknown` carries the fact paths that were not gathered, so an undecided rule
 * can say what is missing instead of passing silently.
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

/** False if any is false (evaluation stops there), else unknown if any is unknown, else true. */
export function allOf(truths: Iterable<Truth>): Truth {
  return combine(truths, false);
}

/** True if any is true (evaluation stops there), else unknown if any is unknown, else false. */
export function anyOf(truths: Iterable<Truth>): Truth {
  return combine(truths, true);
}

export function negate(truth: Truth): Truth {
  return isUnknown(truth) ? truth : !truth;
}

function combine(truths: Iterable<Truth>, decisive: boolean): Truth {
  const missing: string[] = [];
  let undecided = false;
  for (const truth of truths) {
    if (truth === decisive) return decisive;
    if (isUnknown(truth)) {
      undecided = true;
      missing.push(...truth.missing);
    }
  }
  return undecided ? unknown(missing) : !decisive;
}

import type { Condition, Iteration, Scalar } from './compiled-rule.js';
import { valueAt } from './fact-lookup.js';

/**
 * An equality a rule's `when` requires of each item of its one `for` list (`p.state eq filtered`):
 * items whose value is gathered and differs make `when` false (Kleene: a false conjunct decides
 * `all`), so they are skipped without evaluating the rest. Items whose value was not gathered are
 * kept: `when` may be unknown for them, and an unknown must come out as an incomplete finding.
 */
export interface ItemEquality {
  readonly fields: readonly string[];
  readonly value: Scalar;
}

/** The first `variable.fields eq literal` conjunct of `when` on the iteration's variable, if any. */
export function itemEqualityOf(when: Condition, iteration: Iteration): ItemEquality | undefined {
  const conjuncts = when.kind === 'all' ? when.conditions : [when];
  for (const condition of conjuncts) {
    if (condition.kind !== 'test' || condition.fact.variable !== iteration.as) continue;
    const { test } = condition;
    if (test.op === 'eq' && 'operand' in test && test.operand.kind === 'literal')
      return { fields: condition.fact.fields, value: test.operand.value };
  }
  return undefined;
}

// Rules over one list often test the same field for the same value (several read `p.state eq
// filtered`): each (list, field, value) is filtered once per fact tree.
const filtered = new WeakMap<readonly unknown[], Map<string, readonly unknown[]>>();

/** The items of `list`, in order, for which the equality holds or cannot be decided. */
export function itemsThatMayHold(list: readonly unknown[], equality: ItemEquality): readonly unknown[] {
  const key = `${equality.fields.join('.')}\u0000${typeof equality.value}\u0000${String(equality.value)}`;
  let byKey = filtered.get(list);
  if (!byKey) filtered.set(list, (byKey = new Map()));
  let items = byKey.get(key);
  if (!items) {
    items = list.filter((item) => {
      const value = valueAt(item, equality.fields);
      return value === null || value === equality.value;
    });
    byKey.set(key, items);
  }
  return items;
}

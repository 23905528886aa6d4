import type { ResolvedFactPath } from './catalogue.js';

/** The fact tree handed to the engine; its shape is the catalogue's (see FactsOf). */
export type FactTree = { readonly [key: string]: unknown };

/** Values of the variables bound by `for` and quantifiers. */
export type Bindings = ReadonlyMap<string, unknown>;

/**
 * The value at a resolved path, or `null` when it (or anything on the way) was not gathered. `undefined`
 * counts as not gathered too, so an optional field a facts builder left out can never read as "fine".
 */
export function lookupFact(facts: FactTree, bindings: Bindings, fact: ResolvedFactPath): unknown {
  let value: unknown = fact.variable === undefined ? facts : bindings.get(fact.variable);
  for (const field of fact.fields) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
    value = (value as FactTree)[field];
  }
  return value ?? null;
}

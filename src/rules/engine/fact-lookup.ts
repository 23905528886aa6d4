import type { ResolvedFactPath } from './catalogue.js';

/** The fact tree handed to the engine; its shape is the catalogue's (see FactsOf). */
export type FactTree = { readonly [key: string]: unknown };

/**
 * Values of the variables bound by `for` and quantifiers: a chain, innermost first, so that binding
 * one more variable per list item copies nothing (a big scan binds tens of thousands).
 */
export class Bindings {
  static readonly none = new Bindings(undefined, undefined, undefined);

  private constructor(
    private readonly parent: Bindings | undefined,
    private readonly name: string | undefined,
    private readonly value: unknown,
  ) {}

  /** These bindings plus `name` bound to `value` (shadowing is refused at load time). */
  with(name: string, value: unknown): Bindings {
    return new Bindings(this, name, value);
  }

  /** The innermost binding of `name` (a rule binds a handful of variables, so the chain is short). */
  get(name: string): unknown {
    return this.name === name ? this.value : this.parent?.get(name);
  }
}

/**
 * The value at a resolved path, or `null` when it (or anything on the way) was not gathered. `undefined`
 * counts as not gathered too, so an optional field a facts builder left out can never read as "fine".
 */
export function lookupFact(facts: FactTree, bindings: Bindings, fact: ResolvedFactPath): unknown {
  return valueAt(fact.variable === undefined ? facts : bindings.get(fact.variable), fact.fields);
}

/** The value at `fields` below `start`, `null` when it (or anything on the way) was not gathered. */
export function valueAt(start: unknown, fields: readonly string[]): unknown {
  let value = start;
  for (const field of fields) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
    value = (value as FactTree)[field];
  }
  return value ?? null;
}

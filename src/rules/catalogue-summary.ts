import type { FactNode, ListFact, NullableFact, StringFact } from './engine/catalogue.js';
import { fact } from './engine/index.js';

type Summary<K extends string, I extends FactNode> = { readonly [P in K]: NullableFact<ListFact<I>> } & {
  readonly [P in `${K}Text`]: StringFact;
} & { readonly [P in `${K}Refs`]: ListFact<StringFact> };

/**
 * A gathered-or-not list of items, with its message text and evidence references (rules cannot render
 * objects): the facts fact-tree-summary.ts fills.
 */
export function withSummary<const K extends string, I extends FactNode>(
  key: K,
  item: I,
  description: string,
  text: string,
): Summary<K, I> {
  return {
    [key]: fact.nullable(fact.list(item, description)),
    [`${key}Text`]: fact.string(text),
    [`${key}Refs`]: fact.list(
      fact.string('ref'),
      `Evidence references of ${description.charAt(0).toLowerCase() + description.slice(1)}`,
    ),
  } as Summary<K, I>;
}

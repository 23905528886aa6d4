/**
 * A list gathered from a bundle file (null when the file is absent), with its message text and refs:
 * the `…`, `…Text` and `…Refs` facts that withSummary (catalogue-summary.ts) declares.
 */
export function summary<K extends string, T, I extends { readonly ref: string }>(
  key: K,
  items: readonly T[] | null,
  fact: (item: T) => I,
  text: (item: I) => string,
  separator = ', ',
) {
  const facts = items?.map(fact) ?? null;
  return {
    [key]: facts,
    [`${key}Text`]: (facts ?? []).map(text).join(separator),
    [`${key}Refs`]: (facts ?? []).map((item) => item.ref),
  } as { [P in K]: I[] | null } & { [P in `${K}Text`]: string } & { [P in `${K}Refs`]: string[] };
}

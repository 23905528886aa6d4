import type { Catalogue, FactNode } from './catalogue.js';
import type { CompiledRule } from './compiled-rule.js';
import type { RuleFileText } from './load-rules.js';

/**
 * Rule files compiled ahead of time: the built-in rules, compiled by `npm run build` (which embeds
 * them in the CLI, see builtin-precompiled.ts), so that a command does not parse and check 40 YAML
 * files on every start. An entry is used only for a file with the same name and the very same text,
 * loaded against a catalogue that serialises exactly as the one it was compiled against; anything
 * else (an edited rule, an administrator's pack, another catalogue) is compiled as before. So an
 * entry can be out of date only in time, never in what it yields.
 */
export interface PrecompiledRules {
  readonly format: typeof PRECOMPILED_FORMAT;
  /** JSON.stringify of the catalogue the rules were checked against. */
  readonly catalogue: string;
  /**
   * By file name (without folder): the text compiled and the compiled rule as JSON data, catalogue
   * nodes as `{ $node: index }` (see catalogueNodes); rules with `matches` patterns are not held.
   */
  readonly files: Readonly<Record<string, { readonly text: string; readonly rule: unknown }>>;
}

/** Bumped when the serialised form of a compiled rule changes. */
export const PRECOMPILED_FORMAT = 3;

/** The rules compiled, as PrecompiledRules; `compile` is parseRuleFile (files it rejects are left out). */
export function precompileRules(
  files: readonly RuleFileText[],
  catalogue: Catalogue,
  compile: (text: string, file: string, catalogue: Catalogue) => CompiledRule,
): PrecompiledRules {
  const { indexOf } = catalogueNodes(catalogue);
  const entries: Record<string, { text: string; rule: unknown }> = {};
  for (const { file, text } of files) {
    let rule: CompiledRule;
    try {
      rule = compile(text, file, catalogue);
    } catch {
      continue; // loading it reports the problem, as for any rule file
    }
    const data = serialiseRule(rule, indexOf);
    // A rule with a `matches` pattern is compiled when it loads: reviving one here would put the
    // linear-time regexp engine on every command's start-up path (pattern.ts).
    if (data !== undefined) entries[baseName(file)] = { text, rule: data };
  }
  return { format: PRECOMPILED_FORMAT, catalogue: JSON.stringify(catalogue), files: entries };
}

/**
 * Reads precompiled rules against one catalogue: `ruleOf` gives the compiled rule of a file, or
 * undefined when it must be compiled (no entry, another text, or another catalogue).
 */
export function precompiledReader(
  precompiled: PrecompiledRules | undefined,
  catalogue: Catalogue,
): (file: RuleFileText) => CompiledRule | undefined {
  if (precompiled?.format !== PRECOMPILED_FORMAT || precompiled.catalogue !== JSON.stringify(catalogue)) {
    return () => undefined;
  }
  let nodes: readonly FactNode[] | undefined;
  return ({ file, text }) => {
    const entry = Object.hasOwn(precompiled.files, baseName(file))
      ? precompiled.files[baseName(file)]
      : undefined;
    if (entry?.text !== text) return undefined;
    nodes ??= catalogueNodes(catalogue).nodes;
    return deserialiseRule(entry.rule, file, nodes);
  };
}

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

/**
 * Every node of the catalogue in a fixed walk (fields in order, list items, nullable inners), once
 * per place it appears: two catalogues that serialise alike have the same node at each index.
 */
function catalogueNodes(catalogue: Catalogue): {
  readonly nodes: readonly FactNode[];
  readonly indexOf: ReadonlyMap<FactNode, number>;
} {
  const nodes: FactNode[] = [];
  const indexOf = new Map<FactNode, number>();
  const visit = (node: FactNode): void => {
    if (!indexOf.has(node)) indexOf.set(node, nodes.length);
    nodes.push(node);
    if (node.kind === 'object') for (const child of Object.values(node.fields)) visit(child);
    else if (node.kind === 'list') visit(node.item);
    else if (node.kind === 'nullable') visit(node.inner);
  };
  visit(catalogue);
  return { nodes, indexOf };
}

/**
 * Catalogue nodes become `{ $node: index }`; the file is left out. Undefined for a rule with a
 * `matches` pattern, which is not precompiled.
 */
function serialiseRule(rule: CompiledRule, indexOf: ReadonlyMap<FactNode, number>): unknown {
  const { line, col } = rule.source;
  let hasPattern = false;
  const json = JSON.stringify({ ...rule, source: { line, col } }, (key, value: unknown) => {
    if (key === 'op' && value === 'matches') hasPattern = true;
    if (value !== null && typeof value === 'object') {
      const index = indexOf.get(value as FactNode);
      if (index !== undefined) return { $node: index };
    }
    return value;
  });
  return hasPattern ? undefined : (JSON.parse(json) as unknown);
}

/**
 * The compiled rule of an entry, named after `file`. The entry's data is revived in place (catalogue
 * nodes put back), once: a JSON reviver per rule took longer than compiling some of them.
 */
function deserialiseRule(data: unknown, file: string, nodes: readonly FactNode[]): CompiledRule {
  const rule = revive(data, nodes) as Omit<CompiledRule, 'source'> & {
    source: { line: number; col: number };
  };
  return { ...rule, source: { file, line: rule.source.line, col: rule.source.col } };
}

function revive(value: unknown, nodes: readonly FactNode[]): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) value[index] = revive(value[index], nodes);
    return value;
  }
  const record = value as Record<string, unknown>;
  if ('$node' in record) {
    const node = nodes[record.$node as number];
    if (node === undefined) throw new Error('a precompiled rule names a node the catalogue does not have');
    return node;
  }
  if (REVIVED.has(record)) return record;
  REVIVED.add(record);
  for (const key of Object.keys(record)) record[key] = revive(record[key], nodes);
  return record;
}

/** Objects already revived: a catalogue node (or anything revived before) is left as it is. */
const REVIVED = new WeakSet<object>();

import { echoed } from '../../shared/errors.js';
/**
 * The fact catalogue: the typed tree of facts that rule files may read. Rules are checked against it when
 * they load, so a misspelt fact or a comparison that cannot make sense is an error, never a silent `false`.
 */

export interface NumberFact {
  readonly kind: 'number';
  readonly description: string;
}
export interface StringFact {
  readonly kind: 'string';
  readonly description: string;
}
export interface BooleanFact {
  readonly kind: 'boolean';
  readonly description: string;
}
export interface EnumFact<V extends string = string> {
  readonly kind: 'enum';
  readonly values: readonly V[];
  readonly description: string;
}
export interface ObjectFact<F extends FactFields = FactFields> {
  readonly kind: 'object';
  readonly fields: F;
  readonly description: string;
}
export interface ListFact<I extends FactNode = FactNode> {
  readonly kind: 'list';
  readonly item: I;
  readonly description: string;
}
/** `null` in the fact tree means "not gathered" (no evidence file, no clients section…), never "none". */
export interface NullableFact<I extends FactNode = FactNode> {
  readonly kind: 'nullable';
  readonly inner: I;
  readonly description: string;
}

export type FactNode =
  NumberFact | StringFact | BooleanFact | EnumFact | ObjectFact | ListFact | NullableFact;
export type FactFields = { readonly [key: string]: FactNode };
/** A fact node once `nullable` is peeled off: what comparisons are checked against. */
export type ValueFact = Exclude<FactNode, NullableFact>;

/** The root of the catalogue: an object whose fields are the top-level fact names. */
export type Catalogue<F extends FactFields = FactFields> = ObjectFact<F>;

/** The TypeScript shape of a fact tree that conforms to a catalogue node. */
export type FactsOf<N extends FactNode> = N extends NumberFact
  ? number
  : N extends StringFact
    ? string
    : N extends BooleanFact
      ? boolean
      : N extends EnumFact<infer V>
        ? V
        : N extends ObjectFact<infer F>
          ? { readonly [K in keyof F]: FactsOf<F[K]> }
          : N extends ListFact<infer I>
            ? readonly FactsOf<I>[]
            : N extends NullableFact<infer I>
              ? FactsOf<I> | null
              : never;

/** Constructors for catalogue nodes; a namespace object because `enum` is a reserved word. */
export const fact = {
  number: (description: string): NumberFact => ({ kind: 'number', description }),
  string: (description: string): StringFact => ({ kind: 'string', description }),
  boolean: (description: string): BooleanFact => ({ kind: 'boolean', description }),
  enum: <const V extends string>(values: readonly V[], description: string): EnumFact<V> => ({
    kind: 'enum',
    values,
    description,
  }),
  object: <const F extends FactFields>(fields: F, description: string): ObjectFact<F> => ({
    kind: 'object',
    fields,
    description,
  }),
  list: <I extends FactNode>(item: I, description: string): ListFact<I> => ({
    kind: 'list',
    item,
    description,
  }),
  /** The description stays the inner node's: null only adds "may be missing". */
  nullable: <I extends FactNode>(inner: I): NullableFact<I> => ({
    kind: 'nullable',
    inner,
    description: inner.description,
  }),
} as const;

/** Declares the root of a catalogue. */
export function defineCatalogue<const F extends FactFields>(fields: F): Catalogue<F> {
  return { kind: 'object', fields, description: 'All facts' };
}

/** A fact path as a rule wrote it, resolved against the catalogue and the variables in scope. */
export interface ResolvedFactPath {
  /** The path as written, e.g. `probe.state`; what "not gathered" messages name. */
  readonly text: string;
  /** The bound variable the path starts from, when it does not start at the catalogue root. */
  readonly variable?: string;
  /** Field names after the variable (or from the root). */
  readonly fields: readonly string[];
  readonly node: ValueFact;
  /** Whether any step on the way may be null ("not gathered"). */
  readonly nullable: boolean;
}

/** Variables bound by `for` or a quantifier: name → the list item's node. */
export type FactScope = ReadonlyMap<string, FactNode>;

/** Resolves `change.https.candidate` or `probe.state` (with `probe` bound); a message when it does not exist. */
export function resolveFactPath(
  catalogue: Catalogue,
  path: string,
  scope: FactScope,
): ResolvedFactPath | { readonly error: string } {
  const [head = '', ...rest] = path.split('.');
  const bound = scope.get(head);
  const variable = bound ? head : undefined;
  const fields = bound ? rest : [head, ...rest];
  let node: FactNode = bound ?? catalogue;
  let nullable = false;
  let walked = variable ?? '';
  for (const field of fields) {
    const value = unwrapNullable(node);
    nullable ||= value.nullable;
    if (value.node.kind !== 'object') {
      const what = value.node.kind === 'list' ? `a list (iterate it with each)` : typeName(value.node);
      return { error: `unknown fact ${echoed(path)}: ${walked} is ${what} and has no field "${field}"` };
    }
    const next: FactNode | undefined = Object.hasOwn(value.node.fields, field)
      ? value.node.fields[field]
      : undefined;
    if (!next) {
      const known = [...Object.keys(value.node.fields), ...(walked ? [] : [...scope.keys()])];
      const where = walked ? ` in ${walked}` : '';
      return {
        error: `unknown fact ${echoed(path)}: no ${echoed(field)}${where} (known: ${known.join(', ')})`,
      };
    }
    node = next;
    walked = walked ? `${walked}.${field}` : field;
  }
  const last = unwrapNullable(node);
  return { text: path, variable, fields, node: last.node, nullable: nullable || last.nullable };
}

export function unwrapNullable(node: FactNode): { readonly node: ValueFact; readonly nullable: boolean } {
  let nullable = false;
  while (node.kind === 'nullable') {
    nullable = true;
    node = node.inner;
  }
  return { node, nullable };
}

/** A short human type name, as load-time messages and the Markdown table show it. */
export function typeName(node: FactNode): string {
  switch (node.kind) {
    case 'enum':
      return `one of ${node.values.join(', ')}`;
    case 'list':
      return `list of ${typeName(node.item)}`;
    case 'nullable':
      return `${typeName(node.inner)} or not gathered`;
    default:
      return node.kind;
  }
}

/** Every path of the catalogue, parents before children; list items appear as `servers[].host`. */
export function walkCatalogue(catalogue: Catalogue): { readonly path: string; readonly node: FactNode }[] {
  const rows: { path: string; node: FactNode }[] = [];
  const visit = (node: FactNode, path: string): void => {
    if (path) rows.push({ path, node });
    const { node: value } = unwrapNullable(node);
    if (value.kind === 'object') {
      for (const [key, child] of Object.entries(value.fields)) visit(child, path ? `${path}.${key}` : key);
    } else if (value.kind === 'list') {
      const item = unwrapNullable(value.item).node;
      if (item.kind === 'object') {
        for (const [key, child] of Object.entries(item.fields)) visit(child, `${path}[].${key}`);
      }
    }
  };
  visit(catalogue, '');
  return rows;
}

/** The catalogue as a Markdown table (path, type, description) for the rule authors' documentation. */
export function renderCatalogueMarkdown(catalogue: Catalogue): string {
  const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
  const rows = walkCatalogue(catalogue).map(
    ({ path, node }) => `| \`${path}\` | ${cell(typeName(node))} | ${cell(node.description)} |`,
  );
  return ['| path | type | description |', '| --- | --- | --- |', ...rows].join('\n') + '\n';
}

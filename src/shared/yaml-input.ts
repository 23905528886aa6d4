import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
  type Document,
  type Node,
} from 'yaml';
import type * as z from 'zod';
import { echoed, InputError, type InputProblem, type SourcePosition } from './errors.js';
import { LineIndex } from './line-index.js';
import { excessiveNestingAt, MAX_YAML_DEPTH } from './yaml-depth.js';

/** A path into a YAML document: map keys and sequence indexes. */
export type YamlPath = readonly (string | number)[];

/** Validated data plus a way back to where each part of it is written, for checks zod cannot make. */
export interface YamlSource<T> {
  readonly data: T;
  /** Where the node at `path` starts (its nearest existing ancestor when it is missing). */
  readonly positionOf: (path: YamlPath) => SourcePosition;
  /** Where the key of the map entry at `path` starts, for problems about the key itself. */
  readonly keyPositionOf: (path: YamlPath) => SourcePosition;
  /**
   * Where the `occurrence`-th `needle` (0-based) is written inside the node at `path`, e.g. a placeholder
   * inside a template; the node's start when the source does not hold it verbatim (escapes, folding).
   */
  readonly positionWithin: (path: YamlPath, needle: string, occurrence?: number) => SourcePosition;
}

/**
 * Parses YAML and validates it with a zod schema, reporting every problem as `file:line:col: path: message`
 * at the node that caused it (the offending key for unknown keys, the parent map for missing keys).
 */
export function parseYamlInput<S extends z.ZodType>(text: string, file: string, schema: S): z.output<S> {
  return parseYamlSource(text, file, schema).data;
}

/** Like {@link parseYamlInput}, and keeps the document so later checks can position their problems too. */
export function parseYamlSource<S extends z.ZodType>(
  text: string,
  file: string,
  schema: S,
): YamlSource<z.output<S>> {
  const lineCounter = new LineCounter();
  const tooDeep = excessiveNestingAt(text);
  if (tooDeep !== null) {
    const { line, col } = new LineIndex(text).position(tooDeep);
    throw new InputError([
      { position: { file, line, col }, message: `nested more than ${MAX_YAML_DEPTH} levels deep` },
    ]);
  }
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: false });
  const positionAt = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, col };
  };
  const syntaxError = doc.errors[0];
  if (syntaxError) {
    // Only the first: later syntax errors are usually echoes of it.
    throw new InputError([
      { position: positionAt(syntaxError.pos[0]), message: firstLine(syntaxError.message) },
    ]);
  }
  const complexKey = collectionKeyOf(doc);
  if (complexKey) {
    throw new InputError([
      {
        position: positionAt(firstNodeOf(complexKey).range?.[0] ?? 0),
        message: 'a key must be a plain name, not a mapping or a list (a `? ` line makes what follows a key)',
      },
    ]);
  }
  let data: unknown;
  try {
    // maxAliasCount bounds alias expansion ("billion laughs") the same way XML entities are refused.
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new InputError([{ position: positionAt(0), message: firstLine((error as Error).message) }]);
  }
  // One validation of one small document: zod's JIT (code generated per object schema on its first
  // parse) costs more than it saves here, several ms for a plan.
  const result = schema.safeParse(data ?? {}, { jitless: true });
  if (result.success) {
    return {
      data: result.data,
      positionOf: (path) => positionAt(deepestNode(doc, path)?.range?.[0] ?? 0),
      keyPositionOf: (path) => {
        const key = path.at(-1);
        const node = typeof key === 'string' ? keyNode(doc, path.slice(0, -1), key) : deepestNode(doc, path);
        return positionAt(node?.range?.[0] ?? 0);
      },
      positionWithin: (path, needle, occurrence = 0) => {
        const [start = 0, end = start] = deepestNode(doc, path)?.range ?? [];
        let index = text.indexOf(needle, start);
        for (let seen = 0; seen < occurrence && index >= 0; seen += 1)
          index = text.indexOf(needle, index + 1);
        return positionAt(index >= 0 && index + needle.length <= end ? index : start);
      },
    };
  }
  const problems: InputProblem[] = [];
  for (const issue of result.error.issues) {
    const path = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    for (const key of keys) {
      const node = key === undefined ? deepestNode(doc, path) : keyNode(doc, path, key);
      const where = formatYamlPath(key === undefined ? path : [...path, key]);
      const missing = key === undefined && issue.code === 'invalid_type' && !doc.hasIn(path);
      const message =
        key !== undefined
          ? `unknown key ${echoed(key)}`
          : missing
            ? 'required key is missing'
            : issue.message;
      problems.push({
        position: positionAt(node?.range?.[0] ?? 0),
        message: where ? `${where}: ${message}` : message,
      });
    }
  }
  problems.sort((a, b) => a.position.line - b.position.line || a.position.col - b.position.col);
  throw new InputError(problems);
}

/** The first key that is a mapping or a list (YAML allows them; JSON-like data cannot hold them). */
function collectionKeyOf(doc: Document): Node | undefined {
  let found: Node | undefined;
  visit(doc, {
    Pair(_key, pair) {
      if (pair.key !== null && typeof pair.key === 'object' && !isScalar(pair.key)) {
        found = pair.key as Node;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** Where a collection's text starts: its first key or item (a block map's own range can start later). */
function firstNodeOf(node: Node): Node {
  const first = isMap(node) ? node.items[0]?.key : isSeq(node) ? node.items[0] : undefined;
  return first !== null && typeof first === 'object' && 'range' in first ? (first as Node) : node;
}

/** The node at `path`, or the nearest ancestor that exists (a missing key points at its parent map). */
function deepestNode(doc: Document, path: readonly (string | number)[]): Node | undefined {
  for (let length = path.length; length >= 0; length -= 1) {
    const node = doc.getIn(path.slice(0, length), true);
    if (node && typeof node === 'object' && 'range' in node) return node as Node;
  }
  return doc.contents ?? undefined;
}

function keyNode(doc: Document, mapPath: readonly (string | number)[], key: string): Node | undefined {
  const map = deepestNode(doc, mapPath);
  if (isMap(map)) {
    for (const pair of map.items) {
      if (isPair(pair) && isScalar(pair.key) && String(pair.key.value) === key) return pair.key;
    }
  }
  return map;
}

/**
 * `a.b[0].c`, the way problems name where they are. A key that is not a plain name (a YAML complex
 * key turns a whole mapping into one, line breaks included) is echoed in brackets, cut and escaped,
 * so that the problem stays one line.
 */
export function formatYamlPath(path: YamlPath): string {
  return path
    .map((key, index) =>
      typeof key === 'number'
        ? `[${key}]`
        : !PLAIN_KEY.test(key)
          ? `[${echoed(key)}]`
          : index === 0
            ? key
            : `.${key}`,
    )
    .join('');
}

const PLAIN_KEY = /^[\w$-]+$/;

function firstLine(message: string): string {
  return message.split('\n')[0]?.trim() ?? message;
}

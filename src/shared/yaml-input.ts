import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { InputError, type InputProblem } from './errors.js';

/**
 * Parses YAML and validates it with a zod schema, reporting every problem as `file:line:col: path: message`
 * at the node that caused it (the offending key for unknown keys, the parent map for missing keys).
 */
export function parseYamlInput<S extends z.ZodType>(text: string, file: string, schema: S): z.output<S> {
  const lineCounter = new LineCounter();
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
  let data: unknown;
  try {
    // maxAliasCount bounds alias expansion ("billion laughs") the same way XML entities are refused.
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new InputError([{ position: positionAt(0), message: firstLine((error as Error).message) }]);
  }
  const result = schema.safeParse(data ?? {});
  if (result.success) return result.data;
  const problems: InputProblem[] = [];
  for (const issue of result.error.issues) {
    const path = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    for (const key of keys) {
      const node = key === undefined ? deepestNode(doc, path) : keyNode(doc, path, key);
      const where = formatPath(key === undefined ? path : [...path, key]);
      const missing = key === undefined && issue.code === 'invalid_type' && !doc.hasIn(path);
      const message =
        key !== undefined ? `unknown key "${key}"` : missing ? 'required key is missing' : issue.message;
      problems.push({
        position: positionAt(node?.range?.[0] ?? 0),
        message: where ? `${where}: ${message}` : message,
      });
    }
  }
  problems.sort((a, b) => a.position.line - b.position.line || a.position.col - b.position.col);
  throw new InputError(problems);
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

function formatPath(path: readonly (string | number)[]): string {
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? key : `.${key}`))
    .join('');
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.trim() ?? message;
}

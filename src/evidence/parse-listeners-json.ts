import * as z from 'zod';
import { LineIndex } from '../shared/line-index.js';
import { MAX_EVIDENCE_ROWS, tooManyRowsError } from './evidence-budget.js';
import { inputErrorAt, isIpAddress } from './text-lines.js';
import type { Listener } from './types.js';

/**
 * The listeners PowerShell reports, as `portflight collect` writes them to `listeners.json`:
 *
 * ```json
 * {
 *   "tcp": [{ "LocalAddress": "0.0.0.0", "LocalPort": 80, "OwningProcess": 4, "ProcessName": "System" }],
 *   "udp": [{ "LocalAddress": "0.0.0.0", "LocalPort": 123, "OwningProcess": 1240, "ProcessName": "svchost" }]
 * }
 * ```
 *
 * `tcp` rows come from `Get-NetTCPConnection -State Listen`, `udp` rows from `Get-NetUDPEndpoint`.
 * ConvertTo-Json unwraps one-element arrays and writes enums as numbers, so a row may stand alone
 * instead of in an array, and an optional `State` may be `2` or `"Listen"` (TCP rows in another state
 * are dropped). `ProcessName` and `OwningProcess` may be absent or null. Other properties are ignored.
 */

/** MSFT_NetTCPConnection's State enum value for Listen. */
const TCP_STATE_LISTEN = 2;

const numeric = (max: number) =>
  z.union([
    z.number().int().min(0).max(max),
    z.string().regex(/^\d+$/).transform(Number).pipe(z.number().max(max)),
  ]);

function listenersSchemaNow() {
  const rowSchema = z.object({
    LocalAddress: z.string().refine(isIpAddress, 'expected an IP address such as 0.0.0.0, :: or 10.0.0.5'),
    LocalPort: numeric(65535),
    OwningProcess: numeric(4294967295).nullish(),
    ProcessName: z.string().nullish(),
    State: z.union([z.number().int(), z.string()]).nullish(),
  });
  /** One row or an array of rows; null or absent is none. */
  const rowsSchema = z.preprocess(
    (value) => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]),
    z.array(rowSchema),
  );
  return z.object({ tcp: rowsSchema, udp: rowsSchema });
}

type Row = z.infer<ReturnType<typeof listenersSchemaNow>>['tcp'][number];

/** Built when a bundle first has a listeners.json: zod schemas take a few ms to build, and most have none. */
let listenersSchema: ReturnType<typeof listenersSchemaNow> | undefined;

/** Parses `listeners.json` (shape in the module comment); errors point at the offending value. */
export function parseListenersJson(text: string, file: string): Listener[] {
  const body = text.replace(/^\uFEFF/, '');
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (error) {
    throw jsonSyntaxError(body, file, (error as Error).message);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data) || !('tcp' in data || 'udp' in data)) {
    const { line, col } = positionOf(body, locateValue(body, []));
    throw inputErrorAt(file, line, col, 'expected an object with "tcp" and "udp" arrays of listeners');
  }
  refuseTooManyRows(data, body, file);
  const parsed = (listenersSchema ??= listenersSchemaNow()).safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = (issue?.path ?? []).filter((key): key is string | number => typeof key !== 'symbol');
    const { line, col } = positionOf(body, locateValue(body, path));
    throw inputErrorAt(file, line, col, `${formatPath(path)}: ${issue?.message ?? 'invalid value'}`);
  }
  const lines = new LineIndex(body);
  const toListeners = (protocol: 'tcp' | 'udp', rows: readonly Row[]): Listener[] => {
    const offsets = locateElements(body, protocol);
    return rows.flatMap((row, index) =>
      protocol === 'tcp' && !isListenState(row.State)
        ? []
        : [
            {
              protocol,
              address: row.LocalAddress,
              port: row.LocalPort,
              pid: row.OwningProcess ?? null,
              processName: row.ProcessName ?? null,
              source: { file, line: lines.line(offsets[index] ?? 0) },
            },
          ],
    );
  };
  return [...toListeners('tcp', parsed.data.tcp), ...toListeners('udp', parsed.data.udp)];
}

/** The row budget, checked before the rows are validated one by one: at the first row past it. */
function refuseTooManyRows(data: object, body: string, file: string): void {
  const counts = (['tcp', 'udp'] as const).map((key) => {
    const rows: unknown = (data as Record<string, unknown>)[key];
    return Array.isArray(rows) ? rows.length : 1;
  });
  const [tcp = 0, udp = 0] = counts;
  if (tcp + udp <= MAX_EVIDENCE_ROWS) return;
  const path = tcp > MAX_EVIDENCE_ROWS ? ['tcp', MAX_EVIDENCE_ROWS] : ['udp', MAX_EVIDENCE_ROWS - tcp];
  const { line, col } = positionOf(body, locateValue(body, path));
  throw tooManyRowsError(file, line, col, 'listeners');
}

/** No State (as collect writes it, from `-State Listen`), or Listen as a number or a name. */
function isListenState(state: number | string | null | undefined): boolean {
  return (
    state === undefined || state === null || state === TCP_STATE_LISTEN || /^listen$/i.test(String(state))
  );
}

/** The offsets of the rows under a top-level key, in one pass (a lone object is one row). */
function locateElements(text: string, key: string): number[] {
  let at = locateValue(text, [key]);
  if (text.charAt(at) !== '[') return [at];
  const offsets: number[] = [];
  at = skipSpace(text, at + 1);
  while (at < text.length && text.charAt(at) !== ']') {
    offsets.push(at);
    at = skipSpace(text, skipSeparator(text, skipValue(text, at)));
  }
  return offsets;
}

function formatPath(path: readonly (string | number)[]): string {
  return path.length === 0
    ? '(document)'
    : path
        .map((key) => (typeof key === 'number' ? `[${key}]` : `.${key}`))
        .join('')
        .replace(/^\./, '');
}

/** V8 gives a position for most syntax errors; for the others the error names the token on line 1. */
function jsonSyntaxError(text: string, file: string, message: string): Error {
  const at = /at position (\d+)/.exec(message);
  const offset = at !== null ? Number(at[1]) : /end of JSON input/.test(message) ? text.length : 0;
  const { line, col } = positionOf(text, offset);
  const reason = message
    .replace(/,\s*".*" is not valid JSON$/s, '')
    .replace(/\s*in JSON at position \d+.*$/s, '');
  return inputErrorAt(file, line, col, `invalid JSON: ${reason.replace(/\s+/g, ' ')}`);
}

/** For one error: counted without splitting the text (the offset may be 16 MiB in). */
function positionOf(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) {
    line += 1;
    lineStart = at + 1;
  }
  return { line, col: offset - lineStart + 1 };
}

/**
 * The offset of the value at `path` in valid JSON text, found by skipping over siblings (no second
 * parse tree). An index into something that is not an array is the unwrapped one-element case.
 * Stops at the deepest value it could reach.
 */
function locateValue(text: string, path: readonly (string | number)[]): number {
  let at = skipSpace(text, 0);
  for (const key of path) {
    const open = text.charAt(at);
    if (typeof key === 'number' && open === '[') {
      at = skipSpace(text, at + 1);
      for (let index = 0; index < key && text.charAt(at) !== ']'; index += 1)
        at = skipSpace(text, skipSeparator(text, skipValue(text, at)));
    } else if (typeof key === 'string' && open === '{') {
      at = skipSpace(text, at + 1);
      let found = false;
      while (!found && text.charAt(at) === '"') {
        const keyEnd = skipValue(text, at);
        const name = JSON.parse(text.slice(at, keyEnd)) as string;
        at = skipSpace(text, keyEnd);
        at = skipSpace(text, at + 1); // the ':'
        if (name === key) found = true;
        else at = skipSpace(text, skipSeparator(text, skipValue(text, at)));
      }
      if (!found) return at;
    } else if (typeof key !== 'number' || key !== 0) {
      return at;
    }
  }
  return at;
}

function skipSpace(text: string, at: number): number {
  while (at < text.length && /\s/.test(text.charAt(at))) at += 1;
  return at;
}

function skipSeparator(text: string, at: number): number {
  const next = skipSpace(text, at);
  return text.charAt(next) === ',' ? next + 1 : next;
}

/** The offset just past the value starting at `at` (strings, nested containers, literals). */
function skipValue(text: string, at: number): number {
  let depth = 0;
  let index = at;
  while (index < text.length) {
    const char = text.charAt(index);
    if (char === '"') {
      index += 1;
      while (index < text.length && text.charAt(index) !== '"') index += text.charAt(index) === '\\' ? 2 : 1;
      index += 1;
    } else if (char === '{' || char === '[') {
      depth += 1;
      index += 1;
    } else if (char === '}' || char === ']') {
      if (depth === 0) return index;
      depth -= 1;
      index += 1;
    } else if (depth === 0 && (char === ',' || /\s/.test(char))) {
      return index;
    } else {
      index += 1;
    }
    if (depth === 0 && (char === '"' || char === '}' || char === ']')) return index;
  }
  return index;
}

import { stringify } from 'yaml';

/**
 * YAML text of plain data (objects, arrays, strings, numbers, booleans, null), byte for byte what
 * `stringify(value, YAML_OPTIONS)` of the yaml package writes: the same scalar styles (plain,
 * single- or double-quoted, `|` blocks) and layout, so reports read and diff as they always have.
 * The package builds a node per value and a context per pair (~140 µs per probe record); this
 * writes the text in one walk. It follows yaml's stringifyString/stringifyPair/stringifyCollection
 * (2.x) for exactly these options; test/report/yaml-text.test.ts compares the two on generated data.
 * Anything else (class instances, Maps, Dates, bigints, keys over 1024 characters) goes to yaml.
 */
export const YAML_OPTIONS = { lineWidth: 0, aliasDuplicateObjects: false } as const;

export function yamlText(value: unknown): string {
  try {
    return `${new YamlWriter().document(value)}\n`;
  } catch (error) {
    if (error !== NOT_PLAIN) throw error;
    return stringify(value, YAML_OPTIONS);
  }
}

/** Thrown (and caught above) when the value needs the yaml package. */
const NOT_PLAIN = Symbol('not plain data');

const STEP = '  ';

/** Control characters and lone surrogates: yaml writes such a string double-quoted. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NEEDS_DOUBLE_QUOTES = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;
/** What a plain scalar may not start with, contain or end with (yaml's plainString). */
const NOT_PLAIN_SCALAR = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;
/** Plain text that YAML 1.2 (core schema) would read back as null, a boolean or a number. */
const OTHER_TYPES = [
  /^(?:~|[Nn]ull|NULL)?$/,
  /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
  /^0o[0-7]+$/,
  /^[-+]?[0-9]+$/,
  /^0x[0-9a-fA-F]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
];
const BLOCK_END_NEWLINES = /(^|(?<!\n))\n+(?!\n|$)/g;
const DOUBLE_QUOTED_MIN_MULTILINE_LENGTH = 40;

class YamlWriter {
  /** The text so far, in pieces: one join at the end instead of a string rebuilt per line. */
  private readonly out: string[] = [];
  /**
   * Single-line strings repeat (states, roles, addresses) and their text does not depend on the
   * indent, only on whether they are values, keys, or top-level keys (see plain's document markers).
   */
  private readonly values = new Map<string, string>();
  private readonly keys = new Map<string, string>();
  private readonly topKeys = new Map<string, string>();

  document(value: unknown): string {
    if (Array.isArray(value)) {
      if (value.length === 0) return '[]';
      this.seq(value, '');
    } else if (isPlainObject(value)) {
      if (!hasEntries(value)) return '{}';
      this.map(value, '');
    } else {
      throw NOT_PLAIN; // a bare scalar document: rare enough to leave to yaml
    }
    return this.out.join('');
  }

  /** A map with at least one defined value: its lines, the first one without indent. */
  private map(object: Readonly<Record<string, unknown>>, indent: string): void {
    const inner = indent + STEP;
    let first = true;
    for (const key of Object.keys(object)) {
      const value = object[key];
      if (value === undefined) continue;
      const keyText = this.string(key, inner, true);
      if (keyText.length > 1024) throw NOT_PLAIN; // yaml writes an explicit `? key`
      const lead = first ? keyText : `\n${indent}${keyText}`;
      first = false;
      if (Array.isArray(value)) {
        if (value.length === 0) this.out.push(`${lead}: []`);
        else {
          this.out.push(`${lead}:\n${inner}`);
          this.seq(value, inner);
        }
      } else if (isPlainObject(value)) {
        if (!hasEntries(value)) this.out.push(`${lead}: {}`);
        else {
          this.out.push(`${lead}:\n${inner}`);
          this.map(value, inner);
        }
      } else {
        this.out.push(`${lead}: ${this.scalar(value, inner)}`);
      }
    }
  }

  private seq(items: readonly unknown[], indent: string): void {
    const inner = indent + STEP;
    for (let index = 0; index < items.length; index += 1) {
      const item = items[index];
      const lead = index === 0 ? '- ' : `\n${indent}- `;
      if (Array.isArray(item)) {
        if (item.length === 0) this.out.push(`${lead}[]`);
        else {
          this.out.push(lead);
          this.seq(item, inner);
        }
      } else if (isPlainObject(item)) {
        if (!hasEntries(item)) this.out.push(`${lead}{}`);
        else {
          this.out.push(lead);
          this.map(item, inner);
        }
      } else {
        this.out.push(lead + this.scalar(item ?? null, inner));
      }
    }
  }

  private scalar(value: unknown, indent: string): string {
    switch (typeof value) {
      case 'string':
        return this.string(value, indent, false);
      case 'number':
        if (!Number.isFinite(value)) return Number.isNaN(value) ? '.nan' : value < 0 ? '-.inf' : '.inf';
        return Object.is(value, -0) ? '-0' : JSON.stringify(value);
      case 'boolean':
        return value ? 'true' : 'false';
      default:
        if (value === null) return 'null';
        throw NOT_PLAIN;
    }
  }

  /** A string scalar at `indent` (the indent of its node), as a map key or a value. */
  private string(value: string, indent: string, implicitKey: boolean): string {
    if (value.includes('\n')) return stringScalar(value, indent, implicitKey);
    const memo = !implicitKey ? this.values : indent === STEP ? this.topKeys : this.keys;
    let text = memo.get(value);
    if (text === undefined) {
      text = stringScalar(value, indent, implicitKey);
      memo.set(value, text);
    }
    return text;
  }
}

/** Whether yaml writes the object as a block map: it skips undefined values, `{}` when none is left. */
function hasEntries(object: Readonly<Record<string, unknown>>): boolean {
  for (const key in object) if (Object.hasOwn(object, key) && object[key] !== undefined) return true;
  return false;
}

function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  if (value === null || typeof value !== 'object') return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  if ((prototype === Object.prototype || prototype === null) && !('toJSON' in value)) return true;
  throw NOT_PLAIN; // Map, Date, class instances, toJSON: yaml has rules for them
}

/** yaml's stringifyString with type unset: double quotes for control characters, else plain if it can. */
function stringScalar(value: string, indent: string, implicitKey: boolean): string {
  return NEEDS_DOUBLE_QUOTES.test(value)
    ? doubleQuoted(value, indent, implicitKey)
    : plain(value, indent, implicitKey);
}

function plain(value: string, indent: string, implicitKey: boolean): string {
  const multiline = value.includes('\n');
  if (implicitKey && multiline) return quoted(value, indent, implicitKey);
  if (NOT_PLAIN_SCALAR.test(value)) {
    return implicitKey || !multiline ? quoted(value, indent, implicitKey) : block(value, indent, false);
  }
  if (!implicitKey && multiline) return block(value, indent, false);
  if (DOCUMENT_MARKER.test(value)) {
    if (indent === '') return block(value, indent, true);
    if (implicitKey && indent === STEP) return quoted(value, indent, implicitKey);
  }
  // No line break is left here (keys with one were quoted, values went to block).
  return OTHER_TYPES.some((type) => type.test(value)) ? quoted(value, indent, implicitKey) : value;
}

function quoted(value: string, indent: string, implicitKey: boolean): string {
  const hasDouble = value.includes('"');
  const hasSingle = value.includes("'");
  return hasDouble && !hasSingle
    ? singleQuoted(value, indent, implicitKey)
    : doubleQuoted(value, indent, implicitKey);
}

function singleQuoted(value: string, indent: string, implicitKey: boolean): string {
  if ((implicitKey && value.includes('\n')) || /[ \t]\n|\n[ \t]/.test(value)) {
    return doubleQuoted(value, indent, implicitKey);
  }
  const lineIndent = indent || (DOCUMENT_MARKER.test(value) ? STEP : '');
  return `'${value.replace(/'/g, "''").replace(/\n+/g, `$&\n${lineIndent}`)}'`;
}

/** JSON's escapes turned into YAML's, and (outside keys) line breaks written as folded lines. */
function doubleQuoted(value: string, indent: string, implicitKey: boolean): string {
  const json = JSON.stringify(value);
  const lineIndent = indent || (DOCUMENT_MARKER.test(value) ? STEP : '');
  let text = '';
  let start = 0;
  for (let i = 0, ch = json[i]; ch; ch = json[++i]) {
    if (ch === ' ' && json[i + 1] === '\\' && json[i + 2] === 'n') {
      // A space before a line break is escaped, or folding would eat it.
      text += `${json.slice(start, i)}\\ `;
      i += 1;
      start = i;
      ch = '\\';
    }
    if (ch !== '\\') continue;
    if (json[i + 1] === 'u') {
      text += json.slice(start, i);
      const code = json.slice(i + 2, i + 6);
      text += UNICODE_ESCAPES[code] ?? (code.startsWith('00') ? `\\x${code.slice(2)}` : json.slice(i, i + 6));
      i += 5;
      start = i + 1;
    } else if (json[i + 1] === 'n') {
      if (implicitKey || json[i + 2] === '"' || json.length < DOUBLE_QUOTED_MIN_MULTILINE_LENGTH) {
        i += 1;
      } else {
        // Folding eats the first line break: write one more, then the following ones.
        text += `${json.slice(start, i)}\n\n`;
        while (json[i + 2] === '\\' && json[i + 3] === 'n' && json[i + 4] !== '"') {
          text += '\n';
          i += 2;
        }
        text += lineIndent;
        // A space after a line break is escaped, or folding would eat it.
        if (json[i + 2] === ' ') text += '\\';
        i += 1;
        start = i + 1;
      }
    } else {
      i += 1;
    }
  }
  return start ? text + json.slice(start) : json;
}

const UNICODE_ESCAPES: Readonly<Record<string, string>> = {
  '0000': '\\0',
  '0007': '\\a',
  '000b': '\\v',
  '001b': '\\e',
  '0085': '\\N',
  '00a0': '\\_',
  '2028': '\\L',
  '2029': '\\P',
};

/** A `|` block scalar (always literal: no line width, so nothing is folded), with yaml's chomping. */
function block(value: string, indent: string, forceIndent: boolean): string {
  // A block cannot end in whitespace after its last line break.
  if (/\n[\t ]+$/.test(value)) return quoted(value, indent, false);
  const lineIndent = indent || (forceIndent || DOCUMENT_MARKER.test(value) ? STEP : '');
  let endStart = value.length;
  while (endStart > 0 && ' \t\n'.includes(value[endStart - 1] as string)) endStart -= 1;
  let end = value.slice(endStart);
  const endNewline = end.indexOf('\n');
  const chomp = endNewline === -1 ? '-' : value === end || endNewline !== end.length - 1 ? '+' : '';
  let body = value;
  if (end) {
    body = body.slice(0, -end.length);
    if (end.endsWith('\n')) end = end.slice(0, -1);
    end = end.replace(BLOCK_END_NEWLINES, `$&${lineIndent}`);
  }
  let startWithSpace = false;
  let startEnd = 0;
  let startNewline = -1;
  for (; startEnd < body.length; startEnd += 1) {
    const ch = body[startEnd];
    if (ch === ' ') startWithSpace = true;
    else if (ch === '\n') startNewline = startEnd;
    else break;
  }
  let start = body.slice(0, startNewline < startEnd ? startNewline + 1 : startEnd);
  if (start) {
    body = body.slice(start.length);
    start = start.replace(/\n+/g, `$&${lineIndent}`);
  }
  const header = (startWithSpace ? (lineIndent ? '2' : '1') : '') + chomp;
  return `|${header}\n${lineIndent}${start}${body.replace(/\n+/g, `$&${lineIndent}`)}${end}`;
}

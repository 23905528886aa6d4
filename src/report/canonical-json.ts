/**
 * The canonical text of plain report data, as RFC 8785 (JSON Canonicalization Scheme) defines it:
 * object keys sorted by UTF-16 code units, no whitespace, strings and numbers as ECMAScript's
 * JSON.stringify writes them (which is what the RFC prescribes). Keys whose value is undefined are
 * left out, as JSON leaves them out, so the text is that of the parsed JSON or YAML report.
 *
 * Fast path: a copy whose objects hold their keys in sorted order, written by the native
 * JSON.stringify (which keeps insertion order): every report is sealed, and for a 1,440-probe
 * report this took 20 ms where building the text here took 36 (cold, as a scan runs it once). It is exact for plain data (the copy
 * checks it) whose keys are neither array indices (an object lists those first, by value: "9" before
 * "80") nor `__proto__` (an assignment would set the prototype); any other value takes the reference.
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined) throw new TypeError('canonical JSON has no text for undefined');
  const copy = sortedCopy(value);
  return copy === NOT_SORTABLE ? canonicalText(value) : JSON.stringify(copy);
}

const NOT_SORTABLE = Symbol('not sortable');

/** `value` with every object's keys in code-unit order; NOT_SORTABLE when insertion order cannot say so. */
function sortedCopy(value: unknown): unknown {
  if (value === null || value === undefined || typeof value === 'boolean' || typeof value === 'string')
    return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`canonical JSON has no text for ${value}`);
    return value;
  }
  if (typeof value !== 'object') throw new TypeError(`canonical JSON has no text for a ${typeof value}`);
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function')
    throw new TypeError('canonical JSON has no text for an object with toJSON (not plain data)');
  if (Array.isArray(value)) {
    const items = new Array<unknown>(value.length);
    for (let index = 0; index < value.length; index += 1) {
      const item = sortedCopy(value[index]);
      if (item === NOT_SORTABLE) return NOT_SORTABLE;
      items[index] = item;
    }
    return items;
  }
  const record = value as Readonly<Record<string, unknown>>;
  const keys = Object.keys(record).sort();
  const copy: Record<string, unknown> = {};
  for (const key of keys) {
    if (key === '__proto__' || isArrayIndex(key)) return NOT_SORTABLE;
    const member = record[key];
    if (member === undefined) continue;
    const sorted = sortedCopy(member);
    if (sorted === NOT_SORTABLE) return NOT_SORTABLE;
    copy[key] = sorted;
  }
  return copy;
}

/** A key an object orders before the others, by numeric value (ECMA-262 OrdinaryOwnPropertyKeys). */
function isArrayIndex(key: string): boolean {
  const first = key.charCodeAt(0);
  if (!(first >= 48 && first <= 57)) return false;
  const number = Number(key);
  return number >= 0 && number < 2 ** 32 - 1 && Number.isInteger(number) && String(number) === key;
}

/** The canonical text built member by member: the reference the fast path must equal. */
export function canonicalText(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`canonical JSON has no text for ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalText(item ?? null)).join(',')}]`;
  if (typeof value === 'object') {
    const record = value as Readonly<Record<string, unknown>>;
    const members = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalText(record[key])}`);
    return `{${members.join(',')}}`;
  }
  throw new TypeError(`canonical JSON has no text for a ${typeof value}`);
}

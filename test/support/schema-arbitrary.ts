import fc from 'fast-check';

/**
 * fast-check arbitraries built from a JSON Schema (the subset `npm run schema` writes for the plan:
 * objects, arrays, strings with patterns or enums, bounded numbers, booleans, consts, anyOf), so a
 * fuzz test walks every key the plan format has. `wild` (0-1) is how often a node is replaced by
 * something the schema does not allow: another JSON value, an out-of-range number, an unknown key,
 * a missing required key, a huge or hostile scalar.
 */

export interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly pattern?: string;
  readonly minLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
}

/** Scalars that have broken parsers before: huge, control characters, prototype names, near-misses. */
const HOSTILE_SCALARS = fc.constantFrom<unknown>(
  'x'.repeat(100_000),
  '\u0000\u001b[2J\u0085\u2028',
  '__proto__',
  'constructor',
  '',
  ' ',
  '*'.repeat(200),
  'a'.repeat(60) + '*',
  Number.MAX_SAFE_INTEGER + 2,
  -0,
  1e308,
  0.5,
  '8080',
  '0x1F90',
  '2027-02-30',
  '[::1]:80',
  true,
  null,
);

function wildValue(): fc.Arbitrary<unknown> {
  return fc.oneof(fc.jsonValue({ maxDepth: 2 }), HOSTILE_SCALARS);
}

/** Arbitraries for the properties of these names, where the schema's pattern says too little. */
export type Overrides = Readonly<Record<string, fc.Arbitrary<unknown>>>;

export function arbitraryOf(
  schema: JsonSchema,
  wild: number,
  overrides: Overrides = {},
): fc.Arbitrary<unknown> {
  const exact = exactArbitrary(schema, wild, overrides);
  if (wild <= 0) return exact;
  const weight = Math.max(1, Math.round(100 * wild));
  return fc.oneof(
    { arbitrary: exact, weight: 100 - Math.min(weight, 99) },
    { arbitrary: wildValue(), weight },
  );
}

function exactArbitrary(schema: JsonSchema, wild: number, overrides: Overrides): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum !== undefined) return fc.constantFrom(...schema.enum);
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices !== undefined)
    return fc.oneof(...choices.map((choice) => arbitraryOf(choice, wild, overrides)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object':
      return objectArbitrary(schema, wild, overrides);
    case 'array':
      return fc.array(arbitraryOf(schema.items ?? {}, wild, overrides), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 3, 3)),
      });
    case 'string':
      return schema.pattern !== undefined
        ? fc.stringMatching(new RegExp(schema.pattern))
        : fc.string({ minLength: schema.minLength ?? 0, maxLength: 20 });
    case 'integer':
    case 'number':
      return fc.integer({
        min: Math.max(schema.minimum ?? -1000, -1_000_000),
        max: Math.min(schema.maximum ?? 100_000, 1_000_000),
      });
    case 'boolean':
      return fc.boolean();
    default:
      return wildValue();
  }
}

function objectArbitrary(schema: JsonSchema, wild: number, overrides: Overrides): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const keys = Object.keys(properties);
  const record = fc.record(
    Object.fromEntries(
      keys.map((key) => [key, overrides[key] ?? arbitraryOf(properties[key] ?? {}, wild, overrides)]),
    ),
    { requiredKeys: keys.filter((key) => required.has(key)) },
  );
  if (wild <= 0) return record;
  // Sometimes an unknown key (the schema is strict), sometimes a required key left out.
  const rarely = <T>(arbitrary: fc.Arbitrary<T>) =>
    fc.oneof({ arbitrary: fc.constant(null), weight: 9 }, { arbitrary, weight: 1 });
  return fc
    .tuple(
      record,
      rarely(fc.tuple(fc.string({ maxLength: 12 }), wildValue())),
      rarely(fc.constantFrom(...(keys.length > 0 ? keys : ['']))),
    )
    .map(([value, extra, dropped]) => {
      const object: Record<string, unknown> = { ...(value as Record<string, unknown>) };
      if (extra !== null)
        Object.defineProperty(object, extra[0], {
          value: extra[1],
          enumerable: true,
          writable: true,
          configurable: true,
        });
      if (dropped !== null) delete object[dropped];
      return object;
    });
}

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ruleJsonSchemaText } from '../../src/rules/engine/json-schema.js';

describe('generated rule-file JSON Schema', () => {
  it('is up to date in samples/rule.schema.json (run `npm run schema`)', () => {
    expect(readFileSync('samples/rule.schema.json', 'utf8')).toBe(ruleJsonSchemaText());
  });

  it('names the keys a rule file may have, and their severities', () => {
    const schema = JSON.parse(ruleJsonSchemaText()) as {
      properties: Record<string, { enum?: string[] }>;
      required: string[];
    };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['id', 'title', 'severity', 'when', 'message', 'references']),
    );
    expect(schema.properties.severity?.enum).toEqual(['no-go', 'incomplete', 'condition', 'info']);
    expect(schema.required).toEqual(
      expect.arrayContaining(['id', 'title', 'severity', 'message', 'references']),
    );
  });
});

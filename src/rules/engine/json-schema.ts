import * as z from 'zod';
import { ruleFileSchema } from './rule-file-schema.js';

/** JSON Schema of a rule file, for editors' autocompletion (facts are checked by the loader, not here). */
export function ruleJsonSchemaText(): string {
  const schema = z.toJSONSchema(ruleFileSchema, { io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify({ ...schema, title: 'portflight rule file' }, null, 2)}\n`;
}

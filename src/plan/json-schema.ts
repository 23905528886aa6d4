import * as z from 'zod';
import { planSchema } from './schema.js';

/** JSON Schema of the plan (input side: defaulted keys are optional), for editors' autocompletion. */
export function planJsonSchemaText(): string {
  const schema = z.toJSONSchema(planSchema, { io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify({ ...schema, title: 'portflight change plan' }, null, 2)}\n`;
}

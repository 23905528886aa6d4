import { writeFileSync } from 'node:fs';
import { planJsonSchemaText } from '../src/plan/json-schema.js';

// Regenerates samples/plan.schema.json; a test fails when the committed file is stale.
writeFileSync(new URL('../samples/plan.schema.json', import.meta.url), planJsonSchemaText());
console.log('wrote samples/plan.schema.json');

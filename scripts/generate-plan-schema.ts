import { writeFileSync } from 'node:fs';
import { planJsonSchemaText } from '../src/plan/json-schema.js';
import { ruleJsonSchemaText } from '../src/rules/engine/json-schema.js';

// Regenerates the JSON Schemas in samples/; a test fails when a committed file is stale.
writeFileSync(new URL('../samples/plan.schema.json', import.meta.url), planJsonSchemaText());
writeFileSync(new URL('../samples/rule.schema.json', import.meta.url), ruleJsonSchemaText());
console.log('wrote samples/plan.schema.json and samples/rule.schema.json');

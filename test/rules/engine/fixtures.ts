import { InputError } from '../../../src/shared/errors.js';
import { parseRuleFile } from '../../../src/rules/engine/compile-rule.js';
import { defineCatalogue, evaluateRuleSet, fact, type FactsOf } from '../../../src/rules/engine/index.js';
import type { Finding } from '../../../src/rules/types.js';

/** A small catalogue shaped like the real one: a change, a nullable client count, probes, servers. */
export const testCatalogue = defineCatalogue({
  change: fact.object(
    {
      http: fact.object(
        {
          current: fact.number('HTTP port clients use today'),
          candidate: fact.number('HTTP port after the change'),
        },
        'The client request HTTP port change',
      ),
      newPorts: fact.list(fact.number('A port'), 'Ports that are new after the change'),
    },
    'The planned change',
  ),
  clients: fact.object(
    { workgroup: fact.nullable(fact.number('Workgroup clients')) },
    'The client population, as the plan declares it',
  ),
  probes: fact.list(
    fact.object(
      {
        port: fact.number('TCP port probed'),
        state: fact.enum(['open', 'closed', 'filtered'], 'What the probe saw'),
        role: fact.string('Site system role of the host'),
        ref: fact.string('Evidence reference'),
      },
      'One probe',
    ),
    'Every probe of the scan',
  ),
  servers: fact.list(
    fact.object(
      {
        host: fact.string('Host name'),
        excluded: fact.nullable(
          fact.list(
            fact.object(
              { start: fact.number('First port'), end: fact.number('Last port') },
              'An excluded port range',
            ),
            'Excluded TCP port ranges (netsh)',
          ),
        ),
      },
      'A site server with an evidence bundle',
    ),
    'Servers with evidence',
  ),
});

export type TestFacts = FactsOf<typeof testCatalogue>;

/** Facts where nothing is wrong: the default every test tweaks. */
export function quietFacts(overrides: Partial<TestFacts> = {}): TestFacts {
  return {
    change: { http: { current: 80, candidate: 8080 }, newPorts: [8080] },
    clients: { workgroup: 0 },
    probes: [{ port: 8080, state: 'open', role: 'management-point', ref: 'probe:mp01/tcp/8080' }],
    servers: [{ host: 'mp01', excluded: [{ start: 50000, end: 50059 }] }],
    ...overrides,
  };
}

/** A rule file's text from the lines after the id (indented YAML, as written in a rules/ folder). */
export function ruleText(id: string, body: string): string {
  return `id: ${id}\ntitle: Test rule ${id}\nseverity: no-go\nreferences: [Ports used in Configuration Manager]\n${body}`;
}

export function fileOf(id: string): string {
  return `rules/${id.toLowerCase()}.yaml`;
}

/** Compiles one rule (body = lines after the header) and evaluates it. */
export function findingsOf(body: string, facts: TestFacts, id = 'T-RULE'): Finding[] {
  const rule = parseRuleFile(ruleText(id, body), fileOf(id), testCatalogue);
  return evaluateRuleSet([rule], facts);
}

/** The problems a rule file is refused with, one `file:line:col: message` line each. */
export function problemsOf(text: string, file: string): string[] {
  try {
    parseRuleFile(text, file, testCatalogue);
  } catch (error) {
    if (error instanceof InputError) return error.message.split('\n');
    throw error;
  }
  throw new Error('the rule file was accepted');
}

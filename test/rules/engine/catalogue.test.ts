import { describe, expect, expectTypeOf, it } from 'vitest';
import { renderCatalogueMarkdown, resolveFactPath, walkCatalogue } from '../../../src/rules/engine/index.js';
import { testCatalogue, type TestFacts } from './fixtures.js';

describe('fact catalogue', () => {
  const probeItem = testCatalogue.fields.probes.item;

  it('resolves root paths and paths from a bound variable, with nullability', () => {
    expect(resolveFactPath(testCatalogue, 'change.http.candidate', new Map())).toMatchObject({
      text: 'change.http.candidate',
      variable: undefined,
      fields: ['change', 'http', 'candidate'],
      node: { kind: 'number' },
      nullable: false,
    });
    expect(resolveFactPath(testCatalogue, 'clients.workgroup', new Map())).toMatchObject({ nullable: true });
    expect(resolveFactPath(testCatalogue, 'probe.state', new Map([['probe', probeItem]]))).toMatchObject({
      variable: 'probe',
      fields: ['state'],
      node: { kind: 'enum', values: ['open', 'closed', 'filtered'] },
    });
  });

  it('explains why a path does not resolve', () => {
    expect(resolveFactPath(testCatalogue, 'probe.state', new Map())).toEqual({
      error: 'unknown fact "probe.state": no "probe" (known: change, clients, probes, servers)',
    });
    expect(resolveFactPath(testCatalogue, 'probes.state', new Map())).toEqual({
      error: 'unknown fact "probes.state": probes is a list (iterate it with each) and has no field "state"',
    });
    expect(resolveFactPath(testCatalogue, 'change.http.candidate.x', new Map())).toEqual({
      error: 'unknown fact "change.http.candidate.x": change.http.candidate is number and has no field "x"',
    });
    // Object.prototype names are not facts.
    expect(resolveFactPath(testCatalogue, 'change.toString', new Map())).toHaveProperty('error');
  });

  it('lists every path, list items as []', () => {
    expect(walkCatalogue(testCatalogue).map((row) => row.path)).toEqual([
      'change',
      'change.http',
      'change.http.current',
      'change.http.candidate',
      'change.newPorts',
      'clients',
      'clients.workgroup',
      'probes',
      'probes[].port',
      'probes[].state',
      'probes[].role',
      'probes[].ref',
      'servers',
      'servers[].host',
      'servers[].excluded',
      'servers[].excluded[].start',
      'servers[].excluded[].end',
    ]);
  });

  it('renders the catalogue as a Markdown table for the documentation', () => {
    const lines = renderCatalogueMarkdown(testCatalogue).split('\n');
    expect(lines.slice(0, 3)).toEqual([
      '| path | type | description |',
      '| --- | --- | --- |',
      '| `change` | object | The planned change |',
    ]);
    expect(lines).toContain('| `clients.workgroup` | number or not gathered | Workgroup clients |');
    expect(lines).toContain('| `probes[].state` | one of open, closed, filtered | What the probe saw |');
    expect(lines).toContain(
      '| `servers[].excluded` | list of object or not gathered | Excluded TCP port ranges (netsh) |',
    );
  });

  it('derives the TypeScript type of a conforming fact tree', () => {
    expectTypeOf<TestFacts['clients']['workgroup']>().toEqualTypeOf<number | null>();
    expectTypeOf<TestFacts['probes'][number]['state']>().toEqualTypeOf<'open' | 'closed' | 'filtered'>();
  });
});

import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SRC, sourceFiles } from './support/source-files.js';

/** The one-way data flow of shared/README.md: a layer imports only layers before it. */
const LAYER_ORDER = [
  'shared',
  'responder',
  'plan',
  'probes',
  'evidence',
  'run',
  'facts',
  'rules',
  'verdict',
  'report',
  'tui',
  'cli',
];

/** Static imports and re-exports (`import()` expressions are deliberately not followed: they load lazily). */
function staticImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)].map(
    (match) => match[1] as string,
  );
}

const layerOf = (file: string) => relative(SRC, file).split('/')[0] as string;

describe('architecture', () => {
  const files = sourceFiles(SRC);

  it('puts every source file in a known layer', () => {
    for (const file of files) expect(LAYER_ORDER, relative(SRC, file)).toContain(layerOf(file));
  });

  it('keeps the data flow one-way', () => {
    const violations: string[] = [];
    for (const file of files) {
      for (const specifier of staticImports(file).filter((s) => s.startsWith('.'))) {
        const target = resolve(dirname(file), specifier);
        if (LAYER_ORDER.indexOf(layerOf(target)) > LAYER_ORDER.indexOf(layerOf(file))) {
          violations.push(`${relative(SRC, file)} imports ${relative(SRC, target)}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('does not load Ink or React on the non-interactive path (static imports from cli/main.ts)', () => {
    const seen = new Set<string>();
    const packages = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const specifier of staticImports(file)) {
        if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier).replace(/\.js$/, '.ts'));
        else packages.add(specifier.split('/')[0] as string);
      }
    };
    visit(join(SRC, 'cli/main.ts'));
    expect(seen.size).toBeGreaterThan(10);
    expect([...packages].filter((name) => /^(ink|react)/.test(name))).toEqual([]);
  });
});

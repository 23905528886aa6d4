import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SRC, sourceFiles } from './support/source-files.js';

describe('the bundle (scripts/build.mjs)', () => {
  it('needs no zod locale but English, the only one it keeps', () => {
    const uses = sourceFiles(SRC).filter((file) => {
      const text = readFileSync(file, 'utf8');
      return /from 'zod/.test(text) && /\blocales\b|zod\/(v4\/)?locales/.test(text);
    });
    expect(uses.map((file) => relative(SRC, file))).toEqual([]);
  });
});

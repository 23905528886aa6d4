import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = 'src';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : /\.tsx?$/.test(entry.name)
        ? [join(dir, entry.name)]
        : [],
  );
}

describe('the bundle (scripts/build.mjs)', () => {
  it('needs no zod locale but English, the only one it keeps', () => {
    const uses = sourceFiles(SRC).filter((file) => {
      const text = readFileSync(file, 'utf8');
      return /from 'zod/.test(text) && /\blocales\b|zod\/(v4\/)?locales/.test(text);
    });
    expect(uses.map((file) => relative(SRC, file))).toEqual([]);
  });
});

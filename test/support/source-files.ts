import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The project's src/ folder. */
export const SRC = resolve('src');

/** Every TypeScript file under `dir`, recursively. */
export function sourceFiles(dir: string = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : /\.tsx?$/.test(entry.name)
        ? [join(dir, entry.name)]
        : [],
  );
}

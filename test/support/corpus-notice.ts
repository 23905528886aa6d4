// Vitest global setup: says once per run why the corpus tests are skipped on a fresh clone (the
// shared corpus of real Windows outputs sits in ../shared beside the checkout, never copied into
// it). Under CI=true the corpus tests run, and fail without it (describeCorpus).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SHARED = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));

export default function sayWhyCorpusTestsSkip(): void {
  const required = !!process.env.CI && !['false', '0'].includes(process.env.CI);
  if (!existsSync(SHARED) && !required)
    console.warn(`portflight tests: corpus tests skipped: ${SHARED} is missing (a fresh clone; CI has it)`);
}

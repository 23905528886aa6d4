// Gate for tests whose consumer is a program (xmllint, chromium, pdfinfo): skipped with the reason
// where it is missing, except in CI, where a missing consumer fails the run (.ci/run installs them).
import { describe, it } from 'vitest';
import { findOnPath } from '../net/require-root.js';

/**
 * `describe` that runs when every command is on PATH (and `check`, when given, finds nothing
 * missing); otherwise skips, or fails when CI=true.
 */
export function describeWithCommands(
  name: string,
  commands: readonly string[],
  body: () => void,
  check?: () => string | undefined,
): void {
  const missing = commands.filter((command) => findOnPath(command) === undefined);
  const problem = missing.length === 0 ? check?.() : undefined;
  if (problem !== undefined) missing.push(problem);
  if (missing.length === 0) {
    describe(name, body);
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      it(`has ${commands.join(', ')}`, () => {
        throw new Error(
          `missing commands: ${missing.join(', ')}. CI=true, so this fails instead of skipping.`,
        );
      });
    });
  } else {
    console.warn(`skipping "${name}": missing ${missing.join(', ')} (.ci/run installs them)`);
    describe.skip(`${name} [skipped: missing ${missing.join(', ')}]`, body);
  }
}

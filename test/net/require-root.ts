// Gate for tests that need real network namespaces: root, iproute2 and nftables (plus any
// extra commands a file names). Where they are missing the tests are skipped with the reason
// in their name, except in CI, where a missing prerequisite fails the run: CI must never go
// green without having exercised the network paths.
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, it } from 'vitest';

const BASE_COMMANDS = ['ip', 'nft'] as const;

export function findOnPath(command: string): string | undefined {
  for (const directory of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(directory, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** Why namespace tests cannot run here, or undefined when they can. */
export function netnsUnavailableReason(extraCommands: readonly string[] = []): string | undefined {
  if (process.platform !== 'linux') return `network namespaces need Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'network namespaces need root (run as root, as CI does)';
  const missing = [...BASE_COMMANDS, ...extraCommands].filter((command) => findOnPath(command) === undefined);
  if (missing.length > 0) return `missing commands: ${missing.join(', ')} (.ci/run installs them)`;
  // Root inside an unprivileged container may still lack CAP_SYS_ADMIN: try for real.
  const probe = `pft${process.pid}-probe`;
  try {
    execFileSync('ip', ['netns', 'add', probe], { stdio: 'pipe' });
    execFileSync('ip', ['netns', 'del', probe], { stdio: 'pipe' });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return `cannot create a network namespace: ${stderr || String(error)}`;
  }
  return undefined;
}

let cachedBaseReason: string | undefined | null = null;

function unavailableReason(extraCommands: readonly string[]): string | undefined {
  if (extraCommands.length > 0) return netnsUnavailableReason(extraCommands);
  if (cachedBaseReason === null) cachedBaseReason = netnsUnavailableReason();
  return cachedBaseReason;
}

export interface NetnsSuiteOptions {
  /** Commands the suite needs besides ip and nft, e.g. `['ping']`. */
  readonly commands?: readonly string[];
}

/**
 * `describe` for tests that build network namespaces. Runs them when root, ip, nft (and
 * `options.commands`) are available; otherwise skips them with the reason, or fails when CI=true.
 */
export function describeNetns(name: string, body: () => void, options: NetnsSuiteOptions = {}): void {
  const reason = unavailableReason(options.commands ?? []);
  if (reason === undefined) {
    describe(name, body);
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      it('has what network-namespace tests need', () => {
        throw new Error(
          `${reason}. CI=true, so this fails instead of skipping: CI must run the network tests.`,
        );
      });
    });
  } else {
    console.warn(`skipping "${name}": ${reason}`);
    describe.skip(`${name} [skipped: ${reason}]`, body);
  }
}

import type { ScanSpec } from '../plan/index.js';
import type { Waiver } from '../verdict/index.js';
import type { RunFlags } from './program.js';

/** What one check needs besides its flags: the spec, a title, and the plan's waivers (none ad hoc). */
export interface CheckRun {
  readonly spec: ScanSpec;
  readonly title: string;
  readonly waivers: readonly Waiver[];
  /** The plan's `name`; null for `check` and plans without one. */
  readonly planName: string | null;
  /** The responders' shared token, read from `--responder-token-file`; never reported. */
  readonly responderToken?: Uint8Array;
}

/**
 * The terminal UI when a person is watching: stdout and stdin are terminals and this is not CI.
 * `--interactive` / `--no-interactive` decide otherwise.
 */
export function wantsInteractive(flags: Pick<RunFlags, 'interactive'>): boolean {
  if (flags.interactive !== undefined) return flags.interactive;
  return Boolean(process.stdout.isTTY && process.stdin.isTTY) && process.env.CI !== 'true';
}

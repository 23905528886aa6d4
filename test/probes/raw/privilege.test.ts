// RawProbeEngine.open() without CAP_NET_RAW must report a typed, user-fixable error, not crash.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { RawSocketUnavailableError, rawSocketErrorOf } from '../../../src/probes/raw/errors.js';
import { harnessArgv } from './run-harness.js';
import { runCommand } from '../../net/run-command.js';

function has(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A prefix that runs a command without CAP_NET_RAW (as root, capabilities must be dropped). */
function unprivilegedPrefix(): string[] | undefined {
  if (process.getuid?.() !== 0) return [];
  if (has('setpriv')) return ['setpriv', '--inh-caps=-net_raw', '--bounding-set=-net_raw', '--'];
  return undefined;
}

describe('raw socket privilege', () => {
  it('maps what raw-socket throws to the typed error kinds', () => {
    expect(rawSocketErrorOf(new Error('Operation not permitted')).kind).toBe('no-privilege');
    expect(rawSocketErrorOf(Object.assign(new Error('x'), { code: 'MODULE_NOT_FOUND' })).kind).toBe(
      'addon-missing',
    );
    expect(rawSocketErrorOf(new Error('Address family not supported by protocol')).kind).toBe('open-failed');
    const error = rawSocketErrorOf(new Error('Operation not permitted'));
    expect(error).toBeInstanceOf(RawSocketUnavailableError);
    expect(error.nextStep).toMatch(/CAP_NET_RAW/);
  });

  const prefix = process.platform === 'linux' ? unprivilegedPrefix() : undefined;
  it.skipIf(process.getuid?.() !== 0 && process.env.CI !== 'true')(
    'opens as root (the control for the test below)',
    async () => {
      const result = await runCommand(harnessArgv({ mode: 'open' }), { timeoutMs: 30_000 });
      expect(JSON.parse(result.stdout)).toEqual({ ok: true });
    },
  );

  it.skipIf(prefix === undefined && process.env.CI !== 'true')(
    'open() without CAP_NET_RAW rejects with no-privilege and exits cleanly',
    async () => {
      const result = await runCommand([...(prefix ?? []), ...harnessArgv({ mode: 'open' })], {
        timeoutMs: 30_000,
      });
      expect(result.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace: nothing was thrown past open()
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({
        error: {
          name: 'RawSocketUnavailableError',
          kind: 'no-privilege',
          message: expect.stringMatching(/not permitted/i),
        },
      });
    },
  );
});

import { readFile } from 'node:fs/promises';
import { hostname, networkInterfaces } from 'node:os';
import { lazyBuiltin } from '../shared/lazy-builtin.js';
import { rawSocketPrivilegeAdvice } from './raw/errors.js';
import { HOST_PLATFORM, WINDOWS_RAW_TCP_LIMITS, type ProbePlatform } from './platform-semantics.js';

export interface Vantage {
  readonly hostname: string;
  /** The addresses probes leave from (non-loopback first; loopback only when there is nothing else). */
  readonly addresses: readonly string[];
  readonly privileges: {
    /**
     * Raw sockets (root or CAP_NET_RAW; an elevated process on Windows): needed for TTL path probes,
     * forged-RST and ICMP analysis. On Windows they serve ICMP only (`detail` says what is left out).
     */
    readonly rawSocket: boolean;
    readonly detail: string;
  };
}

/** CAP_NET_RAW is capability bit 13 (linux/capability.h). */
const CAP_NET_RAW_BIT = 13n;

/**
 * Integrity levels of a process token, as `whoami /groups` lists them (SIDs, whatever the display
 * language): High is an elevated administrator, System the LocalSystem account (a scheduled task).
 */
const ELEVATED_INTEGRITY_SIDS = ['S-1-16-12288', 'S-1-16-16384'];

/** What describing the vantage point reads from its host; tests inject their own. */
export interface VantageEnvironment extends ProbePlatform {
  readonly readFile: (path: string) => Promise<string>;
  /** Runs a program and gives its standard output; rejects when it fails. */
  readonly run: (command: string, args: readonly string[]) => Promise<string>;
  readonly getuid?: () => number;
}

/** Only Windows runs a program (whoami) to describe the vantage point. */
const childProcess = lazyBuiltin<typeof import('node:child_process')>('node:child_process');

const HOST_ENVIRONMENT: VantageEnvironment = {
  ...HOST_PLATFORM,
  readFile: (path) => readFile(path, 'utf8'),
  run: (command, args) =>
    new Promise((resolve, reject) => {
      childProcess().execFile(command, [...args], { windowsHide: true, timeout: 10_000 }, (error, stdout) =>
        error ? reject(error) : resolve(stdout),
      );
    }),
  ...(process.getuid ? { getuid: process.getuid } : {}),
};

/** Describes where the probes run from: a report is only as good as its vantage point. */
export async function describeVantage(environment: VantageEnvironment = HOST_ENVIRONMENT): Promise<Vantage> {
  const all = Object.values(networkInterfaces()).flatMap((list) => list ?? []);
  const external = all.filter((entry) => !entry.internal).map((entry) => entry.address);
  const addresses = external.length > 0 ? external : all.map((entry) => entry.address);
  return { hostname: hostname(), addresses, privileges: await detectRawSocketPrivilege(environment) };
}

/** Raw-socket privilege of this process, with what it allows and how to get it. */
export async function detectRawSocketPrivilege(
  environment: VantageEnvironment,
): Promise<Vantage['privileges']> {
  if (environment.platform === 'win32') return detectWindowsElevation(environment);
  if (environment.platform === 'linux') {
    try {
      const status = await environment.readFile('/proc/self/status');
      const hex = /^CapEff:\s*([0-9a-f]+)$/im.exec(status)?.[1];
      if (hex !== undefined) {
        const rawSocket = ((BigInt(`0x${hex}`) >> CAP_NET_RAW_BIT) & 1n) === 1n;
        return {
          rawSocket,
          detail: rawSocket
            ? 'CAP_NET_RAW effective'
            : `no CAP_NET_RAW: ${rawSocketPrivilegeAdvice(environment.platform)}`,
        };
      }
    } catch {
      // Fall through to the uid check: /proc may be hidden in some sandboxes.
    }
  }
  const root = environment.getuid?.() === 0;
  return {
    rawSocket: root,
    detail: root
      ? 'running as root'
      : `not root: raw-socket probes unavailable (${rawSocketPrivilegeAdvice(environment.platform)})`,
  };
}

/**
 * Windows has no uid: an elevated process carries the High (or System) integrity level in its
 * token. `whoami /groups` lists it by SID in any display language, needs no service running (as
 * `net session` needs the Server service) and answers in tens of milliseconds.
 */
async function detectWindowsElevation(environment: VantageEnvironment): Promise<Vantage['privileges']> {
  let groups: string;
  try {
    groups = await environment.run('whoami', ['/groups', '/fo', 'csv', '/nh']);
  } catch (error) {
    return {
      rawSocket: false,
      detail: `elevation unknown (whoami /groups failed: ${(error as Error).message.split('\n')[0]}); ${WINDOWS_RAW_TCP_LIMITS}`,
    };
  }
  const elevated = ELEVATED_INTEGRITY_SIDS.some((sid) => groups.includes(sid));
  return elevated
    ? { rawSocket: true, detail: `elevated: ICMP echo over raw sockets can run; ${WINDOWS_RAW_TCP_LIMITS}` }
    : {
        rawSocket: false,
        detail: `not elevated: for ICMP echo, ${rawSocketPrivilegeAdvice('win32')}; ${WINDOWS_RAW_TCP_LIMITS}`,
      };
}

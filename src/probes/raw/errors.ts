import { RUNNING_AS_EXECUTABLE } from '../../shared/package-files.js';
import { addonMissingNextStep } from '../optional-addon.js';

/**
 * Why raw-socket probing cannot run here. Closed set, so the caller can say what to do:
 * - no-privilege: raw sockets need root or CAP_NET_RAW
 * - addon-missing: the raw-socket native addon is not installed or not built
 * - open-failed: the OS refused the socket for another reason (detail says which)
 */
export const RAW_UNAVAILABLE_KINDS = ['no-privilege', 'addon-missing', 'open-failed'] as const;
export type RawUnavailableKind = (typeof RAW_UNAVAILABLE_KINDS)[number];

/**
 * How to get raw sockets. The capability goes to the executable alone, never to the node binary
 * (every script would get raw sockets); from an npm install, to the process that runs the scan.
 */
export function rawSocketPrivilegeAdvice(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return 'run from an elevated prompt (Run as administrator)';
  if (RUNNING_AS_EXECUTABLE)
    return `run as root (sudo), or grant the executable alone the capability: sudo setcap cap_net_raw+ep ${process.execPath}`;
  return 'run as root (sudo), or give this process CAP_NET_RAW (systemd AmbientCapabilities=CAP_NET_RAW); never setcap the node binary itself: every script would get raw sockets';
}

function nextStep(kind: RawUnavailableKind): string {
  if (kind === 'no-privilege') return rawSocketPrivilegeAdvice();
  if (kind === 'addon-missing') return addonMissingNextStep();
  return 'see the detail; raw-socket probing is skipped';
}

/** A user-fixable condition (not a bug): raw path probing is unavailable on this machine. */
export class RawSocketUnavailableError extends Error {
  override readonly name = 'RawSocketUnavailableError';
  readonly nextStep: string;

  constructor(
    readonly kind: RawUnavailableKind,
    readonly detail: string,
  ) {
    super(`raw sockets unavailable (${kind}): ${detail}`);
    this.nextStep = nextStep(kind);
  }
}

/**
 * Maps what opening a raw socket threw to the typed error. raw-socket throws a plain Error whose
 * message is strerror(errno) (no `code`), so the message is what tells EPERM apart; a failed
 * `require` carries a Node error code instead.
 */
export function rawSocketErrorOf(error: unknown): RawSocketUnavailableError {
  if (error instanceof RawSocketUnavailableError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EPERM' || code === 'EACCES' || /operation not permitted|permission denied/i.test(message))
    return new RawSocketUnavailableError('no-privilege', message);
  // require's message goes on with its "Require stack:" lines; the first line says what is missing.
  if (code === 'MODULE_NOT_FOUND' || code === 'ERR_DLOPEN_FAILED' || /raw\.node/.test(message))
    return new RawSocketUnavailableError('addon-missing', message.split('\n')[0] ?? message);
  return new RawSocketUnavailableError('open-failed', message);
}

import { isIP } from 'node:net';
import type ping from 'net-ping';
import { requireOptionalAddon } from './optional-addon.js';
import { rawSocketErrorOf } from './raw/errors.js';
import { roundMs } from './tcp-connect.js';

export const ICMP_ECHO_STATES = ['reachable', 'unreachable', 'error'] as const;
export type IcmpEchoState = (typeof ICMP_ECHO_STATES)[number];

/**
 * Why an echo ended as it did.
 * - echo-reply: the host answered
 * - no-response: silence after every retry (host down, or ICMP dropped on the way)
 * - dest-unreach / time-exceeded: a router (or the host) answered with an ICMP error; see `from`
 * - no-route: the local routing table has no way there
 * - icmp-error: another ICMP error (redirect, source quench, parameter problem, packet too big)
 * - no-privilege: raw sockets need root or CAP_NET_RAW
 * - addon-missing: net-ping or the raw-socket native addon under it is not installed or not built
 * - local-policy: a local firewall rule refused to send the echo
 * - local-error / aborted: the probe could not be made, or the session was closed under it
 */
export const ICMP_ECHO_REASONS = [
  'echo-reply',
  'no-response',
  'dest-unreach',
  'time-exceeded',
  'no-route',
  'icmp-error',
  'no-privilege',
  'addon-missing',
  'local-policy',
  'local-error',
  'aborted',
] as const;
export type IcmpEchoReason = (typeof ICMP_ECHO_REASONS)[number];

export interface IcmpEchoResult {
  readonly state: IcmpEchoState;
  readonly reason: IcmpEchoReason;
  /** Time from the last (re)send to the reply; null when nothing answered. */
  readonly rttMs: number | null;
  /** IP TTL of the echo reply; null when unknown (always for IPv6: raw sockets hide that header). */
  readonly ttl?: number | null;
  /** Who answered: the target for a reply, a router for dest-unreach or time-exceeded. */
  readonly from?: string | null;
  readonly detail?: string;
}

export interface IcmpEchoOptions {
  /** Wait for each try. */
  readonly timeoutMs: number;
  /** Extra tries after silence; net-ping's default is 1. */
  readonly retries?: number;
}

/** Why a raw ICMP socket could not be opened. */
export type IcmpOpenOutcome =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly reason: 'no-privilege' | 'addon-missing' | 'local-error';
      readonly detail: string;
    };

let netPing: typeof ping | undefined;

/**
 * net-ping (CommonJS, and it loads the raw-socket native addon), loaded on the first socket opened:
 * commands that send no ICMP echo never load the addon, and a missing or unbuilt one fails open()
 * as an `addon-missing` outcome instead of failing at import. Throws what `require` throws.
 */
function loadNetPing(): typeof ping {
  netPing ??= requireOptionalAddon('net-ping') as typeof ping;
  return netPing;
}

type Family = 4 | 6;

/**
 * One raw ICMP socket per address family, shared by every echo of a scan: opening needs privilege
 * once, and a single socket sees all replies anyway. Never throws for network or privilege outcomes.
 */
export class IcmpEchoSession {
  private readonly options: IcmpEchoOptions;
  private readonly sessions = new Map<Family, ping.Session>();
  private readonly failures = new Map<Family, IcmpOpenOutcome>();
  /** Reply TTL by source address, read off the raw socket because net-ping does not pass it on. */
  private readonly replyTtl = new Map<string, number>();

  constructor(options: IcmpEchoOptions) {
    this.options = options;
  }

  /** Opens the socket for a family now, so a missing privilege shows before any target is tried. */
  open(family: Family = 4): IcmpOpenOutcome {
    if (this.sessions.has(family)) return { ok: true };
    const failure = this.failures.get(family);
    if (failure) return failure;
    try {
      const netPingModule = loadNetPing();
      const session = netPingModule.createSession({
        networkProtocol:
          family === 6 ? netPingModule.NetworkProtocol.IPv6 : netPingModule.NetworkProtocol.IPv4,
        timeout: this.options.timeoutMs,
        retries: this.options.retries ?? 1,
        sessionId: nextSessionId(),
      });
      // An 'error' event without a listener would crash the process; send failures reach callbacks.
      session.on('error', () => undefined);
      // Run before net-ping's own listener, which overwrites the identifier bytes it matches on.
      if (family === 4)
        session.socket?.prependListener('message', (buffer, source) => this.tap(session, buffer, source));
      this.sessions.set(family, session);
      return { ok: true };
    } catch (error) {
      const outcome = openFailureOf(error);
      this.failures.set(family, outcome);
      return outcome;
    }
  }

  /** One echo request (plus retries). `address` must be an IP address: resolve names first. */
  echo(address: string): Promise<IcmpEchoResult> {
    const family = isIP(address);
    if (family === 0) throw new TypeError(`ICMP echo needs an IP address, got "${address}"`);
    const opened = this.open(family as Family);
    if (!opened.ok)
      return Promise.resolve({ state: 'error', reason: opened.reason, rttMs: null, detail: opened.detail });
    const session = this.sessions.get(family as Family) as ping.Session;
    return new Promise((resolve) => {
      const started = performance.now();
      const onAnswer = (error: Error | null) => {
        if (error) {
          resolve({ ...icmpOutcomeOfError(error), rttMs: null });
          return;
        }
        // net-ping resends the same request after each timeout; a reply most likely answers the last.
        const elapsed = performance.now() - started;
        const rttMs = roundMs(
          elapsed - Math.floor(elapsed / this.options.timeoutMs) * this.options.timeoutMs,
        );
        resolve({
          state: 'reachable',
          reason: 'echo-reply',
          rttMs,
          ttl: this.replyTtl.get(address) ?? null,
          from: address,
        });
      };
      try {
        session.pingHost(address, onAnswer);
      } catch (error) {
        // raw-socket validates arguments synchronously; reaching this is a local fault, not the network.
        resolve({ state: 'error', reason: 'local-error', rttMs: null, detail: String(error) });
      }
    });
  }

  /** Closes the sockets; echoes still waiting end as `aborted`. */
  close(): void {
    for (const session of this.sessions.values()) session.close();
    this.sessions.clear();
  }

  private tap(session: ping.Session, buffer: Buffer, source: string): void {
    const headerLength = ((buffer[0] ?? 0) & 0x0f) * 4;
    if ((buffer[0] ?? 0) >> 4 !== 4 || buffer.length < headerLength + 8) return;
    const isEchoReply = buffer[headerLength] === 0;
    if (isEchoReply && buffer.readUInt16BE(headerLength + 4) === session.sessionId) {
      this.replyTtl.set(source, buffer[8] ?? 0);
    }
  }
}

/** Echo one address with a session of its own; a scan of many targets should share an IcmpEchoSession. */
export async function probeIcmpEcho(address: string, options: IcmpEchoOptions): Promise<IcmpEchoResult> {
  const session = new IcmpEchoSession(options);
  try {
    return await session.echo(address);
  } finally {
    session.close();
  }
}

/**
 * net-ping reports ICMP answers as error classes (told apart by name), and local send failures as
 * raw-socket errors carrying only strerror text.
 */
export function icmpOutcomeOfError(error: {
  readonly name?: string;
  readonly message: string;
  readonly source?: unknown;
}): Omit<IcmpEchoResult, 'rttMs'> {
  const from = typeof error.source === 'string' ? error.source : null;
  switch (error.name) {
    case 'RequestTimedOutError':
      return { state: 'unreachable', reason: 'no-response' };
    case 'DestinationUnreachableError':
      return { state: 'unreachable', reason: 'dest-unreach', from };
    case 'TimeExceededError':
      return { state: 'unreachable', reason: 'time-exceeded', from };
    case 'PacketTooBigError':
    case 'ParameterProblemError':
    case 'RedirectReceivedError':
    case 'SourceQuenchError':
      return { state: 'error', reason: 'icmp-error', from, detail: error.message };
  }
  if (/^Socket (forcibly )?closed$/.test(error.message)) return { state: 'error', reason: 'aborted' };
  if (/Network is unreachable|No route to host/.test(error.message)) {
    return { state: 'unreachable', reason: 'no-route', detail: error.message };
  }
  // On sendto, EPERM means an OUTPUT firewall rule: the socket itself was already open.
  if (/Operation not permitted|Permission denied/.test(error.message)) {
    return { state: 'unreachable', reason: 'local-policy', detail: error.message };
  }
  return { state: 'error', reason: 'local-error', detail: error.message };
}

/**
 * raw-socket throws strerror text when socket(2) fails; EPERM/EACCES there mean no CAP_NET_RAW.
 * A failed `require` of net-ping or raw-socket (not installed, not built) means the addon is missing.
 */
export function openFailureOf(error: unknown): IcmpOpenOutcome & { ok: false } {
  const message = error instanceof Error ? error.message : String(error);
  if (/Operation not permitted|Permission denied/.test(message)) {
    return {
      ok: false,
      reason: 'no-privilege',
      detail: `raw ICMP sockets need root or CAP_NET_RAW (${message})`,
    };
  }
  const unavailable = rawSocketErrorOf(error);
  if (unavailable.kind === 'addon-missing') {
    const { detail, nextStep } = unavailable;
    const needs = 'ICMP echo needs net-ping and the raw-socket native addon';
    return { ok: false, reason: 'addon-missing', detail: `${needs}: ${detail}; ${nextStep}` };
  }
  return { ok: false, reason: 'local-error', detail: message };
}

let sessionCount = 0;

/**
 * Every raw ICMP socket sees every reply, and net-ping matches replies by (identifier, sequence) with
 * sequences starting at 1 per session: two sessions sharing the default identifier (the pid) would
 * take each other's replies. Distinct identifiers per session avoid that.
 */
function nextSessionId(): number {
  sessionCount += 1;
  return ((process.pid + sessionCount * 7919) % 65534) + 1;
}

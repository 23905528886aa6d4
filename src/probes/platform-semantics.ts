// What the same socket call means on the platform the probes run from. Linux (and macOS) report a
// refused connect at the first RST and a closed UDP port as ECONNREFUSED; Windows does neither:
//
// - TCP: Windows answers a RST to its SYN by sending the SYN again (twice, about half a second
//   apart) and reports WSAECONNREFUSED only when those are refused too, so a refused connect takes
//   about 1-2 s (nmap's docs say the same of its connect scan on Windows). A connect that times out
//   before then may be a closed port still being retried: it is not `filtered` until it has been
//   silent for longer than those retries take.
// - UDP: the ICMP port-unreachable that closes a UDP port surfaces as WSAECONNRESET on the next
//   receive, and libuv ignores that error on UDP sockets: a closed port is as silent as a dropped
//   datagram. Silence from Windows stays `open|filtered`, with the reason, never `filtered`.
//
// Pure functions of the platform, injected by the probes' callers (tests pass 'win32' on Linux).

/** Where the probes run: `process.platform` unless a test says otherwise. */
export interface ProbePlatform {
  readonly platform: NodeJS.Platform;
}

export const HOST_PLATFORM: ProbePlatform = { platform: process.platform };

/**
 * How long Windows takes, at most, to report a refused connect: its SYN and two retries after RSTs
 * (TcpMaxConnectRetransmissions' schedule for a reset connection: ~0.5 s, then ~1 s), with margin.
 */
export const WINDOWS_REFUSAL_WINDOW_MS = 2500;

/** How long a connect must stay silent before it counts as silence (`filtered`, no-response). */
export function connectSilenceAfterMs(platform: ProbePlatform, timeoutMs: number): number {
  return platform.platform === 'win32' ? Math.max(timeoutMs, WINDOWS_REFUSAL_WINDOW_MS) : timeoutMs;
}

/** Said of a connect that was silent past the probe's timeout only because Windows could still be retrying. */
export function connectSilenceDetail(
  platform: ProbePlatform,
  timeoutMs: number,
  silentForMs: number,
): string | undefined {
  if (platform.platform !== 'win32' || timeoutMs >= WINDOWS_REFUSAL_WINDOW_MS) return undefined;
  return `silent for ${Math.round(silentForMs)} ms: past the ${timeoutMs} ms timeout, waited out Windows' SYN retries after a RST (a closed port answers within ${WINDOWS_REFUSAL_WINDOW_MS} ms)`;
}

/**
 * A refusal's round-trip time: on Windows the error comes after its SYN retries, so the time to it
 * is not a round trip (null, with the time in the detail, keeps it out of the RTT estimates).
 */
export function refusalTiming(
  platform: ProbePlatform,
  elapsedMs: number,
): { rttMs: number | null; detail?: string } {
  if (platform.platform !== 'win32') return { rttMs: elapsedMs };
  return {
    rttMs: null,
    detail: `refused after ${Math.round(elapsedMs)} ms: on Windows that includes its SYN retries after a RST, so it is no round-trip time`,
  };
}

/** What UDP silence leaves open, said where the platform hides a closed port's answer. */
export function udpSilenceDetail(platform: ProbePlatform): string | undefined {
  return platform.platform === 'win32'
    ? 'from Windows a closed UDP port is silent too (its ICMP port-unreachable arrives as WSAECONNRESET, which libuv ignores): open, closed or dropped'
    : undefined;
}

/**
 * What raw sockets cannot do on Windows, elevated or not: Windows client editions refuse to send TCP
 * over raw sockets, and no edition passes received TCP segments to a raw socket. The SYN probes,
 * the RST attribution and TCP path localisation (probes/raw) need both.
 */
export const WINDOWS_RAW_TCP_LIMITS =
  'Windows refuses raw TCP sends (client editions) and passes no TCP reply to raw sockets (every edition): SYN probes, RST attribution and TCP path localisation run from Linux; from here a filtered port gets the ICMP path of tracert -d, which shows the routers but not a TCP-specific drop, so no blocking device is named';

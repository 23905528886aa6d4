import type { PortRole, ProbeProtocol } from '../shared/port-vocabulary.js';

export { PORT_ROLES, type PortRole, type ProbeProtocol } from '../shared/port-vocabulary.js';

/**
 * Closed vocabulary of probe outcomes. A closed or filtered port is a value, never an exception.
 * - open: something answered on the port (TCP SYN-ACK, UDP reply)
 * - closed: the destination host answered that nothing listens (TCP RST, ICMP port-unreachable)
 * - filtered: something on the path (or the host firewall) dropped or rejected the probe
 * - open|filtered: UDP silence; the port may be open or silently dropped
 * - error: the probe could not be made (name resolution, local resources)
 */
export const PROBE_STATES = ['open', 'closed', 'filtered', 'open|filtered', 'error'] as const;
export type ProbeState = (typeof PROBE_STATES)[number];

/** `responder`, `middlebox` and `responder-token-mismatch` come from the responder phase (docs/responder.md). */
export const PROBE_REASONS = [
  'syn-ack',
  'conn-refused',
  'udp-response',
  'port-unreach',
  'no-response',
  'host-unreach',
  'net-unreach',
  'admin-prohibited',
  'host-prohibited',
  'net-prohibited',
  'reset-injected',
  'reset-suspected',
  'local-policy',
  'responder',
  'middlebox',
  'responder-token-mismatch',
  'dns-failure',
  'local-error',
  'aborted',
] as const;
export type ProbeReason = (typeof PROBE_REASONS)[number];

/** One port to probe on one resolved address. */
export interface ProbeRequest {
  readonly target: string;
  readonly address: string;
  readonly protocol: ProbeProtocol;
  readonly port: number;
  /** Every role this port has for the target, most important first. */
  readonly roles: readonly PortRole[];
}

export interface ProbeRecord {
  readonly target: string;
  /** Null when the target name could not be resolved. */
  readonly address: string | null;
  readonly protocol: ProbeProtocol;
  readonly port: number;
  readonly roles: readonly PortRole[];
  readonly state: ProbeState;
  readonly reason: ProbeReason;
  /** Time to the answer that decided the state; null when nothing answered. */
  readonly rttMs: number | null;
  /** Extra words for a human, e.g. the OS error code behind `local-error`. */
  readonly detail?: string;
  /**
   * Who sent the answer that decided the state (the RST, SYN-ACK or ICMP error), read from a raw
   * socket. Absent when nothing answered or raw sockets were unavailable: a refusal without it is
   * unattributed (a closed port cannot then be told from a rejecting firewall).
   */
  readonly replyFrom?: string;
  /** IP TTL of the reply that decided the state, as received here (raw sockets only). */
  readonly replyTtl?: number;
  /**
   * The sending stack's marks on a TCP reply: its IP identification and TCP window. RSTs of one host
   * share them; one that differs was likely forged by something else (`reset-suspected`).
   */
  readonly replyFingerprint?: { readonly ipId: number; readonly window: number | null };
  /** Hops a TTL-limited probe of this port crossed (raw-socket path probing only). */
  readonly path?: readonly PathHop[];
  /**
   * Who stops the probe: the address of the device that drops, rejects or forges a reset, or
   * `destination` when every network hop passes it and only the destination host stays silent.
   * Null when path probing ran but could not tell; absent when it did not run.
   */
  readonly blockedBy?: string | null;
  /**
   * How `blockedBy` was found: `probed` (this probe's own answers), `inferred` (from `inferredFrom`,
   * a probe of the same port on the same path), `unknown` (could not be told; `detail` says why).
   */
  readonly localisation?: Localisation;
  /** The address whose localisation this record's `blockedBy` was inferred from. */
  readonly inferredFrom?: string;
  /**
   * When the blocking device sends no time-exceeded: the last hop that answered for this probe and
   * the next hop known to answer (or `destination`); the device is between them.
   */
  readonly blockedBetween?: readonly [string, string];
  /**
   * An open port whose SYN-ACK arrived from fewer hops than the destination's other answers: a NAT,
   * load balancer or proxy answered in the server's place.
   */
  readonly answeredCloser?: { readonly replyHops: number; readonly destinationHops: number };
  /** Application-level answer on an open port (HTTP status, TLS certificate). */
  readonly app?: AppProbeResult;
  /** What the site system's responder proved, where one was expected (`--responder-token-file`). */
  readonly responder?: ResponderEvidence;
}

/**
 * - proved: a proof under our token, from the address and port probed (reason `responder`)
 * - middlebox: accepted or answered, but not by the responder of the host probed (reason `middlebox`)
 * - token-mismatch: a responder answered under another token (reason `responder-token-mismatch`)
 * - refused / silent / error: no answer to judge; the record keeps the usual state and reason
 */
export const RESPONDER_OUTCOMES = [
  'proved',
  'middlebox',
  'token-mismatch',
  'refused',
  'silent',
  'error',
] as const;
export type ResponderOutcome = (typeof RESPONDER_OUTCOMES)[number];

export interface ResponderEvidence {
  readonly outcome: ResponderOutcome;
  /** Host identity a proof carried: proved under our token, only claimed under another. */
  readonly identity?: string;
  /** Local address and port the request reached at the responder (after any NAT on the way). */
  readonly reachedAt?: string;
  readonly reachedPort?: number;
  /** Fingerprint (first 8 bytes of SHA-256, hex) of the token that answered, and of ours. */
  readonly tokenFingerprint?: string;
  readonly expectedFingerprint: string;
  /** What answered in the responder's place: its first bytes (escaped), its TLS certificate. */
  readonly banner?: string;
  readonly tlsSubject?: string;
  /** Received TTL of the SYN-ACK (raw sockets only), to tell how far away the answer came from. */
  readonly replyTtl?: number;
}

export const LOCALISATIONS = ['probed', 'inferred', 'unknown'] as const;
export type Localisation = (typeof LOCALISATIONS)[number];

export interface PathHop {
  readonly ttl: number;
  /** Null when nothing answered at this TTL. */
  readonly address: string | null;
  readonly rttMs: number | null;
  /**
   * What the probe looked like when it reached this hop, where it differs from what was sent (read
   * from the header quoted in the time-exceeded): `source 198.18.1.1→203.0.113.7` (NAT), `dscp 0→8`…
   */
  readonly rewrites?: readonly string[];
}

export interface HttpExchange {
  readonly url: string;
  /** Null when the request failed; `error` then says why. */
  readonly status: number | null;
  readonly server: string | null;
  readonly error?: string;
}

export interface TlsDetails {
  readonly protocol: string | null;
  readonly cipher: string | null;
  readonly subject: string | null;
  readonly subjectAltNames: readonly string[];
  readonly issuer: string | null;
  readonly validFrom: string | null;
  readonly validTo: string | null;
  /** Certificate name matches the target name (RFC 6125 wildcard rules). */
  readonly nameMatches: boolean;
  readonly authorized: boolean;
  readonly authorizationError: string | null;
  /** Issuer differs from the plan's expected issuer: possibly TLS interception by a middlebox. */
  readonly possibleInterception: boolean;
}

export interface AppProbeResult {
  readonly http: readonly HttpExchange[];
  readonly tls: TlsDetails | null;
}

export interface ProbeOptions {
  readonly timeoutMs: number;
  /** UDP silence is retried this many times before it is reported as open|filtered. */
  readonly udpRetries: number;
  readonly signal?: AbortSignal;
}

/** A probe kind: TCP connect, UDP socket, and later raw/TTL, ICMP and HTTP/TLS probes. */
export type Prober = (request: ProbeRequest, options: ProbeOptions) => Promise<ProbeRecord>;

/** States that prove the probe reached the destination host. */
export const REACHED_HOST_STATES: ReadonlySet<ProbeState> = new Set(['open', 'closed']);

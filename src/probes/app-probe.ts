import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { MP_HEALTH_PATHS } from './mp-health-paths.js';
import { describeTlsSession } from './tls-details.js';
import type { AppProbeResult, HttpExchange, ProbeRequest, TlsDetails } from './types.js';

export { MP_HEALTH_PATHS };

/**
 * Why an HTTP exchange got no status. `HttpExchange.error` starts with one of these, then `: ` and
 * words for a human, so rules can match the kind without parsing prose (see `appProbeErrorKind`).
 */
export const APP_PROBE_ERRORS = [
  'timeout',
  'connection-refused',
  'connection-reset',
  'connection-closed',
  'connection-failed',
  'not-http',
  'not-tls',
  'tls-on-plain-port',
  'tls-failed',
  'aborted',
] as const;
export type AppProbeError = (typeof APP_PROBE_ERRORS)[number];

export interface AppProbeRequest extends ProbeRequest {
  readonly scheme: 'http' | 'https';
  /** Name for the Host header, SNI and certificate check when it differs from `target`. */
  readonly serverName?: string;
}

export interface AppProbeOptions {
  /** Deadline for each request, from connect to the end of the (capped) body. */
  readonly timeoutMs: number;
  /** CA the plan expects to sign the server certificate (CN or O substring). */
  readonly expectedIssuer?: string;
  readonly signal?: AbortSignal;
}

/** Only the status line and headers matter; an endless or huge body must not hold the probe. */
const MAX_BODY_BYTES = 64 * 1024;
const USER_AGENT = 'portflight (ConfigMgr port preflight)';
const DEFAULT_PORT = { http: 80, https: 443 } as const;

/**
 * HTTP(S) GETs of the management point health URLs on a port already known open. Network outcomes
 * (timeouts, resets, a non-HTTP or non-TLS answer) are recorded per exchange, never thrown. Over HTTPS
 * the first completed handshake is described even when the certificate is not trusted.
 */
export async function probeApplication(
  request: AppProbeRequest,
  options: AppProbeOptions,
): Promise<AppProbeResult> {
  const name = request.serverName ?? request.target;
  const seen: { tls: TlsDetails | null } = { tls: null };
  const onHandshake = (socket: TLSSocket) => {
    seen.tls ??= describeTlsSession(socket, name, options.expectedIssuer);
  };
  // In parallel so a silent server costs one timeout, not three; three requests do not burden an MP.
  const http = await Promise.all(
    MP_HEALTH_PATHS.map((path) => exchange(request, name, path, options, onHandshake)),
  );
  return { http, tls: seen.tls };
}

/** The kind of failure recorded in an exchange; null when it got a status. */
export function appProbeErrorKind(exchange: HttpExchange): AppProbeError | null {
  const kind = exchange.error?.split(':', 1)[0];
  return APP_PROBE_ERRORS.find((known) => known === kind) ?? null;
}

function exchange(
  request: AppProbeRequest,
  name: string,
  path: string,
  options: AppProbeOptions,
  onHandshake: (socket: TLSSocket) => void,
): Promise<HttpExchange> {
  const { scheme, port } = request;
  const authority = port === DEFAULT_PORT[scheme] ? hostForUrl(name) : `${hostForUrl(name)}:${port}`;
  const url = `${scheme}://${authority}${path}`;
  if (options.signal?.aborted) return Promise.resolve(failed(url, 'aborted', 'the scan was interrupted'));

  return new Promise((resolve) => {
    let outcome: HttpExchange | null = null;
    const settle = (value: HttpExchange) => {
      outcome ??= value;
    };
    const done = () => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      req.destroy();
      resolve(outcome ?? failed(url, 'connection-closed', 'the connection ended without an HTTP answer'));
    };
    const onAbort = () => {
      settle(failed(url, 'aborted', 'the scan was interrupted'));
      done();
    };
    const timer = setTimeout(() => {
      settle(failed(url, 'timeout', `no HTTP answer within ${options.timeoutMs} ms`));
      done();
    }, options.timeoutMs);
    options.signal?.addEventListener('abort', onAbort, { once: true });

    // Connect to the resolved address but name the target: IIS routes by host header and picks the
    // certificate by SNI, so the address alone could reach the wrong site or certificate.
    const common = {
      host: request.address,
      port,
      path,
      method: 'GET',
      agent: false as const,
      headers: { Host: authority, 'User-Agent': USER_AGENT, Accept: '*/*', Connection: 'close' },
    };
    const req: ClientRequest =
      scheme === 'https'
        ? httpsRequest({ ...common, servername: isIP(name) ? '' : name, rejectUnauthorized: false })
        : httpRequest(common);
    if (scheme === 'https') {
      req.once('socket', (socket) => socket.once('secureConnect', () => onHandshake(socket as TLSSocket)));
    }
    req.on('response', (res: IncomingMessage) => {
      settle({ url, status: res.statusCode ?? null, server: headerText(res.headers.server) });
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > MAX_BODY_BYTES) done();
      });
      res.on('end', done);
      res.on('error', done);
    });
    req.on('error', (error) => {
      const { kind, text } = classifyError(error, scheme);
      settle(failed(url, kind, text));
      done();
    });
    req.end();
  });
}

function failed(url: string, kind: AppProbeError, text: string): HttpExchange {
  return { url, status: null, server: null, error: `${kind}: ${text}` };
}

type ClientError = NodeJS.ErrnoException & { rawPacket?: unknown };

/** Maps what Node reports to a kind and a sentence that tells the operator what the port did. */
export function classifyError(
  error: ClientError,
  scheme: 'http' | 'https',
): { kind: AppProbeError; text: string } {
  const code = error.code ?? '';
  // OpenSSL errors arrive as EPROTO with a multi-line message; its reason phrase is the useful part.
  const sslReason = /SSL routines:[^:]*:([^:]+):/.exec(error.message)?.[1];
  const detail = sslReason
    ? `OpenSSL: ${sslReason}`
    : `${error.message}${code && !error.message.includes(code) ? ` (${code})` : ''}`;
  if (code === 'ECONNREFUSED') return { kind: 'connection-refused', text: detail };
  if (code.startsWith('HPE_')) {
    return startsLikeTls(error.rawPacket)
      ? { kind: 'tls-on-plain-port', text: `the port answered with TLS; try https (${detail})` }
      : { kind: 'not-http', text: `the port answered something other than HTTP (${detail})` };
  }
  // OpenSSL reads a plain-text answer ("HTTP/1.1 400", an SSH banner) as a record with a bad version.
  if (/wrong version number|packet length too long|http request|unknown protocol/i.test(sslReason ?? code)) {
    return {
      kind: 'not-tls',
      text: `the port answered in plain text, not TLS; is it an HTTP port? (${detail})`,
    };
  }
  if (code === 'ECONNRESET' && /before secure TLS connection/.test(error.message)) {
    return { kind: 'connection-closed', text: 'the server closed the connection during the TLS handshake' };
  }
  if (sslReason || /^ERR_(SSL|TLS)_/.test(code)) {
    return { kind: 'tls-failed', text: `no TLS session could be established (${detail})` };
  }
  if (code === 'ECONNRESET' && error.message === 'socket hang up') {
    // A TLS-only listener (Node, http.sys) drops a plain-text request without a word.
    const hint = scheme === 'http' ? ' (a TLS-only port does this to plain HTTP too: try https)' : '';
    return {
      kind: 'connection-closed',
      text: `the server closed the connection without an HTTP answer${hint}`,
    };
  }
  if (code === 'ECONNRESET' || code === 'EPIPE') return { kind: 'connection-reset', text: detail };
  return { kind: 'connection-failed', text: detail };
}

/** A TLS record starts with content type 0x14–0x17 (alert 0x15, handshake 0x16) then major version 3. */
function startsLikeTls(packet: unknown): boolean {
  if (!Buffer.isBuffer(packet) || packet.length < 2) return false;
  const type = packet[0] ?? 0;
  return type >= 0x14 && type <= 0x17 && packet[1] === 0x03;
}

function headerText(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

function hostForUrl(name: string): string {
  return isIP(name) === 6 ? `[${name}]` : name;
}

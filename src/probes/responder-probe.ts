import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { connect, isIPv6 } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import {
  encodeRequest,
  MAX_PROOF_BYTES,
  NONCE_BYTES,
  verifyProof,
  type ProofCheck,
  type ProofRequest,
} from '../responder/wire.js';
import { setSilenceTimer } from './silence-timer.js';
import { roundMs } from './tcp-connect.js';
import type { ProbeProtocol } from './types.js';

/** What came back to one proof request, before it is judged against the record (responder-outcome.ts). */
export type ResponderAnswer =
  | {
      readonly kind: 'proof';
      readonly check: Exclude<ProofCheck, { kind: 'not-a-proof' }>;
      readonly rttMs: number;
    }
  /** Bytes that are no proof, or an accepted connection that closed or said nothing. */
  | {
      readonly kind: 'other';
      readonly bytes: Buffer;
      readonly rttMs: number | null;
      readonly tlsSubject?: string;
    }
  | { readonly kind: 'refused'; readonly rttMs: number }
  | { readonly kind: 'silent' }
  | { readonly kind: 'error'; readonly detail: string };

export interface ResponderProbeOptions {
  readonly token: Uint8Array;
  readonly timeoutMs: number;
  /** UDP requests are sent again this many times after silence. */
  readonly udpRetries: number;
  readonly signal?: AbortSignal;
}

/** Banner bytes kept from whatever answered in the responder's place. */
const BANNER_BYTES = 64;

/** One proof request to `address`:`port`, over TCP or UDP, and what answered it. */
export async function askResponder(
  address: string,
  protocol: ProbeProtocol,
  port: number,
  options: ResponderProbeOptions,
): Promise<ResponderAnswer> {
  const request: ProofRequest = { protocol, port, nonce: randomBytes(NONCE_BYTES) };
  if (protocol === 'udp') return askOverUdp(address, request, options);
  const answer = await askOverTcp(address, request, options);
  // Something that accepted but is no responder: a TLS server stays silent or alerts at our bytes,
  // and its certificate says who it is.
  if (answer.kind === 'other' && (answer.bytes.length === 0 || answer.bytes[0] === 0x15)) {
    const tlsSubject = await certificateSubject(address, port, options);
    if (tlsSubject) return { ...answer, tlsSubject };
  }
  return answer;
}

function askOverTcp(
  address: string,
  request: ProofRequest,
  options: ResponderProbeOptions,
): Promise<ResponderAnswer> {
  return new Promise((resolve) => {
    const started = performance.now();
    let connectedAt: number | null = null;
    let received = Buffer.alloc(0);
    let settled = false;
    const socket = connect({ host: address, port: request.port, noDelay: true });
    const finish = (answer: ResponderAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(answer);
    };
    const other = (): ResponderAnswer => ({
      kind: 'other',
      bytes: received.subarray(0, BANNER_BYTES),
      rttMs: connectedAt === null ? null : roundMs(connectedAt - started),
    });
    const onAbort = () => finish({ kind: 'error', detail: 'aborted' });
    // Connect, send, answer: two round trips and the responder's own work.
    const timer = setSilenceTimer(
      () => finish(connectedAt === null ? { kind: 'silent' } : other()),
      options.timeoutMs * 2,
    );
    options.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      connectedAt = performance.now();
      socket.write(encodeRequest(request));
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length > MAX_PROOF_BYTES) finish(other());
    });
    socket.once('end', () => {
      const check = verifyProof(options.token, request, received);
      if (check.kind === 'not-a-proof') return finish(other());
      finish({ kind: 'proof', check, rttMs: roundMs(performance.now() - started) });
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (connectedAt !== null) return finish(other());
      if (error.code === 'ECONNREFUSED')
        return finish({ kind: 'refused', rttMs: roundMs(performance.now() - started) });
      if (error.code === 'ETIMEDOUT') return finish({ kind: 'silent' });
      finish({ kind: 'error', detail: error.code ?? error.message });
    });
  });
}

function askOverUdp(
  address: string,
  request: ProofRequest,
  options: ResponderProbeOptions,
): Promise<ResponderAnswer> {
  return new Promise((resolve) => {
    const socket = createSocket(isIPv6(address) ? 'udp6' : 'udp4');
    const payload = encodeRequest(request);
    let attempt = 0;
    let sentAt = 0;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (answer: ResponderAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      socket.close();
      resolve(answer);
    };
    const onAbort = () => finish({ kind: 'error', detail: 'aborted' });
    const send = () => {
      attempt += 1;
      sentAt = performance.now();
      socket.send(payload);
      timer = setSilenceTimer(() => {
        if (attempt > options.udpRetries) finish({ kind: 'silent' });
        else send();
      }, options.timeoutMs);
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) return onAbort();
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED')
        return finish({ kind: 'refused', rttMs: roundMs(performance.now() - sentAt) });
      finish({ kind: 'error', detail: error.code ?? error.message });
    });
    socket.on('message', (message: Buffer) => {
      const rttMs = roundMs(performance.now() - sentAt);
      const check = verifyProof(options.token, request, message);
      if (check.kind === 'not-a-proof')
        return finish({ kind: 'other', bytes: message.subarray(0, BANNER_BYTES), rttMs });
      finish({ kind: 'proof', check, rttMs });
    });
    socket.connect(request.port, address, send);
  });
}

/** The certificate subject of a TLS server on the port, or undefined when it speaks no TLS. */
function certificateSubject(
  address: string,
  port: number,
  options: ResponderProbeOptions,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    let settled = false;
    // Only to read who answered: the certificate is described, never trusted.
    const socket = tlsConnect({ host: address, port, rejectUnauthorized: false });
    const finish = (subject?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(subject);
    };
    const timer = setSilenceTimer(() => finish(), options.timeoutMs * 2);
    socket.once('secureConnect', () => {
      const { subject, issuer } = socket.getPeerCertificate();
      const name = (part: { CN?: string | string[]; O?: string | string[] } | undefined) => {
        const value = part?.CN ?? part?.O;
        return Array.isArray(value) ? value.join(', ') : value;
      };
      finish(subject ? `CN=${name(subject) ?? '?'} (issuer ${name(issuer) ?? '?'})` : 'no certificate');
    });
    socket.once('error', () => finish());
  });
}

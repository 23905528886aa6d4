import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

/**
 * The responder's wire format, version 1 (docs/responder.md). One request, one proof, both over TCP
 * and UDP alike. Every field has a fixed place, so parsing is a few bounds-checked reads and nothing
 * in a packet decides how much is read.
 *
 * Request, exactly REQUEST_BYTES:
 *   0  magic "PFRS"   4  version 1   5  kind 1 (request)   6  protocol (6 TCP, 17 UDP)   7  0
 *   8  port (u16 BE, the port the prober sent to)   10  nonce (32 random bytes)   42  zeros to the end
 * Proof, PROOF_HEADER_BYTES + identity length (at most 130 bytes, always smaller than a request):
 *   0  magic   4  version   5  kind 2 (proof)   6  protocol   7  identity length (1..64)
 *   8  port (u16 BE, the port the responder received on)
 *   10 reached-at address (16 bytes, IPv4 as ::ffff:a.b.c.d, the local address the request arrived at)
 *   26 token fingerprint (first 8 bytes of SHA-256 of the token)
 *   34 HMAC-SHA256(token, domain ‖ nonce ‖ proof bytes 4..34 ‖ identity)
 *   66 identity (ASCII letters, digits, `.`, `-`, `_`)
 * The padding makes the request larger than any proof: answering never amplifies a forged source.
 */

export const MAGIC = Buffer.from('PFRS', 'ascii');
export const WIRE_VERSION = 1;
export const REQUEST_BYTES = 160;
export const NONCE_BYTES = 32;
export const PROOF_HEADER_BYTES = 66;
export const MAX_IDENTITY_BYTES = 64;
export const MAX_PROOF_BYTES = PROOF_HEADER_BYTES + MAX_IDENTITY_BYTES;
export const FINGERPRINT_BYTES = 8;
/** A token shorter than this is guessable offline from one proof; `listen` makes 32 random bytes. */
export const MIN_TOKEN_BYTES = 16;

const KIND_REQUEST = 1;
const KIND_PROOF = 2;
const PROTOCOL_NUMBER = { tcp: 6, udp: 17 } as const;
/** Binds the MAC to this use: an HMAC under the same token made for anything else never verifies. */
const HMAC_DOMAIN = Buffer.from('portflight-responder-1\0', 'ascii');
const IDENTITY_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

export type WireProtocol = keyof typeof PROTOCOL_NUMBER;

export interface ProofRequest {
  readonly protocol: WireProtocol;
  readonly port: number;
  readonly nonce: Buffer;
}

export interface Proof {
  readonly protocol: WireProtocol;
  readonly port: number;
  /** The responder's local address the request arrived at (after any NAT on the way). */
  readonly reachedAt: string;
  readonly fingerprint: Buffer;
  readonly mac: Buffer;
  readonly identity: string;
}

/** First bytes of SHA-256 of the token: names a token in replies and reports without revealing it. */
export function tokenFingerprint(token: Uint8Array): Buffer {
  return createHash('sha256').update(token).digest().subarray(0, FINGERPRINT_BYTES);
}

export function isValidIdentity(identity: string): boolean {
  return IDENTITY_PATTERN.test(identity);
}

export function encodeRequest(request: ProofRequest): Buffer {
  if (request.nonce.length !== NONCE_BYTES) throw new Error(`a nonce is ${NONCE_BYTES} bytes`);
  const bytes = Buffer.alloc(REQUEST_BYTES);
  MAGIC.copy(bytes, 0);
  bytes[4] = WIRE_VERSION;
  bytes[5] = KIND_REQUEST;
  bytes[6] = PROTOCOL_NUMBER[request.protocol];
  bytes.writeUInt16BE(request.port, 8);
  request.nonce.copy(bytes, 10);
  return bytes;
}

/** The request in `bytes`, or null for anything that is not exactly a version-1 request. */
export function decodeRequest(bytes: Uint8Array): ProofRequest | null {
  if (bytes.length !== REQUEST_BYTES) return null;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!startsWithMagic(buffer) || buffer[4] !== WIRE_VERSION || buffer[5] !== KIND_REQUEST) return null;
  const protocol = protocolOf(buffer[6]);
  if (protocol === null || buffer[7] !== 0) return null;
  // Padding must be zeros: the format has room to grow only through a new version.
  for (let index = 10 + NONCE_BYTES; index < REQUEST_BYTES; index += 1) if (buffer[index] !== 0) return null;
  return {
    protocol,
    port: buffer.readUInt16BE(8),
    nonce: Buffer.from(buffer.subarray(10, 10 + NONCE_BYTES)),
  };
}

/** True while `bytes` may still become a request (a TCP reader stops at the first byte that cannot). */
export function couldBeRequest(bytes: Uint8Array): boolean {
  const length = Math.min(bytes.length, MAGIC.length);
  for (let index = 0; index < length; index += 1) if (bytes[index] !== MAGIC[index]) return false;
  return bytes.length <= REQUEST_BYTES;
}

/** The proof a responder sends for `request`, received on `port` at its local address `reachedAt`. */
export function encodeProof(
  token: Uint8Array,
  request: ProofRequest,
  answer: { readonly port: number; readonly reachedAt: string; readonly identity: string },
): Buffer {
  if (!isValidIdentity(answer.identity)) throw new Error('identity must be 1-64 letters, digits, . - _');
  const identity = Buffer.from(answer.identity, 'ascii');
  const bytes = Buffer.alloc(PROOF_HEADER_BYTES + identity.length);
  MAGIC.copy(bytes, 0);
  bytes[4] = WIRE_VERSION;
  bytes[5] = KIND_PROOF;
  bytes[6] = PROTOCOL_NUMBER[request.protocol];
  bytes[7] = identity.length;
  bytes.writeUInt16BE(answer.port, 8);
  addressBytes(answer.reachedAt).copy(bytes, 10);
  tokenFingerprint(token).copy(bytes, 26);
  identity.copy(bytes, PROOF_HEADER_BYTES);
  proofMac(token, request.nonce, bytes).copy(bytes, 34);
  return bytes;
}

/** The proof in `bytes`, or null when they are not one (its MAC is not checked here: verifyProof). */
export function decodeProof(bytes: Uint8Array): Proof | null {
  if (bytes.length < PROOF_HEADER_BYTES + 1 || bytes.length > MAX_PROOF_BYTES) return null;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!startsWithMagic(buffer) || buffer[4] !== WIRE_VERSION || buffer[5] !== KIND_PROOF) return null;
  const protocol = protocolOf(buffer[6]);
  const identityLength = buffer[7] ?? 0;
  if (protocol === null || buffer.length !== PROOF_HEADER_BYTES + identityLength) return null;
  const identity = buffer.subarray(PROOF_HEADER_BYTES).toString('latin1');
  if (!isValidIdentity(identity)) return null;
  return {
    protocol,
    port: buffer.readUInt16BE(8),
    reachedAt: addressText(buffer.subarray(10, 26)),
    fingerprint: Buffer.from(buffer.subarray(26, 34)),
    mac: Buffer.from(buffer.subarray(34, 66)),
    identity,
  };
}

export type ProofCheck =
  | { readonly kind: 'valid'; readonly proof: Proof }
  /** A portflight proof under another token (its fingerprint differs from ours). */
  | { readonly kind: 'other-token'; readonly proof: Proof }
  /** Our fingerprint, but the MAC does not verify (made for another nonce, or altered on the way). */
  | { readonly kind: 'forged'; readonly proof: Proof }
  | { readonly kind: 'not-a-proof' };

/**
 * Checks an answer to `request` under `token`. A valid proof may still name another port, protocol
 * or address than the one asked: the caller compares them (a translation on the way, not a forgery).
 */
export function verifyProof(token: Uint8Array, request: ProofRequest, bytes: Uint8Array): ProofCheck {
  const proof = decodeProof(bytes);
  if (!proof) return { kind: 'not-a-proof' };
  if (!proof.fingerprint.equals(tokenFingerprint(token))) return { kind: 'other-token', proof };
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const expected = proofMac(token, request.nonce, buffer);
  return timingSafeEqual(expected, proof.mac) ? { kind: 'valid', proof } : { kind: 'forged', proof };
}

function proofMac(token: Uint8Array, nonce: Buffer, proof: Buffer): Buffer {
  return createHmac('sha256', token)
    .update(HMAC_DOMAIN)
    .update(nonce)
    .update(proof.subarray(4, 34))
    .update(proof.subarray(PROOF_HEADER_BYTES))
    .digest();
}

function startsWithMagic(buffer: Buffer): boolean {
  return buffer.length >= MAGIC.length && buffer.subarray(0, MAGIC.length).equals(MAGIC);
}

function protocolOf(number: number | undefined): WireProtocol | null {
  return number === PROTOCOL_NUMBER.tcp ? 'tcp' : number === PROTOCOL_NUMBER.udp ? 'udp' : null;
}

/** 16 bytes: IPv6 as is, IPv4 mapped (::ffff:a.b.c.d); all zeros when unknown. */
function addressBytes(address: string): Buffer {
  const bytes = Buffer.alloc(16);
  const plain = address.replace(/^::ffff:/i, '').replace(/%.*$/, '');
  if (isIPv4(plain)) {
    bytes[10] = 0xff;
    bytes[11] = 0xff;
    plain.split('.').forEach((octet, index) => (bytes[12 + index] = Number(octet)));
  } else if (isIPv6(plain)) {
    // An IPv4 tail (64:ff9b::198.18.4.2) is two groups spelled as four octets.
    const spelled = plain.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_, a, b, c, d) =>
      [(Number(a) << 8) | Number(b), (Number(c) << 8) | Number(d)].map((n) => n.toString(16)).join(':'),
    );
    expandIPv6(spelled).forEach((group, index) => bytes.writeUInt16BE(group, index * 2));
  }
  return bytes;
}

function addressText(bytes: Buffer): string {
  if (bytes.every((byte) => byte === 0)) return '';
  const mapped =
    bytes.subarray(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (mapped) return [...bytes.subarray(12)].join('.');
  const groups = Array.from({ length: 8 }, (_, index) => bytes.readUInt16BE(index * 2).toString(16));
  return compressIPv6(groups);
}

function expandIPv6(address: string): number[] {
  const [head = '', tail] = address.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/** RFC 5952 text: the longest run of two or more zero groups as `::`. */
function compressIPv6(groups: string[]): string {
  let best = { start: -1, length: 0 };
  for (let start = 0; start < 8;) {
    let end = start;
    while (end < 8 && groups[end] === '0') end += 1;
    if (end - start > best.length && end - start >= 2) best = { start, length: end - start };
    start = end === start ? start + 1 : end;
  }
  if (best.start < 0) return groups.join(':');
  return `${groups.slice(0, best.start).join(':')}::${groups.slice(best.start + best.length).join(':')}`;
}

import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  couldBeRequest,
  decodeProof,
  decodeRequest,
  encodeProof,
  encodeRequest,
  MAX_PROOF_BYTES,
  NONCE_BYTES,
  REQUEST_BYTES,
  tokenFingerprint,
  verifyProof,
  type ProofRequest,
} from '../../src/responder/wire.js';

const TOKEN = Buffer.from('a'.repeat(64));
const OTHER_TOKEN = Buffer.from('b'.repeat(64));
const request = (protocol: 'tcp' | 'udp' = 'tcp', port = 8080): ProofRequest => ({
  protocol,
  port,
  nonce: randomBytes(NONCE_BYTES),
});

describe('responder wire format', () => {
  it('round-trips a request, and refuses one byte more, less or different', () => {
    const sent = request('udp', 25536);
    const bytes = encodeRequest(sent);
    expect(bytes.length).toBe(REQUEST_BYTES);
    expect(decodeRequest(bytes)).toEqual(sent);
    expect(decodeRequest(bytes.subarray(0, REQUEST_BYTES - 1))).toBeNull();
    expect(decodeRequest(Buffer.concat([bytes, Buffer.alloc(1)]))).toBeNull();
    for (const offset of [0, 4, 5, 6, 7, 100, REQUEST_BYTES - 1]) {
      const altered = Buffer.from(bytes);
      altered[offset] = (altered[offset] ?? 0) ^ 0x40;
      expect(decodeRequest(altered), `byte ${offset}`).toBeNull();
    }
  });

  it('verifies a proof made for the nonce under the token, and nothing else', () => {
    const sent = request();
    const proof = encodeProof(TOKEN, sent, { port: 8080, reachedAt: '198.18.4.2', identity: 'mp01' });
    expect(proof.length).toBeLessThan(REQUEST_BYTES);
    const check = verifyProof(TOKEN, sent, proof);
    expect(check.kind).toBe('valid');
    expect(decodeProof(proof)).toMatchObject({ port: 8080, reachedAt: '198.18.4.2', identity: 'mp01' });
    // Another nonce: a replayed proof does not verify.
    expect(verifyProof(TOKEN, request(), proof).kind).toBe('forged');
    // Any altered byte of the signed part breaks the MAC (or the format).
    for (let offset = 4; offset < proof.length; offset += 1) {
      if (offset >= 26 && offset < 34) continue; // the fingerprint: altered, it names another token
      const altered = Buffer.from(proof);
      altered[offset] = (altered[offset] ?? 0) ^ 0x01;
      expect(['forged', 'not-a-proof'], `byte ${offset}`).toContain(verifyProof(TOKEN, sent, altered).kind);
    }
  });

  it('tells a proof under another token by its fingerprint, without knowing that token', () => {
    const sent = request();
    const proof = encodeProof(OTHER_TOKEN, sent, { port: 8080, reachedAt: '198.18.4.2', identity: 'mp01' });
    const check = verifyProof(TOKEN, sent, proof);
    expect(check.kind).toBe('other-token');
    if (check.kind === 'other-token')
      expect(check.proof.fingerprint.equals(tokenFingerprint(OTHER_TOKEN))).toBe(true);
    expect(proof.includes(OTHER_TOKEN)).toBe(false);
  });

  it('carries IPv6 reached-at addresses', () => {
    const proof = encodeProof(TOKEN, request(), { port: 1, reachedAt: '2001:db8::5', identity: 'x' });
    expect(decodeProof(proof)?.reachedAt).toBe('2001:db8::5');
    const nat64 = encodeProof(TOKEN, request(), { port: 1, reachedAt: '64:ff9b::198.18.4.2', identity: 'x' });
    expect(decodeProof(nat64)?.reachedAt).toBe('64:ff9b::c612:402');
  });

  it('keeps the largest proof smaller than a request (no amplification)', () => {
    const proof = encodeProof(TOKEN, request(), {
      port: 65535,
      reachedAt: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
      identity: 'x'.repeat(64),
    });
    expect(proof.length).toBe(MAX_PROOF_BYTES);
    expect(MAX_PROOF_BYTES).toBeLessThan(REQUEST_BYTES);
    expect(() =>
      encodeProof(TOKEN, request(), { port: 1, reachedAt: '', identity: 'x'.repeat(65) }),
    ).toThrow();
  });

  it('never throws on, and never takes for a request, arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        expect(decodeRequest(bytes)).toBeNull();
        expect(() => decodeProof(bytes)).not.toThrow();
        expect(() => couldBeRequest(bytes)).not.toThrow();
        expect(verifyProof(TOKEN, request(), bytes).kind).not.toBe('valid');
      }),
      { numRuns: 2000 },
    );
  });

  it('never takes a mutated request for a valid one unless only the nonce or port changed', () => {
    const base = encodeRequest(request());
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: REQUEST_BYTES - 1 }),
        fc.integer({ min: 1, max: 255 }),
        (offset, flip) => {
          const altered = Buffer.from(base);
          altered[offset] = (altered[offset] ?? 0) ^ flip;
          const decoded = decodeRequest(altered);
          // Only the port (8-9) and the nonce (10-41) are free fields; the protocol byte (6) may turn
          // into the other protocol's code, never into the same request.
          if (offset >= 8 && offset < 10 + NONCE_BYTES) expect(decoded).not.toBeNull();
          else if (offset === 6) expect(decoded?.protocol ?? 'none').not.toBe('tcp');
          else expect(decoded).toBeNull();
        },
      ),
      { numRuns: 1000 },
    );
  });
});

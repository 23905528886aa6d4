import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { identityNames, recordWithResponderAnswer } from '../../src/probes/responder-outcome.js';
import type { ResponderAnswer } from '../../src/probes/responder-probe.js';
import type { ProbeRecord } from '../../src/probes/types.js';
import { encodeProof, NONCE_BYTES, verifyProof, type ProofRequest } from '../../src/responder/wire.js';

const OURS = Buffer.from('o'.repeat(64));
const THEIRS = Buffer.from('x'.repeat(64));
const RECORD: ProbeRecord = {
  target: '198.18.4.2',
  address: '198.18.4.2',
  protocol: 'tcp',
  port: 8080,
  roles: ['extra'],
  state: 'open',
  reason: 'syn-ack',
  rttMs: 1,
  replyTtl: 61,
};

function answered(token: Buffer, reachedAt: string, identity = 'srv', port = 8080): ResponderAnswer {
  const request: ProofRequest = { protocol: 'tcp', port: 8080, nonce: randomBytes(NONCE_BYTES) };
  const check = verifyProof(OURS, request, encodeProof(token, request, { port, reachedAt, identity }));
  if (check.kind === 'not-a-proof') throw new Error('not a proof');
  return { kind: 'proof', check, rttMs: 2 };
}

const judge = (answer: ResponderAnswer, record: ProbeRecord = RECORD) =>
  recordWithResponderAnswer(record, answer, 'ffff');

describe('judging a responder answer', () => {
  it('proves a port answered under our token from the address and port probed', () => {
    expect(judge(answered(OURS, '198.18.4.2'))).toMatchObject({
      state: 'open',
      reason: 'responder',
      responder: { outcome: 'proved', identity: 'srv', replyTtl: 61 },
    });
  });

  it('calls a valid proof from another address or port a middlebox (a DNAT), unless it names the target', () => {
    expect(judge(answered(OURS, '198.18.3.2', 'r2'))).toMatchObject({ reason: 'middlebox' });
    expect(judge(answered(OURS, '198.18.4.2', 'srv', 8081))).toMatchObject({ reason: 'middlebox' });
    const named = { ...RECORD, target: 'srv.corp.example' };
    expect(judge(answered(OURS, '10.0.0.5', 'SRV'), named)).toMatchObject({ reason: 'responder' });
  });

  it('reports another token as such from the address probed, and as a middlebox from elsewhere', () => {
    expect(judge(answered(THEIRS, '198.18.4.2'))).toMatchObject({
      reason: 'responder-token-mismatch',
      responder: { outcome: 'token-mismatch', expectedFingerprint: 'ffff' },
    });
    expect(judge(answered(THEIRS, '198.18.3.2', 'r2'))).toMatchObject({ reason: 'middlebox' });
  });

  it('says what answered without a proof', () => {
    const banner = Buffer.from('SSH-2.0-x\r\n\x1b[2J');
    expect(judge({ kind: 'other', bytes: banner, rttMs: 1 })).toMatchObject({
      reason: 'middlebox',
      responder: { banner: 'SSH-2.0-x\\x0d\\x0a\\x1b[2J' },
    });
    expect(judge({ kind: 'other', bytes: Buffer.alloc(0), rttMs: 1, tlsSubject: 'CN=fw' })).toMatchObject({
      detail: 'answered without a proof: a TLS server (certificate CN=fw) (SYN-ACK received with TTL 61)',
    });
  });

  it('turns UDP silence where the responder listens into filtered, and keeps TCP records', () => {
    const udp = {
      ...RECORD,
      protocol: 'udp' as const,
      state: 'open|filtered' as const,
      reason: 'no-response' as const,
    };
    expect(judge({ kind: 'silent' }, udp)).toMatchObject({
      state: 'filtered',
      responder: { outcome: 'silent' },
    });
    expect(judge({ kind: 'refused', rttMs: 1 }, udp)).toMatchObject({
      state: 'closed',
      reason: 'port-unreach',
    });
    expect(judge({ kind: 'silent' })).toMatchObject({ state: 'open', reason: 'syn-ack' });
  });

  it('matches identities to targets by name or first label, never to an address', () => {
    expect(identityNames('mp01', 'MP01.corp.example.')).toBe(true);
    expect(identityNames('mp01.corp.example', 'mp01')).toBe(true);
    expect(identityNames('mp02', 'mp01.corp.example')).toBe(false);
    expect(identityNames('198', '198.18.4.2')).toBe(false);
  });
});

import type { ResponderAnswer } from './responder-probe.js';
import type { ProbeRecord, ResponderEvidence } from './types.js';

/**
 * Judges a responder's answer against the record of the same port. A proof is only the server's
 * when it was made under our token *and* reached the address and port probed, or names the host
 * probed: a valid proof from elsewhere means the path hands this port to another host (a DNAT).
 */
export function recordWithResponderAnswer(
  record: ProbeRecord,
  answer: ResponderAnswer,
  expectedFingerprint: string,
): ProbeRecord {
  const base = {
    expectedFingerprint,
    ...(record.replyTtl !== undefined ? { replyTtl: record.replyTtl } : {}),
  };
  switch (answer.kind) {
    case 'proof': {
      const { proof } = answer.check;
      const seen = {
        ...base,
        identity: proof.identity,
        ...(proof.reachedAt ? { reachedAt: proof.reachedAt } : {}),
        reachedPort: proof.port,
        tokenFingerprint: proof.fingerprint.toString('hex'),
      };
      const translation = translationOf(record, proof);
      const ours = translation === null || identityNames(proof.identity, record.target);
      if (answer.check.kind === 'valid') {
        if (ours) {
          const after = translation ? `, reached at ${translation} after a translation on the way` : '';
          return with_(
            record,
            'open',
            'responder',
            answer.rttMs,
            `proved by the responder of ${proof.identity}${after}`,
            {
              ...seen,
              outcome: 'proved',
            },
          );
        }
        return with_(
          record,
          'open',
          'middlebox',
          answer.rttMs,
          `the responder of ${proof.identity} answered, reached at ${translation}: the path sends this port to another host`,
          { ...seen, outcome: 'middlebox' },
        );
      }
      if (answer.check.kind === 'other-token') {
        // Unauthenticated, but a responder elsewhere under its own token is what a DNAT looks like.
        if (!ours)
          return with_(
            record,
            'open',
            'middlebox',
            answer.rttMs,
            `a responder claiming to be ${proof.identity} (another token, fingerprint ${seen.tokenFingerprint}) answered, reached at ${translation}: the path sends this port to another host`,
            { ...seen, outcome: 'middlebox' },
          );
        return with_(
          record,
          'open',
          'responder-token-mismatch',
          answer.rttMs,
          `a responder claiming to be ${proof.identity} answered under another token (fingerprint ${seen.tokenFingerprint}, ours ${expectedFingerprint})`,
          { ...seen, outcome: 'token-mismatch' },
        );
      }
      return with_(
        record,
        'open',
        'middlebox',
        answer.rttMs,
        'a reply in the proof format whose MAC does not verify: altered or replayed on the way',
        { ...seen, outcome: 'middlebox' },
      );
    }
    case 'other': {
      const banner = bannerText(answer.bytes);
      const said = answer.tlsSubject
        ? `a TLS server (certificate ${answer.tlsSubject})`
        : banner
          ? `"${banner}"`
          : record.protocol === 'tcp'
            ? 'nothing (the connection was accepted, then closed or left silent)'
            : 'an empty datagram';
      return with_(
        record,
        'open',
        'middlebox',
        answer.rttMs ?? record.rttMs,
        `answered without a proof: ${said}`,
        {
          ...base,
          outcome: 'middlebox',
          ...(banner ? { banner } : {}),
          ...(answer.tlsSubject ? { tlsSubject: answer.tlsSubject } : {}),
        },
      );
    }
    case 'refused':
      return record.protocol === 'udp'
        ? with_(
            record,
            'closed',
            'port-unreach',
            answer.rttMs,
            'nothing listens: is the responder running there?',
            {
              ...base,
              outcome: 'refused',
            },
          )
        : { ...record, responder: { ...base, outcome: 'refused' } };
    case 'silent':
      // A responder answers every valid request: silence where it listens is a drop.
      return record.protocol === 'udp'
        ? with_(
            record,
            'filtered',
            'no-response',
            null,
            'neither a proof nor a port-unreachable came back from where the responder listens',
            { ...base, outcome: 'silent' },
          )
        : { ...record, responder: { ...base, outcome: 'silent' } };
    case 'error':
      return { ...record, responder: { ...base, outcome: 'error' } };
  }
}

function with_(
  record: ProbeRecord,
  state: ProbeRecord['state'],
  reason: ProbeRecord['reason'],
  rttMs: number | null,
  detail: string,
  responder: ResponderEvidence,
): ProbeRecord {
  // How far away the answer came from is part of what answered in the server's place.
  const ttl =
    reason === 'middlebox' && record.protocol === 'tcp' && record.replyTtl !== undefined
      ? ` (SYN-ACK received with TTL ${record.replyTtl})`
      : '';
  return { ...record, state, reason, rttMs, detail: `${detail}${ttl}`, responder };
}

/** `198.18.5.2/8080` when the proof reached another address, port or protocol than probed; else null. */
function translationOf(
  record: ProbeRecord,
  proof: { readonly reachedAt: string; readonly port: number; readonly protocol: string },
): string | null {
  const address = proof.reachedAt || null;
  const sameAddress = address === null || address === record.address;
  if (sameAddress && proof.port === record.port && proof.protocol === record.protocol) return null;
  return `${address ?? 'an unknown address'} ${proof.protocol}/${proof.port}`;
}

/** The identity names the target when they are equal, or when one is the other's first DNS label. */
export function identityNames(identity: string, target: string): boolean {
  const a = identity.toLowerCase().replace(/\.$/, '');
  const b = target.toLowerCase().replace(/\.$/, '');
  if (/^[\d.]+$|:/.test(b)) return a === b;
  return a === b || a === b.split('.')[0] || b === a.split('.')[0];
}

/** Printable ASCII as is, the rest as \xNN: a banner reaches reports and terminals as plain text. */
function bannerText(bytes: Buffer): string {
  let text = '';
  for (const byte of bytes)
    text +=
      byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`;
  return text.trim();
}

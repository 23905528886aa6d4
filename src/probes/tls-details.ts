import { checkServerIdentity, type PeerCertificate, type TLSSocket } from 'node:tls';
import type { TlsDetails } from './types.js';

/**
 * What a finished TLS handshake tells about the server: protocol, cipher, certificate names and dates,
 * and whether a client would trust it. Call it on `secureConnect` of a socket opened with
 * `rejectUnauthorized: false`, so an untrusted certificate is still described rather than refused.
 */
export function describeTlsSession(
  socket: TLSSocket,
  targetName: string,
  expectedIssuer?: string,
): TlsDetails {
  const cert: Partial<PeerCertificate> = socket.getPeerCertificate();
  // Node returns an empty object, not null, when the server sent no certificate.
  const hasCert = cert.raw !== undefined;
  return {
    protocol: socket.getProtocol() ?? null,
    cipher: socket.getCipher()?.name ?? null,
    subject: attribute(cert.subject, 'CN'),
    subjectAltNames: parseSubjectAltNames(cert.subjectaltname),
    issuer: formatIssuer(cert.issuer),
    validFrom: isoDate(cert.valid_from),
    validTo: isoDate(cert.valid_to),
    nameMatches: hasCert && checkServerIdentity(targetName, cert as PeerCertificate) === undefined,
    authorized: socket.authorized,
    // Typed as Error, but Node stores the OpenSSL code (e.g. DEPTH_ZERO_SELF_SIGNED_CERT) as a string.
    authorizationError: socket.authorized ? null : String(socket.authorizationError ?? 'unknown'),
    possibleInterception: isPossibleInterception(cert.issuer, expectedIssuer),
  };
}

/**
 * Splits Node's `subjectaltname` text (`DNS:a, IP Address:10.0.0.1`) into one entry per name, keeping
 * the type label. Since CVE-2021-44532 Node JSON-quotes values holding separators, so a plain split on
 * `, ` would cut `DNS:"a, b"` in two.
 */
export function parseSubjectAltNames(text: string | undefined): string[] {
  const names: string[] = [];
  let rest = text ?? '';
  while (rest.length > 0) {
    const colon = rest.indexOf(':');
    if (colon < 0) break;
    const label = rest.slice(0, colon);
    const quoted = rest[colon + 1] === '"' ? /^"(?:[^"\\]|\\.)*"/.exec(rest.slice(colon + 1)) : null;
    let value: string;
    if (quoted) {
      value = JSON.parse(quoted[0]) as string;
      rest = rest.slice(colon + 1 + quoted[0].length);
    } else {
      const comma = rest.indexOf(', ', colon);
      value = rest.slice(colon + 1, comma < 0 ? undefined : comma);
      rest = comma < 0 ? '' : rest.slice(comma);
    }
    names.push(`${label}:${value}`);
    rest = rest.replace(/^, /, '');
  }
  return names;
}

/** `CN=…, O=…`: the two issuer fields a person recognises a CA by; null when neither is present. */
export function formatIssuer(issuer: PeerCertificate['issuer'] | undefined): string | null {
  const parts = (['CN', 'O'] as const).flatMap((key) => {
    const value = attribute(issuer, key);
    return value === null ? [] : [`${key}=${value}`];
  });
  return parts.length > 0 ? parts.join(', ') : null;
}

/**
 * A middlebox that inspects TLS re-signs the server's certificate with its own CA, so an issuer other
 * than the one the plan expects is the visible trace. Matching is a case-insensitive substring of the
 * issuer CN or O, because plans name a CA loosely ("Contoso Issuing CA", "contoso").
 */
export function isPossibleInterception(
  issuer: PeerCertificate['issuer'] | undefined,
  expectedIssuer: string | undefined,
): boolean {
  if (expectedIssuer === undefined || expectedIssuer.trim() === '') return false;
  const wanted = expectedIssuer.trim().toLowerCase();
  const fields = [attribute(issuer, 'CN'), attribute(issuer, 'O')];
  return !fields.some((value) => value !== null && value.toLowerCase().includes(wanted));
}

/** Repeated attributes (two OUs, two CNs) arrive as arrays at run time although typed as strings. */
function attribute(name: PeerCertificate['subject'] | undefined, key: 'CN' | 'O'): string | null {
  const value: unknown = name?.[key];
  if (Array.isArray(value)) return value.length > 0 ? value.map(String).join(', ') : null;
  return typeof value === 'string' && value !== '' ? value : null;
}

function isoDate(text: string | undefined): string | null {
  if (!text) return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { Report, ReportIntegrity } from './model.js';

/**
 * What the digest covers, written into every report so a reader can recompute it with any JSON
 * canonicaliser: the report model without its `integrity` block, as RFC 8785 JSON, UTF-8.
 */
export const CANONICAL_CONTENT = 'RFC 8785 JSON of the report without integrity, UTF-8';

/** A report as it is written: with the digest of its content (and a signature when a key is given). */
export type SealedReport = Report & { readonly integrity: ReportIntegrity };

/** The report's content: everything but the integrity block. */
export function reportContent(report: Report): Report {
  const { integrity: _integrity, ...content } = report;
  return content;
}

/** The bytes the digest and the signature are computed over. */
export function canonicalContent(report: Report): Buffer {
  return Buffer.from(canonicalJson(reportContent(report)), 'utf8');
}

/**
 * Seals a report: the sha256 of its canonical content and, with an Ed25519 private key, a signature
 * of that content. A report sealed before is sealed anew (its old block is not content). Every
 * command that writes a report (scan, check, demo, merge) seals it here.
 */
export function sealReport(report: Report, signingKey?: KeyObject): SealedReport {
  const content = canonicalContent(report);
  const integrity: ReportIntegrity = {
    canonicalisation: CANONICAL_CONTENT,
    sha256: createHash('sha256').update(content).digest('hex'),
    ...(signingKey === undefined
      ? {}
      : {
          signature: {
            algorithm: 'ed25519',
            keyId: keyIdOf(createPublicKey(signingKey)),
            value: sign(null, content, signingKey).toString('base64'),
          },
        }),
  };
  return { ...reportContent(report), integrity };
}

/** A report sealed already is kept as it is (its signature stays); any other gets a bare digest. */
export function sealedOrBare(report: Report): SealedReport {
  return report.integrity === undefined ? sealReport(report) : (report as SealedReport);
}

/** What checking a report's seal found; `problem` names the first thing that failed. */
export type SealCheck =
  | { readonly ok: true; readonly signature: 'verified' | 'not-checked' | 'absent' }
  | { readonly ok: false; readonly failed: 'content' | 'signature'; readonly problem: string };

/**
 * Checks the digest against the content, then the signature against `publicKey` when one is given
 * (a signature without a trusted key proves nothing: anyone can sign with a key of their own).
 */
export function checkSeal(report: SealedReport, publicKey?: KeyObject): SealCheck {
  const content = canonicalContent(report);
  const actual = createHash('sha256').update(content).digest('hex');
  if (actual !== report.integrity.sha256) {
    return {
      ok: false,
      failed: 'content',
      problem: `content changed: its sha256 is ${actual}, the report says ${report.integrity.sha256}`,
    };
  }
  const signature = report.integrity.signature;
  if (publicKey === undefined) return { ok: true, signature: signature ? 'not-checked' : 'absent' };
  if (signature === undefined)
    return { ok: false, failed: 'signature', problem: 'the report is not signed (no signature to check)' };
  const given = keyIdOf(publicKey);
  if (signature.keyId !== given) {
    return {
      ok: false,
      failed: 'signature',
      problem: `signed with key ${signature.keyId}, not with the given key ${given}`,
    };
  }
  const valid = verify(null, content, publicKey, Buffer.from(signature.value, 'base64'));
  return valid
    ? { ok: true, signature: 'verified' }
    : { ok: false, failed: 'signature', problem: `the signature does not match the content (key ${given})` };
}

/** A public key's name in reports: the sha256 of its DER SubjectPublicKeyInfo. */
export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(der).digest('hex')}`;
}

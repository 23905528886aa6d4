import { createHash, generateKeyPairSync } from 'node:crypto';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/report/canonical-json.js';
import {
  REPORT_FORMATS,
  REPORT_RENDERERS,
  sealReport,
  verifyReportBytes,
  type ReportFormat,
} from '../../src/report/index.js';
import { richReport } from '../support/sample-reports.js';

const signer = generateKeyPairSync('ed25519');
const stranger = generateKeyPairSync('ed25519');
const report = richReport();
const signed = sealReport(report, signer.privateKey);

function rendered(format: ReportFormat, sealed = signed): Buffer {
  return Buffer.from(REPORT_RENDERERS[format](sealed), 'utf8');
}

/** The byte at `index` replaced by another printable one. */
function withByteChanged(bytes: Buffer, index: number): Buffer {
  const changed = Buffer.from(bytes);
  changed[index] = changed[index] === 0x41 ? 0x42 : 0x41;
  return changed;
}

describe('the seal', () => {
  it('is the sha256 of the report without its integrity block, as RFC 8785 JSON', () => {
    const { integrity, ...content } = signed;
    expect(integrity.canonicalisation).toMatch(/RFC 8785/);
    expect(integrity.sha256).toBe(createHash('sha256').update(canonicalJson(content)).digest('hex'));
    // Key order and whitespace are not content: the canonical text sorts keys and has no spaces.
    expect(canonicalJson({ b: [1, 'x', null], a: { d: true, c: 0.5 } })).toBe(
      '{"a":{"c":0.5,"d":true},"b":[1,"x",null]}',
    );
  });

  it('is the same for the model and its YAML and JSON, which parse back to the same model', () => {
    const fromYaml = parse(REPORT_RENDERERS.yaml(signed)) as typeof signed;
    const fromJson = JSON.parse(REPORT_RENDERERS.json(signed)) as typeof signed;
    expect(fromYaml).toEqual(JSON.parse(JSON.stringify(signed)));
    expect(fromJson).toEqual(JSON.parse(JSON.stringify(signed)));
    expect(sealReport(fromYaml).integrity.sha256).toBe(signed.integrity.sha256);
    expect(sealReport(fromJson).integrity.sha256).toBe(signed.integrity.sha256);
  });

  it('seals anew: the old block is not content, and every renderer seals an unsealed report', () => {
    expect(sealReport(signed).integrity).toEqual({
      canonicalisation: signed.integrity.canonicalisation,
      sha256: signed.integrity.sha256,
    });
    const text = REPORT_RENDERERS.json(report);
    expect((JSON.parse(text) as typeof signed).integrity.sha256).toBe(signed.integrity.sha256);
  });
});

const VERDICT_TEXT: Readonly<Record<ReportFormat, readonly [string, number]>> = {
  yaml: ['verdict: no-go', 9],
  json: ['"verdict": "no-go"', 12],
  markdown: ['NO-GO** —', 0],
  html: ['NO-GO</span>', 0],
  junit: ['name="verdict" value="no-go"', 22],
};

describe.each(REPORT_FORMATS)('verify (%s)', (format) => {
  const bytes = rendered(format);

  it('accepts the untouched report, and checks its signature with the right key', () => {
    expect(verifyReportBytes(bytes, 'r')).toMatchObject({
      ok: true,
      format,
      signature: 'not-checked',
      sha256: signed.integrity.sha256,
    });
    expect(verifyReportBytes(bytes, 'r', signer.publicKey)).toMatchObject({
      ok: true,
      signature: 'verified',
    });
  });

  it('names a wrong key, and a missing signature when a key is given', () => {
    expect(verifyReportBytes(bytes, 'r', stranger.publicKey)).toMatchObject({
      ok: false,
      failed: 'signature',
      problem: expect.stringMatching(/^signed with key sha256:[0-9a-f]{64}, not with the given key sha256:/),
    });
    const bare = rendered(format, sealReport(report));
    expect(verifyReportBytes(bare, 'r')).toMatchObject({ ok: true, signature: 'absent' });
    expect(verifyReportBytes(bare, 'r', signer.publicKey)).toMatchObject({
      ok: false,
      failed: 'signature',
      problem: expect.stringMatching(/not signed/),
    });
  });

  it('finds a signature that does not match the content under the same key', () => {
    // Re-sealed by someone without the key: a valid digest, the old signature kept.
    const { integrity: _integrity, ...content } = signed;
    const edited = { ...content, verdict: 'go' as const };
    const forged = {
      ...sealReport(edited),
      integrity: { ...sealReport(edited).integrity, signature: signed.integrity.signature },
    };
    expect(verifyReportBytes(rendered(format, forged), 'r', signer.publicKey)).toMatchObject({
      ok: false,
      failed: 'signature',
      problem: expect.stringMatching(/does not match the content/),
    });
  });

  // Positions from after the first line (which says what the file is) to the last byte.
  it.each([0.05, 0.2, 0.4, 0.55, 0.7, 0.85, 0.97, 1])(
    'finds a one-byte change at %f of the file',
    (fraction) => {
      const firstLineEnd = bytes.indexOf(0x0a) + 1;
      const index = Math.min(bytes.length - 1, Math.max(firstLineEnd, Math.floor(bytes.length * fraction)));
      const outcome = verifyReportBytes(withByteChanged(bytes, index), 'r');
      expect(outcome).toMatchObject({ ok: false, failed: 'content' });
    },
  );

  it('finds a change of the visible verdict and of the digest itself', () => {
    // Where each format writes the verdict, and the byte offset of the "n" of no-go in it.
    const [needle, offset] = VERDICT_TEXT[format];
    const verdictAt = bytes.indexOf(needle);
    expect(verdictAt).toBeGreaterThan(0);
    expect(String.fromCharCode(bytes[verdictAt + offset] ?? 0)).toMatch(/[nN]/);
    for (const index of [verdictAt + offset, bytes.indexOf(signed.integrity.sha256) + 10]) {
      expect(verifyReportBytes(withByteChanged(bytes, index), 'r'), `byte ${index}`).toMatchObject({
        ok: false,
        failed: 'content',
      });
    }
  });
});

describe('verify of a file that is not a report', () => {
  it('is an input error (65), not a changed report', () => {
    expect(() => verifyReportBytes(Buffer.from('hello: world\n'), 'notes.yaml')).toThrow(
      expect.objectContaining({
        exitCode: 65,
        message: expect.stringMatching(/^notes.yaml: not a portflight report/),
      }),
    );
  });

  it('says which part is missing from a recognisable report', () => {
    const markdown = REPORT_RENDERERS.markdown(signed).replace(/~~~portflight-report[\s\S]*~~~\n/, '');
    expect(verifyReportBytes(Buffer.from(markdown), 'r')).toMatchObject({
      ok: false,
      failed: 'content',
      problem: 'its embedded sealed copy is missing',
    });
    const yaml = REPORT_RENDERERS.yaml(signed).replace(/\nintegrity:[\s\S]*$/, '\n');
    expect(verifyReportBytes(Buffer.from(yaml), 'r')).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/no integrity block/),
    });
  });
});

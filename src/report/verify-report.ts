import type { KeyObject } from 'node:crypto';
import { parseDocument } from 'yaml';
import { ExitCode } from '../shared/exit-codes.js';
import { UserError } from '../shared/errors.js';
import { LineIndex } from '../shared/line-index.js';
import { copyOfLines, readEmbeddedCopy, type EmbeddedCopy } from './embedded-copy.js';
import { checkSeal, type SealedReport } from './integrity.js';
import { findHtmlCopy, htmlDocument } from './render-html.js';
import { renderJsonReport } from './render-json.js';
import { findJunitCopy, junitDocument } from './render-junit.js';
import { findMarkdownCopy, markdownDocument } from './render-markdown.js';
import { renderYamlReport } from './render-yaml.js';
import type { ReportFormat } from './registry.js';

export type VerifyOutcome =
  | {
      readonly ok: true;
      readonly format: ReportFormat;
      readonly sha256: string;
      readonly signature: 'verified' | 'not-checked' | 'absent';
      readonly keyId?: string;
    }
  | {
      readonly ok: false;
      readonly format: ReportFormat;
      readonly failed: 'content' | 'signature';
      /** One line: what failed. */
      readonly problem: string;
      /** Where in the file, when it is a place (1-based, as editors show it). */
      readonly position?: { readonly line: number; readonly col: number };
    };

/**
 * Checks a report file as written by any renderer: the digest against the content, the signature
 * against `publicKey` when given, and the document against the one its sealed content renders to,
 * byte for byte — so an edit anywhere, formatting or visible text of a Markdown or HTML report
 * included, is found. A file that is not a portflight report is an input error (exit 65).
 */
export function verifyReportBytes(bytes: Buffer, file: string, publicKey?: KeyObject): VerifyOutcome {
  const text = bytes.toString('utf8');
  const format = formatOf(text, file);
  const changed = (problem: string, position?: { line: number; col: number }): VerifyOutcome => ({
    ok: false,
    format,
    failed: 'content',
    problem,
    ...(position === undefined ? {} : { position }),
  });
  let report: SealedReport;
  let rebuild: (report: SealedReport) => string;
  try {
    ({ report, rebuild } = readSealed(text, format));
  } catch (error) {
    if (!(error instanceof DamagedReport)) throw error;
    return changed(error.message, error.position);
  }
  let seal: ReturnType<typeof checkSeal>;
  let rebuilt: Buffer;
  try {
    seal = checkSeal(report, publicKey);
    if (!seal.ok) return { ok: false, format, failed: seal.failed, problem: seal.problem };
    rebuilt = Buffer.from(rebuild(report), 'utf8');
  } catch (error) {
    // A seal whose digest matches has the content it was made from; an edited integrity block may not.
    if (error instanceof TypeError || error instanceof RangeError)
      return changed(`its integrity block is damaged (${error.message})`);
    throw error;
  }
  if (!rebuilt.equals(bytes))
    return changed(
      'the document differs from its sealed content here',
      whereDiffers(text, rebuilt.toString('utf8')),
    );
  return {
    ok: true,
    format,
    sha256: report.integrity.sha256,
    signature: seal.signature,
    ...(report.integrity.signature ? { keyId: report.integrity.signature.keyId } : {}),
  };
}

/** A report that was recognised but no longer reads as one: its content changed. */
class DamagedReport extends Error {
  constructor(
    message: string,
    readonly position?: { line: number; col: number },
  ) {
    super(message);
  }
}

/** Recognised by how each renderer starts its document; anything else is not a portflight report. */
function formatOf(text: string, file: string): ReportFormat {
  if (text.startsWith('portflight: ')) return 'yaml';
  if (text.startsWith('{\n  "portflight": ')) return 'json';
  if (text.startsWith('# portflight: ')) return 'markdown';
  if (text.startsWith('<!DOCTYPE html>')) return 'html';
  if (text.startsWith('<?xml') && text.includes('<testsuites')) return 'junit';
  throw new UserError(
    `${file}: not a portflight report (expected the YAML, JSON, Markdown, HTML or JUnit that portflight writes)`,
    ExitCode.invalidInput,
  );
}

const FIND_COPY: Partial<Record<ReportFormat, (text: string) => string[] | null>> = {
  markdown: findMarkdownCopy,
  html: findHtmlCopy,
  junit: findJunitCopy,
};

const AROUND_COPY: Partial<Record<ReportFormat, (report: SealedReport, copy: EmbeddedCopy) => string>> = {
  markdown: markdownDocument,
  html: htmlDocument,
  junit: junitDocument,
};

function readSealed(
  text: string,
  format: ReportFormat,
): { report: SealedReport; rebuild: (report: SealedReport) => string } {
  if (format === 'yaml' || format === 'json') {
    const value = format === 'json' ? parseJson(text) : parseYaml(text);
    return { report: asSealed(value), rebuild: format === 'json' ? renderJsonReport : renderYamlReport };
  }
  const lines = FIND_COPY[format]?.(text) ?? null;
  if (lines === null) throw new DamagedReport('its embedded sealed copy is missing');
  const copy = copyOfLines(lines);
  let value: unknown;
  try {
    value = readEmbeddedCopy(copy);
  } catch (error) {
    throw new DamagedReport(`its embedded sealed copy is damaged: ${(error as Error).message}`);
  }
  const around = AROUND_COPY[format] as (report: SealedReport, copy: EmbeddedCopy) => string;
  return { report: asSealed(value), rebuild: (report) => around(report, copy) };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    // V8 names the position in some messages only; the message itself may quote the text.
    const at = /at position (\d+)/.exec((error as Error).message)?.[1];
    throw new DamagedReport(
      'it is no longer valid JSON',
      at === undefined ? undefined : new LineIndex(text).position(Number(at)),
    );
  }
}

function parseYaml(text: string): unknown {
  const document = parseDocument(text);
  const error = document.errors[0];
  if (error) {
    throw new DamagedReport(
      `it is no longer valid YAML (${error.code})`,
      new LineIndex(text).position(error.pos[0]),
    );
  }
  return document.toJS() as unknown;
}

function asSealed(value: unknown): SealedReport {
  const integrity = (value as { integrity?: { sha256?: unknown } } | null)?.integrity;
  if (typeof value !== 'object' || value === null || typeof integrity?.sha256 !== 'string')
    throw new DamagedReport('it has no integrity block (sha256) any more');
  return value as SealedReport;
}

/** Where the first character is that is not what the seal renders. */
function whereDiffers(actual: string, expected: string): { line: number; col: number } {
  let index = 0;
  while (index < actual.length && actual[index] === expected[index]) index += 1;
  return new LineIndex(actual).position(index);
}

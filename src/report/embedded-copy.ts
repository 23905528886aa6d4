import { lazyBuiltin } from '../shared/lazy-builtin.js';
import { sha256Hex } from '../shared/sha256.js';
import type { SealedReport } from './integrity.js';

/**
 * The sealed report model inside a Markdown, HTML or JUnit document, so that `portflight verify` can
 * rebuild the document from it and compare byte for byte: the visible text cannot be edited without
 * the rebuilt one differing. gzip keeps it short enough to paste into a work item (a 72-probe report
 * is ~5 KB); base64 in lines of 76 keeps it plain text.
 *
 * Verify never compresses again (zlib builds may compress the same text differently): the document
 * is rebuilt around the copy it carries, and the copy's own sha256, written beside it, catches an edit
 * that would decompress to the same text (a gzip header byte).
 */
export interface EmbeddedCopy {
  /**
   * base64 of the gzip of the sealed report's JSON, in lines of 76 characters. Its keys keep the
   * model's order (not the canonical order): the rebuilt document must be the one that was written.
   */
  readonly lines: readonly string[];
  /** sha256 of the lines joined by line feeds. */
  readonly sha256: string;
}

const LINE_LENGTH = 76;
/** Only the ticket formats (and verify) compress: JSON and YAML reports never load zlib. */
const zlib = lazyBuiltin<typeof import('node:zlib')>('node:zlib');

export function embeddedCopyOf(report: SealedReport): EmbeddedCopy {
  return copyOfLines(copyLines(zlib().gzipSync(JSON.stringify(report), { level: 9 }).toString('base64')));
}

/** base64 cut into the lines of a copy (a format that keeps it on one line cuts it back here). */
export function copyLines(base64: string): string[] {
  const lines: string[] = [];
  for (let start = 0; start < base64.length; start += LINE_LENGTH)
    lines.push(base64.slice(start, start + LINE_LENGTH));
  return lines;
}

/** The copy as found in a document (its lines, as written). */
export function copyOfLines(lines: readonly string[]): EmbeddedCopy {
  return { lines, sha256: sha256Hex(lines.join('\n')) };
}

/** The JSON value inside a copy; throws a one-line Error when it is not base64 gzip of JSON. */
export function readEmbeddedCopy(copy: EmbeddedCopy): unknown {
  const base64 = copy.lines.join('');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) throw new Error('it is not base64');
  let json: string;
  try {
    json = zlib().gunzipSync(Buffer.from(base64, 'base64')).toString('utf8');
  } catch (error) {
    throw new Error(`it does not decompress (${(error as NodeJS.ErrnoException).code ?? 'gzip error'})`);
  }
  try {
    return JSON.parse(json) as unknown;
  } catch {
    throw new Error('it is not JSON');
  }
}

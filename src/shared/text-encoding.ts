import { isUtf8 } from 'node:buffer';

/**
 * Text in the Unicode encodings Windows tools write: UTF-8 with or without a BOM, UTF-16LE with a BOM
 * (PowerShell 5.1 `>` and Out-File) or without one when NULs give it away, UTF-16BE with a BOM.
 * Null when the bytes are none of these (a code-page file): the caller decides what that means.
 */
export function decodeUnicodeText(bytes: Uint8Array): string | null {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) return buffer.toString('utf8', 3);
  if (buffer[0] === 0xff && buffer[1] === 0xfe) return buffer.toString('utf16le', 2);
  if (buffer[0] === 0xfe && buffer[1] === 0xff) return decodeUtf16Be(buffer.subarray(2));
  if (looksLikeUtf16Le(buffer)) return buffer.toString('utf16le');
  // isUtf8 (simdutf) and toString, not a fatal TextDecoder: one of those per file read was ~1 ms of
  // every command's start-up (the rule folder alone is 60-odd files).
  return isUtf8(buffer) ? buffer.toString('utf8') : null;
}

function decodeUtf16Be(bytes: Buffer): string {
  // swap16 throws on odd lengths: a truncated file loses its last byte instead.
  return Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2)))
    .swap16()
    .toString('utf16le');
}

/** ASCII text in UTF-16LE has a NUL in most odd bytes; UTF-8 and code pages never do. */
function looksLikeUtf16Le(buffer: Buffer): boolean {
  const sample = Math.min(buffer.length - (buffer.length % 2), 512);
  if (sample < 2) return false;
  let oddNuls = 0;
  for (let index = 1; index < sample; index += 2) if (buffer[index] === 0) oddNuls += 1;
  return oddNuls >= sample / 4;
}

import { decodeUnicodeText } from '../shared/text-encoding.js';
import { InputError } from '../shared/errors.js';
import { countLinesWithinBudget } from './evidence-budget.js';

/**
 * What the Windows command-output parsers share: decoding the bytes Windows writes, splitting into
 * lines that remember where they came from, and reading localized `label : value` lines.
 */

/**
 * Code page 850, bytes 0x80-0xFF: the OEM console code page of Western European Windows (French,
 * German, Spanish …). netsh and netstat redirected with cmd's `>` write in it, so "Réservée" arrives
 * as bytes that are not UTF-8.
 */
const CP850_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜø£Ø×ƒáíóúñÑªº¿®¬½¼¡«»░▒▓│┤ÁÂÀ©╣║╗╝¢¥┐└┴┬├─┼ãÃ╚╔╩╦╠═╬¤ðÐÊËÈıÍÎÏ┘┌█▄¦Ì▀' +
  'ÓßÔÒõÕµþÞÚÛÙýÝ¯´\u00ad±‗¾¶§÷¸°¨·¹³²■\u00a0';

/**
 * Decodes an evidence file whatever wrote it: a Unicode encoding (decodeUnicodeText), else the OEM
 * code page 850 (cmd `>`) or, when the high bytes look like accented letters of Windows-1252 (a file
 * re-saved as "ANSI"), Latin-1.
 */
export function decodeWindowsText(bytes: Uint8Array): string {
  return (
    decodeUnicodeText(bytes) ??
    decodeSingleByte(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
  );
}

function decodeSingleByte(buffer: Buffer): string {
  // French/German letters sit at 0x80-0xA5 in CP850 and at 0xC0-0xFF in Windows-1252.
  let oem = 0;
  let ansi = 0;
  for (const byte of buffer) {
    if (byte >= 0x80 && byte <= 0xa5) oem += 1;
    else if (byte >= 0xc0) ansi += 1;
  }
  if (ansi > oem) return buffer.toString('latin1');
  // One UTF-16 code unit per byte, decoded in one go: appending characters one by one to a string
  // took seconds on a 16 MiB file.
  const units = new Uint16Array(buffer.length);
  for (let index = 0; index < buffer.length; index += 1) {
    const byte = buffer[index] as number;
    units[index] = byte < 0x80 ? byte : CP850_HIGH.charCodeAt(byte - 0x80);
  }
  return Buffer.from(units.buffer, units.byteOffset, units.byteLength).toString('utf16le');
}

/** One line of an output, with the position it came from. */
export interface TextLine {
  /** 1-based line number in the file. */
  readonly number: number;
  /** The line without its quoting prefix and trailing spaces. */
  readonly text: string;
  /** Characters removed before `text` (quote markers), so a column is `offset + index + 1`. */
  readonly offset: number;
}

/**
 * The lines of an output, one at a time: a large file's lines are never all held at once (they died
 * young instead of filling the old generation). Tolerates a BOM left in the text, NULs of UTF-16
 * read as UTF-8, CRLF, and the quoting of outputs pasted in issues, scripts and logs: `> ` markdown
 * quotes, `# ` comments, markdown backticks around the block, and a log prefix that every line
 * carries (Packer's `    vhd: `). A text of more than MAX_OUTPUT_LINES lines is refused (an
 * InputError in `file`) before its first line. Written with index arithmetic rather than regular
 * expressions per line: it runs for each of the hundreds of thousands of lines of a large file.
 */
export function* outputLines(text: string, file: string): Generator<TextLine, void, undefined> {
  let cleaned = text.replace(/^(?:\uFEFF|\uFFFD{1,2})/, '');
  if (cleaned.includes('\u0000')) cleaned = cleaned.replaceAll('\u0000', '');
  countLinesWithinBudget(cleaned, file);
  const logPrefix = commonLogPrefix(rawLines(cleaned));
  let number = 0;
  for (const raw of rawLines(cleaned)) {
    number += 1;
    yield lineOf(raw, number, logPrefix);
  }
}

/** All the lines of an output at once (outputLines), for parsers that look ahead. */
export function splitOutputLines(text: string, file: string): TextLine[] {
  return [...outputLines(text, file)];
}

/** The lines of a text as written, split at CRLF, CR or LF. */
function* rawLines(text: string): Generator<string, void, undefined> {
  let start = 0;
  if (!text.includes('\r')) {
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      yield text.slice(start, end);
      start = end + 1;
    }
  } else {
    const breaks = /\r\n|\r|\n/g;
    for (let found = breaks.exec(text); found !== null; found = breaks.exec(text)) {
      yield text.slice(start, found.index);
      start = breaks.lastIndex;
    }
  }
  yield text.slice(start);
}

const TAB = 0x09;
const SPACE = 0x20;
const isBlank = (code: number) => code === SPACE || code === TAB;

function lineOf(raw: string, number: number, logPrefix: string | null): TextLine {
  let start = 0;
  if (logPrefix !== null && raw.startsWith(logPrefix)) {
    // The log prefix with the one space after it: the output's own indentation stays.
    start = logPrefix.length + (isBlank(raw.charCodeAt(logPrefix.length)) ? 1 : 0);
  }
  const offset = start + quoteMarksLength(raw, start);
  let body = (offset === 0 ? raw : raw.slice(offset)).trimEnd();
  if (body.endsWith('`')) body = body.replace(/`{1,3}$/, '').trimEnd();
  return { number, text: body, offset };
}

/**
 * The width of the quote marks at `start` (after blanks): `> ` (repeated), a `# ` comment mark
 * (`#` followed by blanks or ending the line), or one to three backticks; 0 when there are none
 * (the blanks then stay: they are the output's own indentation).
 */
function quoteMarksLength(raw: string, start: number): number {
  let at = start;
  while (isBlank(raw.charCodeAt(at))) at += 1;
  const mark = raw.charAt(at);
  if (mark === '>') {
    while (raw.charAt(at) === '>') at += isBlank(raw.charCodeAt(at + 1)) ? 2 : 1;
    return at - start;
  }
  if (mark === '#') {
    at += 1;
    if (at === raw.length) return at - start;
    if (!isBlank(raw.charCodeAt(at))) return 0;
    while (isBlank(raw.charCodeAt(at))) at += 1;
    return at - start;
  }
  if (mark === '`') {
    const end = at + 3;
    while (at < end && raw.charAt(at) === '`') at += 1;
    return at - start;
  }
  return 0;
}

const LOG_PREFIX = /^[ \t]*[A-Za-z][\w.-]*:(?=[ \t]|$)/;

/**
 * The `name:` that starts every non-blank line of a log (`    vhd: Start Port : 1024`), or null.
 * Two lines at least, and the same name on each, so that a lone `Start Port: 1` stays a label.
 * One pass that stops at the first line without it (the answer for almost every file).
 */
function commonLogPrefix(raws: Iterable<string>): string | null {
  let prefix: string | null = null;
  let carriers = 0;
  for (const raw of raws) {
    if (
      prefix !== null &&
      raw.startsWith(prefix) &&
      (raw.length === prefix.length || isBlank(raw.charCodeAt(prefix.length)))
    ) {
      carriers += 1;
      continue;
    }
    if (!/\S/.test(raw)) continue;
    if (prefix !== null) return null;
    prefix = LOG_PREFIX.exec(raw)?.[0] ?? null;
    if (prefix === null) return null;
    carriers = 1;
  }
  return carriers >= 2 ? prefix : null;
}

/** A `label : value` line. `valueCol` is 1-based, for error positions. */
export interface LabelledValue {
  readonly label: string;
  readonly value: string;
  readonly labelCol: number;
  readonly valueCol: number;
}

/**
 * Reads `label : value`. The separator is the first colon with a space on either side or ending the
 * line: `IP:port : 0.0.0.0:443` keeps the colon of `IP:port`, `Certificate Store Name: MY` and the
 * French `Désactiver HTTP2 :Not Set` still split. A doubled separator (French
 * `Nom du magasin de certificats :       : MY`) is one separator.
 */
export function splitLabelValue(line: TextLine): LabelledValue | null {
  const text = line.text;
  const start = text.length - text.trimStart().length;
  let colon = -1;
  for (let index = text.indexOf(':', start + 1); index >= 0; index = text.indexOf(':', index + 1)) {
    const before = text.charAt(index - 1);
    const after = text.charAt(index + 1);
    if (/\s/.test(before) || after === '' || /\s/.test(after)) {
      colon = index;
      break;
    }
  }
  if (colon < 0) return null;
  const label = text.slice(start, colon).trim();
  const rest = text.slice(colon + 1);
  const skipped = (/^(?:\s*:(?=\s|$))*\s*/.exec(rest)?.[0] ?? '').length;
  return {
    label,
    value: rest.slice(skipped).trim(),
    labelCol: line.offset + start + 1,
    valueCol: line.offset + colon + 1 + skipped + 1,
  };
}

/**
 * Folding (Unicode normalisation and five replacements) is the costly part of a `label : value`
 * line, and an output repeats a few dozen labels: each is folded once.
 */
const FOLDED_LABELS = new Map<string, string>();

/** Lower case, no accents, plain apostrophes and single spaces: how labels are compared. */
export function foldLabel(label: string): string {
  const cached = FOLDED_LABELS.get(label);
  if (cached !== undefined) return cached;
  const folded = label
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2018\u2019\u00b4`]/g, "'")
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[\s:]+$/, '')
    .trim();
  if (FOLDED_LABELS.size < 1024) FOLDED_LABELS.set(label, folded);
  return folded;
}

/** `-----` under a header, as netsh prints it (one or more runs of dashes). */
export function isDashesLine(text: string): boolean {
  return /^\s*-{3,}(?:\s+-{3,})*\s*$/.test(text);
}

/** The InputError of one problem: `file:line:col: message`. */
export function inputErrorAt(file: string, line: number, col: number, message: string): InputError {
  return new InputError([{ position: { file, line, col }, message }]);
}

/** A TCP/UDP port number, or null when `text` is not one. */
export function parsePortNumber(text: string): number | null {
  if (!/^\d{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port <= 65535 ? port : null;
}

/** An IPv4 or IPv6 address as Windows prints it; IPv6 may carry a zone id (`fe80::1%12`). */
export function isIpAddress(text: string): boolean {
  const [address = '', zone] = text.split('%', 2);
  if (zone !== undefined) return ipVersion(address) === 6 && /^\w+$/.test(zone);
  return ipVersion(address) !== 0;
}

/**
 * What node:net's isIP says of `text`: 4 (dotted quad, no leading zeros), 6 (IPv6, `::` at most once,
 * an IPv4 tail allowed, optional `%zone`) or 0. Written out because isIP's regular expressions take
 * milliseconds to compile on first use, which every command that reads evidence paid.
 */
export function ipVersion(text: string): 0 | 4 | 6 {
  if (isIpv4(text)) return 4;
  return isIpv6(text) ? 6 : 0;
}

function isIpv4(text: string): boolean {
  let index = 0;
  for (let octet = 0; octet < 4; octet += 1) {
    if (octet > 0) {
      if (text.charCodeAt(index) !== 0x2e) return false; // '.'
      index += 1;
    }
    const start = index;
    let value = 0;
    for (; index < text.length && index - start < 4; index += 1) {
      const digit = text.charCodeAt(index) - 0x30;
      if (digit < 0 || digit > 9) break;
      value = value * 10 + digit;
    }
    const digits = index - start;
    if (digits === 0 || digits > 3 || value > 255 || (digits > 1 && text.charCodeAt(start) === 0x30)) {
      return false;
    }
  }
  return index === text.length;
}

const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;
const ZONE_ID = /^[0-9a-zA-Z.:-]+$/;

function isIpv6(text: string): boolean {
  const percent = text.indexOf('%');
  if (percent >= 0 && !ZONE_ID.test(text.slice(percent + 1))) return false;
  const address = percent >= 0 ? text.slice(0, percent) : text;
  const gap = address.indexOf('::');
  if (gap < 0) return groupCount(address, true) === 8;
  if (address.includes('::', gap + 1)) return false;
  const before = gap === 0 ? 0 : groupCount(address.slice(0, gap), false);
  const after = gap + 2 === address.length ? 0 : groupCount(address.slice(gap + 2), true);
  // `::` stands for at least one group.
  return before >= 0 && after >= 0 && before + after <= 7;
}

/** The 16-bit groups `part` spells (an IPv4 tail counts two), or -1 when it is not groups. */
function groupCount(part: string, ipv4Tail: boolean): number {
  const groups = part.split(':');
  let count = 0;
  for (let index = 0; index < groups.length; index += 1) {
    const group = groups[index] as string;
    if (ipv4Tail && index === groups.length - 1 && group.includes('.')) {
      if (!isIpv4(group)) return -1;
      count += 2;
    } else if (HEX_GROUP.test(group)) count += 1;
    else return -1;
  }
  return count;
}

import { decodeUnicodeText } from '../shared/text-encoding.js';
import { InputError } from '../shared/errors.js';

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
  let text = '';
  for (const byte of buffer) text += byte < 0x80 ? String.fromCharCode(byte) : CP850_HIGH.charAt(byte - 0x80);
  return text;
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
 * Splits an output into lines. Tolerates a BOM left in the text, NULs of UTF-16 read as UTF-8, CRLF,
 * and the quoting of outputs pasted in issues, scripts and logs: `> ` markdown quotes, `# ` comments,
 * markdown backticks around the block, and a log prefix that every line carries (Packer's
 * `    vhd: `).
 */
export function splitOutputLines(text: string): TextLine[] {
  const cleaned = text.replace(/^(?:\uFEFF|\uFFFD{1,2})/, '').replaceAll('\u0000', '');
  const raws = cleaned.split(/\r\n|\r|\n/);
  const logPrefix = commonLogPrefix(raws);
  return raws.map((raw, index) => {
    // The log prefix with the one space after it: the output's own indentation stays.
    const prefix = logPrefix !== null && raw.startsWith(logPrefix) ? logPrefix.length : 0;
    const start = prefix + (prefix > 0 && /^[ \t]/.test(raw.slice(prefix)) ? 1 : 0);
    const marks = /^[ \t]*(?:>[ \t]?)+|^[ \t]*#(?:[ \t]+|$)|^[ \t]*`{1,3}/.exec(raw.slice(start));
    const offset = start + (marks === null ? 0 : marks[0].length);
    return {
      number: index + 1,
      text: raw
        .slice(offset)
        .trimEnd()
        .replace(/`{1,3}$/, '')
        .trimEnd(),
      offset,
    };
  });
}

/**
 * The `name:` that starts every non-blank line of a log (`    vhd: Start Port : 1024`), or null.
 * Two lines at least, and the same name on each, so that a lone `Start Port: 1` stays a label.
 */
function commonLogPrefix(raws: readonly string[]): string | null {
  const shape = /^[ \t]*[A-Za-z][\w.-]*:(?=[ \t]|$)/;
  const lines = raws.filter((raw) => raw.trim() !== '');
  const first = lines[0] === undefined ? undefined : shape.exec(lines[0])?.[0];
  if (first === undefined || lines.length < 2) return null;
  return lines.every((raw) => shape.exec(raw)?.[0] === first) ? first : null;
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

/** Lower case, no accents, plain apostrophes and single spaces: how labels are compared. */
export function foldLabel(label: string): string {
  return label
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2018\u2019\u00b4`]/g, "'")
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[\s:]+$/, '')
    .trim();
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

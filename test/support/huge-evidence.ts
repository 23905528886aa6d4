import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EVIDENCE_FILES } from '../../src/evidence/types.js';

/**
 * Huge evidence files for the budget tests and the parser benchmark, grown from the rows of a sample
 * bundle rather than made up: the sample's header, then its rows repeated (each repetition on other
 * addresses, so that rows stay distinct as on a server with many addresses), then its footer. The
 * rows are the sample's own, so a parser meets the shapes it meets in real files, at any size.
 */

export type EvidenceKind = keyof typeof EVIDENCE_FILES;

const SAMPLE_DIR = fileURLToPath(new URL('../../samples/evidence/', import.meta.url));

function sample(bundle: string, kind: EvidenceKind): string {
  return readFileSync(`${SAMPLE_DIR}${bundle}/${EVIDENCE_FILES[kind]}`, 'utf8').replace(/\r\n/g, '\n');
}

/** The n-th distinct address of 10.0.0.0/8 (n below 2^24). */
function address(n: number): string {
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

/** The n-th distinct port above 1024. */
function port(n: number): number {
  return 1025 + (n % 64000);
}

interface Shape {
  readonly head: string;
  /** Repetition `n` of the rows, ending with a line break. */
  readonly rows: (n: number) => string;
  readonly tail: string;
}

/** The sample's text split at its first and last row (lines `isRow` accepts). */
function splitAtRows(text: string, isRow: (line: string) => boolean): [string, string, string] {
  const lines = text.split('\n');
  const first = lines.findIndex(isRow);
  const last = lines.length - 1 - [...lines].reverse().findIndex(isRow);
  if (first < 0) throw new Error('sample without rows');
  return [
    lines.slice(0, first).join('\n') + (first > 0 ? '\n' : ''),
    `${lines.slice(first, last + 1).join('\n')}\n`,
    lines.slice(last + 1).join('\n'),
  ];
}

function shapeOf(kind: EvidenceKind): Shape {
  switch (kind) {
    case 'netstat': {
      // Every listener and connection of the sample, again on each of the server's addresses.
      const [head, rows, tail] = splitAtRows(sample('third-party-on-dws', kind), (line) =>
        /^\s+(TCP|UDP)\s/.test(line),
      );
      return { head, rows: (n) => rows.replace(/\b(?:10\.20\.30\.40|0\.0\.0\.0)(?=:)/g, address(n)), tail };
    }
    case 'listenersJson': {
      const { tcp, udp } = JSON.parse(sample('french-netsh', kind)) as Record<
        string,
        { LocalAddress: string }[]
      >;
      const rowsOf = (rows: readonly object[], n: number) =>
        rows.map((row) => JSON.stringify({ ...row, LocalAddress: address(n) }, null, 2)).join(',\n');
      // Two arrays: TCP rows in the first half of the file, UDP rows in the second.
      const tcpRows = tcp ?? [];
      const udpRows = udp ?? [];
      return {
        head: '{\n"tcp": [\n',
        rows: (n) => `${n > 0 ? ',\n' : ''}${rowsOf(tcpRows, n)}`,
        tail: `\n],\n"udp": [\n${rowsOf(udpRows, 0)}\n]\n}\n`,
      };
    }
    case 'sslcert': {
      const text = sample('hyperv-excluded', kind);
      const start = text.indexOf('    IP:port');
      const block = `${text.slice(start).trimEnd()}\n\n`;
      return {
        head: text.slice(0, start),
        rows: (n) =>
          block
            .replace(/(IP:port\s+: )[^\n]+/g, (_all, label: string) => `${label}${address(n)}:${port(n)}`)
            .replace(/(Certificate Hash\s+: )[0-9a-f]{8}/g, `$1${n.toString(16).padStart(8, '0')}`),
        tail: '',
      };
    }
    case 'urlacl': {
      const text = sample('third-party-on-dws', kind);
      const start = text.indexOf('    Reserved URL');
      const blocks = `${text.slice(start).trimEnd()}\n\n`;
      return {
        head: text.slice(0, start),
        rows: (n) => blocks.replace(/(Reserved URL\s+: \w+:\/\/[^/]+\/)/g, `$1app${n}/`),
        tail: '',
      };
    }
    case 'iplisten': {
      const text = sample('mp-dp-default-web-site', kind).trimEnd();
      return { head: `${text}\n\n`, rows: (n) => `    ${address(n)}\n`, tail: '\n' };
    }
    case 'excludedTcp':
    case 'excludedUdp': {
      const protocol = kind === 'excludedTcp' ? 'tcp' : 'udp';
      const [head, rows, tail] = splitAtRows(sample('hyperv-excluded', kind), (line) => /^\s+\d/.test(line));
      // One long table: the sample's rows shifted (Hyper-V reserves ranges anywhere above 1024).
      return {
        head,
        rows: (n) =>
          rows.replace(
            /^(\s+)(\d+)(\s+)(\d+)/gm,
            (_all, indent: string, a: string, gap: string, b: string) => {
              const shift = (n * 97) % 1000;
              const from = Math.min(Number(a) + shift, 65535);
              const to = Math.min(Number(b) + shift, 65535);
              return `${indent}${String(from).padStart(a.length)}${gap}${String(to).padStart(b.length)}`;
            },
          ),
        tail: tail.replace(/\btcp\b/g, protocol),
      };
    }
    case 'dynamicTcp': {
      // A scripted session that ran the command over and over: the last output is the state.
      const text = `${sample('mp-dp-default-web-site', kind).trimEnd()}\n\n`;
      return { head: '', rows: () => text, tail: '' };
    }
    case 'applicationHost': {
      const text = sample('third-party-on-dws', kind);
      const sitesStart = text.indexOf('<site ');
      const sitesEnd = text.indexOf('<siteDefaults>');
      const siteBlock = text.slice(
        text.lastIndexOf('\n', sitesStart) + 1,
        text.lastIndexOf('\n', sitesEnd) + 1,
      );
      return {
        head: text.slice(0, text.lastIndexOf('\n', sitesStart) + 1),
        // A hosting server: the sample's sites again and again, each with its own name, id and address.
        rows: (n) =>
          siteBlock
            .replace(/<site name="([^"]*)" id="(\d+)"/g, (_all, name: string, id: string) => {
              return `<site name="${name} ${n}" id="${n * 10 + Number(id)}"`;
            })
            .replace(/bindingInformation="\*:/g, `bindingInformation="${address(n)}:`),
        tail: text.slice(text.lastIndexOf('\n', sitesEnd) + 1),
      };
    }
  }
}

/**
 * An evidence file of `kind` of about `bytes` characters (never more): the sample's rows repeated.
 * `bytes` above the input limit makes a file the reader must refuse.
 */
export function hugeEvidence(kind: EvidenceKind, bytes: number): string {
  const { head, rows, tail } = shapeOf(kind);
  const parts = [head];
  let length = head.length + tail.length;
  for (let n = 0; ; n += 1) {
    const next = rows(n);
    if (length + next.length > bytes) break;
    parts.push(next);
    length += next.length;
  }
  parts.push(tail);
  return parts.join('');
}

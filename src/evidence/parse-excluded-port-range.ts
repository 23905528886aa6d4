import { inputErrorAt, isDashesLine, parsePortNumber, outputLines, type TextLine } from './text-lines.js';
import { RowBudget } from './evidence-budget.js';
import type { ExcludedPortRange } from './types.js';

/**
 * `netsh int ipv4 show excludedportrange protocol=tcp|udp`: a title naming the protocol
 * (`Protocol tcp Port Exclusion Ranges`, French `Protocole tcp Plages d’exclusion de ports`), column
 * headers, dashes, then rows of two right-aligned numbers with a `*` on administered rows, and a
 * footer (`* - Administered port exclusions.`). Rows are recognised by their shape, so the language
 * of the title, headers and footer does not matter.
 *
 * Outputs pasted from logs keep their rows: a Go test log (`testutil_test.go:88:` then indented
 * lines) or a session with the same command run twice.
 */

export interface ExcludedPortRangeTable {
  /** From the title line; null when the title was not part of the text. */
  readonly protocol: 'tcp' | 'udp' | null;
  readonly ranges: readonly ExcludedPortRange[];
  readonly source: { readonly file: string; readonly line: number };
}

/** A row: start, end, optional `*`. Anything else starting with a digit in a table is an error. */
const ROW = /^(\s*)(\d+)(\s+)(\d+)(?:\s+(\*))?$/;

/** Every table of the text, in order (a file may hold several: tcp and udp, before and after). */
export function parseExcludedPortRangeTables(text: string, file: string): ExcludedPortRangeTable[] {
  const tables: { protocol: 'tcp' | 'udp' | null; ranges: ExcludedPortRange[]; line: number }[] = [];
  /** The protocol named by the latest title line: it belongs to the next table. */
  let pendingProtocol: { protocol: 'tcp' | 'udp'; line: number } | null = null;
  let current: (typeof tables)[number] | null = null;
  /** Rows are read until the footer or other text; what follows (prompts, other output) is not. */
  let open = false;
  const budget = new RowBudget(file, 'excluded port ranges');
  for (const line of outputLines(stripGoTestPrefix(text), file)) {
    const body = line.text.trim();
    if (body === '') continue;
    if (isDashesLine(line.text)) {
      current = {
        protocol: pendingProtocol?.protocol ?? null,
        ranges: [],
        line: pendingProtocol?.line ?? line.number,
      };
      tables.push(current);
      pendingProtocol = null;
      open = true;
      continue;
    }
    const protocol = /\b(tcp|udp)\b/i.exec(body)?.[1];
    if (protocol !== undefined && !/^\d/.test(body)) {
      pendingProtocol = { protocol: protocol.toLowerCase() === 'udp' ? 'udp' : 'tcp', line: line.number };
      current = null;
      open = false;
      continue;
    }
    // Outside a table only a line that starts with a port number is a row (a headerless copy of
    // the rows); `4a0e69…` (a container id printed between two runs) is other output.
    const isRow = open ? /^\d/.test(body) : /^\d+(?:\s|$)/.test(body);
    if (!isRow) {
      open = false; // column headers, footer, prompts, `Ok.`
      continue;
    }
    if (!open || current === null) {
      // Rows without a header (a copy of the rows alone) still form a table.
      current = { protocol: null, ranges: [], line: line.number };
      tables.push(current);
      open = true;
    }
    budget.take(line.number, line.offset + 1);
    current.ranges.push(parseRow(line, file));
  }
  return tables.map(({ protocol, ranges, line }) => ({ protocol, ranges, source: { file, line } }));
}

/**
 * The exclusions of one protocol's output (`excludedportrange-tcp.txt` or `-udp.txt`). A session that
 * ran the command more than once gives its last table, the state it left; tables of both protocols in
 * one file are an error, as the file name decides which protocol the ranges are for.
 */
export function parseExcludedPortRange(text: string, file: string): ExcludedPortRange[] {
  const tables = parseExcludedPortRangeTables(text, file);
  const last = tables.at(-1);
  if (last === undefined) {
    throw inputErrorAt(
      file,
      1,
      1,
      "expected the output of 'netsh int ipv4 show excludedportrange protocol=tcp' (a title, column headers, dashes, then 'start end' rows)",
    );
  }
  const other = tables.find(
    (table) => table.protocol !== null && last.protocol !== null && table.protocol !== last.protocol,
  );
  if (other !== undefined) {
    throw inputErrorAt(
      file,
      last.source.line,
      1,
      `holds exclusions of both ${other.protocol} (line ${other.source.line}) and ${last.protocol}: expected one protocol per file (excludedportrange-tcp.txt, excludedportrange-udp.txt)`,
    );
  }
  return [...last.ranges];
}

function parseRow(line: TextLine, file: string): ExcludedPortRange {
  const match = ROW.exec(line.text);
  if (match === null) {
    const col = line.offset + line.text.search(/\S/) + 1;
    throw inputErrorAt(
      file,
      line.number,
      col,
      `expected a row 'start-port end-port' with an optional '*', found '${line.text.trim()}'`,
    );
  }
  const [, indent = '', startText = '', gap = '', endText = '', star] = match;
  const startCol = line.offset + indent.length + 1;
  const endCol = startCol + startText.length + gap.length;
  const start = parsePortNumber(startText);
  const end = parsePortNumber(endText);
  if (start === null)
    throw inputErrorAt(file, line.number, startCol, `expected a port (0-65535), found '${startText}'`);
  if (end === null)
    throw inputErrorAt(file, line.number, endCol, `expected a port (0-65535), found '${endText}'`);
  if (end < start) {
    throw inputErrorAt(
      file,
      line.number,
      endCol,
      `expected an end port at or above the start port ${start}, found ${end}`,
    );
  }
  return { start, end, administered: star === '*', source: { file, line: line.number } };
}

/**
 * `    testutil_test.go:88: ` (Go's t.Log) prefixes the first line of a logged value; its other lines
 * are only indented. Replaced by spaces of the same length so that columns stay right.
 */
function stripGoTestPrefix(text: string): string {
  return text.replace(
    /^([ \t]*)(\S+\.go:\d+: ?)/gm,
    (_all, indent: string, prefix: string) => indent + ' '.repeat(prefix.length),
  );
}

import {
  inputErrorAt,
  isDashesLine,
  isIpAddress,
  parsePortNumber,
  outputLines,
  splitOutputLines,
  type TextLine,
} from './text-lines.js';
import { countLinesWithinBudget, RowBudget } from './evidence-budget.js';
import type { Listener } from './types.js';

/**
 * Listening sockets from text tables: `netstat -ano` here, and the table of Get-NetTCPConnection
 * (parseGetNetTcpConnectionTable, at the end of the file).
 *
 * `netstat -ano` (and `-anob`): rows `Proto  Local Address  Foreign Address  State  PID`. Only
 * listening sockets are kept: TCP rows in the listening state and every UDP row (UDP has no state;
 * its foreign address is `*:*`). With `-b`, the `[process.exe]` line under a row names its process.
 *
 * netstat localizes its header and, in some languages, the state (French keeps `LISTENING`, German
 * prints `ABHÖREN`, Spanish `ESCUCHANDO`, Italian `IN ASCOLTO`). A state this parser does not know is
 * taken as listening when the foreign port is 0, which only a listening socket shows.
 *
 * Addresses are split at the last colon, so `0.0.0.0:8042` is port 8042 and never matches 80 (the
 * `findstr :80` pitfall), and `[fe80::1%4]:139` keeps its zone id.
 */

const LISTENING_STATES = new Set([
  'listening',
  'listen',
  "a l'ecoute",
  'ecoute',
  'abhoren',
  'escuchando',
  'escutando',
  'ouvindo',
  'in ascolto',
  'nasluchiwanie',
]);

/** The other TCP states as netstat prints them in English: never listeners. */
const OTHER_STATES = new Set([
  'established',
  'syn_sent',
  'syn_received',
  'fin_wait_1',
  'fin_wait_2',
  'time_wait',
  'close_wait',
  'closing',
  'last_ack',
  'closed',
  'bound',
  'delete_tcb',
]);

/** Parses `netstat -ano` / `-anob` output into its listening sockets (duplicates removed). */
export function parseNetstat(text: string, file: string): Listener[] {
  const listeners: ListenerInProgress[] = [];
  /** The latest TCP/UDP row, listening or not: a `[process.exe]` line names its process. */
  let lastRow: ListenerInProgress | null | undefined;
  let sawHeader = false;
  const budget = new RowBudget(file, 'listening sockets');
  const seen = new Set<string>();
  /** A copy cut inside its last row ends without a line break there. */
  const cutLine = /[\r\n]$/.test(text) ? null : countLinesWithinBudget(text, file);
  for (const line of outputLines(text, file)) {
    const body = line.text.trimStart();
    const first = body.charAt(0);
    if ((first === 'P' || first === 'p') && /^proto\s/i.test(body)) {
      sawHeader = true;
      continue;
    }
    if (first === '[') {
      // -b: the executable's line follows its row (after an optional service-name line).
      const bracketed = /^\[(.+)\]$/.exec(body.trimEnd());
      if (bracketed !== null) {
        if (lastRow != null && lastRow.processName === null) lastRow.processName = bracketed[1] ?? null;
        continue;
      }
    }
    if (!/^(?:tcp|udp)(?:v6)?\s/i.test(body)) continue; // titles, prompts, -b service names, messages
    const row = parseRow(line, file, line.number === cutLine);
    lastRow = row;
    if (row === null) continue;
    // A pasted session may list the same socket twice (the pitfall file does): keep the first.
    const key = `${row.protocol} ${row.address} ${row.port} ${row.pid ?? ''}`;
    if (seen.has(key)) {
      lastRow = undefined;
      continue;
    }
    seen.add(key);
    budget.take(line.number, line.offset + 1);
    listeners.push(row);
  }
  if (!sawHeader && listeners.length === 0) {
    throw inputErrorAt(
      file,
      1,
      1,
      "expected the output of 'netstat -ano' (a 'Proto  Local Address  Foreign Address  State  PID' header, then TCP/UDP rows)",
    );
  }
  return listeners;
}

/** A listener whose `[process.exe]` line (netstat -b) may still follow. */
type ListenerInProgress = { -readonly [K in keyof Listener]: Listener[K] };

interface Token {
  readonly text: string;
  readonly col: number;
}

/** The words of a line with their columns: one scan, no regular expression (it runs per row). */
function tokensOf(line: TextLine): Token[] {
  const tokens: Token[] = [];
  const text = line.text;
  let start = -1;
  for (let index = 0; index <= text.length; index += 1) {
    const space = index === text.length || isSpace(text.charCodeAt(index));
    if (space && start >= 0) {
      tokens.push({ text: text.slice(start, index), col: line.offset + start + 1 });
      start = -1;
    } else if (!space && start < 0) start = index;
  }
  return tokens;
}

/** What `\s` matches: ASCII blanks and line ends, and Unicode spaces (the no-break space …). */
function isSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  return code >= 0x80 && /\s/.test(String.fromCharCode(code));
}

/** A row's listening socket, or null for a TCP row in another state. */
/** `cut`: the last row of a file that ends without a line break (a copy that may stop mid-row). */
function parseRow(line: TextLine, file: string, cut: boolean): ListenerInProgress | null {
  const tokens = tokensOf(line);
  const [proto, local, foreign, ...rest] = tokens;
  if (cut && (foreign === undefined || (!/^udp/i.test(proto?.text ?? '') && rest.length === 0))) {
    // What was cut off may be a listener on the new port: the file cannot prove there is none.
    throw inputErrorAt(
      file,
      line.number,
      tokens.at(-1)?.col ?? 1,
      'the file ends inside this row (a cut copy): give the whole netstat -ano output',
    );
  }
  if (proto === undefined || local === undefined || foreign === undefined) {
    throw inputErrorAt(
      file,
      line.number,
      (local ?? proto)?.col ?? 1,
      'expected a row with a local and a foreign address (Proto  Local Address  Foreign Address  State  PID)',
    );
  }
  const protocol = proto.text.charAt(0) === 'U' || proto.text.charAt(0) === 'u' ? 'udp' : 'tcp';
  const last = rest.at(-1);
  const pid = last !== undefined && /^\d+$/.test(last.text) ? Number(last.text) : null;
  const stateTokens = pid === null ? rest.length : rest.length - 1;
  const state =
    stateTokens === 1
      ? (rest[0] as Token).text
      : rest
          .slice(0, stateTokens)
          .map((token) => token.text)
          .join(' ');
  if (protocol === 'tcp' && !isListening(state, foreign.text)) return null;
  if (protocol === 'udp' && state !== '') {
    throw inputErrorAt(
      file,
      line.number,
      rest[0]?.col ?? 1,
      `expected the PID after a UDP row's '*:*', found '${state}'`,
    );
  }
  const endpoint = splitEndpoint(local.text);
  if (endpoint === null) {
    throw inputErrorAt(
      file,
      line.number,
      local.col,
      `expected a local address such as 0.0.0.0:80 or [::]:443 (run netstat with -n), found '${local.text}'`,
    );
  }
  return {
    protocol,
    address: endpoint.address,
    port: endpoint.port,
    pid,
    processName: null,
    source: { file, line: line.number },
  };
}

function isListening(state: string, foreign: string): boolean {
  const known = stateIsListening(state);
  return known ?? /:0$/.test(foreign);
}

/** Folding a state name is the costly part of a row, and a file holds a handful of them: cached. */
const STATE_CACHE = new Map<string, boolean | null>();
function stateIsListening(state: string): boolean | null {
  const cached = STATE_CACHE.get(state);
  if (cached !== undefined) return cached;
  const folded = state
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2019`]/g, "'")
    .toLowerCase();
  const known = LISTENING_STATES.has(folded) ? true : OTHER_STATES.has(folded) ? false : null;
  if (STATE_CACHE.size < 256) STATE_CACHE.set(state, known);
  return known;
}

/** `0.0.0.0:80` → 0.0.0.0 / 80; `[::]:80` → :: / 80; `[fe80::1%4]:139` keeps the zone id. */
function splitEndpoint(text: string): { address: string; port: number } | null {
  const colon = text.lastIndexOf(':');
  if (colon <= 0) return null;
  const port = parsePortNumber(text.slice(colon + 1));
  let address = text.slice(0, colon);
  if (address.startsWith('[') && address.endsWith(']')) address = address.slice(1, -1);
  return port === null || !isIpAddress(address) ? null : { address, port };
}

/**
 * The table `Get-NetTCPConnection` prints (`LocalAddress LocalPort RemoteAddress RemotePort State
 * AppliedSetting OwningProcess`): only `Listen` rows are kept. Columns are told apart by the dashes
 * under the header: a cell belongs to the column its text overlaps, so left-aligned text and
 * right-aligned numbers both land right, and the often-empty AppliedSetting column is no problem.
 */
export function parseGetNetTcpConnectionTable(text: string, file: string): Listener[] {
  const lines = splitOutputLines(text, file);
  const listeners: Listener[] = [];
  let tables = 0;
  for (let index = 0; index < lines.length; index += 1) {
    const header = lines[index];
    const dashes = lines[index + 1];
    if (
      header === undefined ||
      dashes === undefined ||
      !/\bLocalAddress\b/.test(header.text) ||
      !isDashesLine(dashes.text)
    )
      continue;
    tables += 1;
    const columns = [...dashes.text.matchAll(/-+/g)].map((match) => {
      const start = match.index ?? 0;
      return {
        name: header.text.slice(start, start + match[0].length).trim(),
        start,
        end: start + match[0].length,
      };
    });
    let rowIndex = index + 2;
    for (; rowIndex < lines.length; rowIndex += 1) {
      const line = lines[rowIndex];
      if (line === undefined || line.text.trim() === '') break; // a table ends at a blank line
      const listener = readTableRow(line, columns, file);
      if (listener !== null) listeners.push(listener);
    }
    index = rowIndex;
  }
  if (tables === 0) {
    throw inputErrorAt(
      file,
      1,
      1,
      "expected a Get-NetTCPConnection table (a 'LocalAddress  LocalPort …' header and dashes)",
    );
  }
  return listeners;
}

function readTableRow(
  line: TextLine,
  columns: readonly { name: string; start: number; end: number }[],
  file: string,
): Listener | null {
  const cells = new Map<string, { text: string; col: number }>();
  for (const match of line.text.matchAll(/\S+/g)) {
    const start = match.index ?? 0;
    const end = start + match[0].length;
    const distance = (column: { start: number; end: number }) =>
      Math.max(column.start - end, start - column.end, -1);
    // Never empty: the dashes line has at least one run of dashes.
    const column = columns.reduce((best, next) => (distance(next) < distance(best) ? next : best));
    const cell = cells.get(column.name);
    cells.set(column.name, {
      text: cell === undefined ? match[0] : `${cell.text} ${match[0]}`,
      col: cell?.col ?? line.offset + start + 1,
    });
  }
  const state = cells.get('State')?.text;
  if (state !== undefined && !/^listen$/i.test(state)) return null;
  const address = cells.get('LocalAddress');
  const port = cells.get('LocalPort');
  const pid = cells.get('OwningProcess');
  const errorAt = (cell: { col: number } | undefined, expected: string) =>
    inputErrorAt(file, line.number, cell?.col ?? line.offset + 1, expected);
  if (address === undefined || !isIpAddress(address.text)) {
    throw errorAt(
      address,
      `expected an IP address in the LocalAddress column, found '${address?.text ?? ''}'`,
    );
  }
  if (port === undefined || parsePortNumber(port.text) === null) {
    throw errorAt(port, `expected a port in the LocalPort column, found '${port?.text ?? ''}'`);
  }
  if (pid !== undefined && !/^\d+$/.test(pid.text)) {
    throw errorAt(pid, `expected a process id in the OwningProcess column, found '${pid.text}'`);
  }
  return {
    protocol: 'tcp',
    address: address.text,
    port: Number(port.text),
    pid: pid === undefined ? null : Number(pid.text),
    processName: cells.get('ProcessName')?.text ?? null,
    source: { file, line: line.number },
  };
}

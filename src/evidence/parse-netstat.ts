import {
  inputErrorAt,
  isDashesLine,
  isIpAddress,
  parsePortNumber,
  splitOutputLines,
  type TextLine,
} from './text-lines.js';
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

interface RowInProgress {
  readonly listener: Omit<Listener, 'processName'>;
  processName: string | null;
}

/** Parses `netstat -ano` / `-anob` output into its listening sockets (duplicates removed). */
export function parseNetstat(text: string, file: string): Listener[] {
  const rows: RowInProgress[] = [];
  let lastRow: RowInProgress | null = null;
  let sawHeader = false;
  const lines = splitOutputLines(text);
  /** A copy cut inside its last row ends without a line break there. */
  const cutLine = /[\r\n]$/.test(text) ? null : (lines.at(-1)?.number ?? null);
  for (const line of lines) {
    const body = line.text.trim();
    if (/^proto\s/i.test(body)) {
      sawHeader = true;
      continue;
    }
    const bracketed = /^\[(.+)\]$/.exec(body);
    if (bracketed !== null) {
      // -b: the executable's line follows its row (after an optional service-name line).
      if (lastRow !== null && lastRow.processName === null) lastRow.processName = bracketed[1] ?? null;
      continue;
    }
    if (!/^(?:tcp|udp)(?:v6)?\s/i.test(body)) continue; // titles, prompts, -b service names, messages
    const row = parseRow(line, file, line.number === cutLine);
    lastRow = row;
    if (row !== null) rows.push(row);
  }
  if (!sawHeader && rows.length === 0) {
    throw inputErrorAt(
      file,
      1,
      1,
      "expected the output of 'netstat -ano' (a 'Proto  Local Address  Foreign Address  State  PID' header, then TCP/UDP rows)",
    );
  }
  return dedupe(rows.map((row) => ({ ...row.listener, processName: row.processName })));
}

/** A row's listening socket, or null for a TCP row in another state. */
/** `cut`: the last row of a file that ends without a line break (a copy that may stop mid-row). */
function parseRow(line: TextLine, file: string, cut: boolean): RowInProgress | null {
  const tokens = [...line.text.matchAll(/\S+/g)].map((match) => ({
    text: match[0],
    col: line.offset + (match.index ?? 0) + 1,
  }));
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
  const protocol = proto.text.toLowerCase().startsWith('udp') ? 'udp' : 'tcp';
  const last = rest.at(-1);
  const pid = last !== undefined && /^\d+$/.test(last.text) ? Number(last.text) : null;
  const state = (pid === null ? rest : rest.slice(0, -1)).map((token) => token.text).join(' ');
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
  return { listener: { protocol, ...endpoint, pid, source: { file, line: line.number } }, processName: null };
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

/** A pasted session may list the same socket twice (the pitfall file does): keep the first. */
function dedupe(listeners: Listener[]): Listener[] {
  const seen = new Set<string>();
  return listeners.filter((listener) => {
    const key = `${listener.protocol} ${listener.address} ${listener.port} ${listener.pid ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The table `Get-NetTCPConnection` prints (`LocalAddress LocalPort RemoteAddress RemotePort State
 * AppliedSetting OwningProcess`): only `Listen` rows are kept. Columns are told apart by the dashes
 * under the header: a cell belongs to the column its text overlaps, so left-aligned text and
 * right-aligned numbers both land right, and the often-empty AppliedSetting column is no problem.
 */
export function parseGetNetTcpConnectionTable(text: string, file: string): Listener[] {
  const lines = splitOutputLines(text);
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

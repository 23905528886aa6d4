import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_EVIDENCE_ROWS, MAX_OUTPUT_LINES } from '../../src/evidence/evidence-budget.js';
import { parseApplicationHostConfig } from '../../src/evidence/parse-application-host-config.js';
import { parseDynamicPort } from '../../src/evidence/parse-dynamic-port.js';
import { parseExcludedPortRange } from '../../src/evidence/parse-excluded-port-range.js';
import { parseListenersJson } from '../../src/evidence/parse-listeners-json.js';
import { parseNetshIplisten } from '../../src/evidence/parse-netsh-iplisten.js';
import { parseNetshSslcert } from '../../src/evidence/parse-netsh-sslcert.js';
import { parseNetshUrlacl } from '../../src/evidence/parse-netsh-urlacl.js';
import { parseNetstat } from '../../src/evidence/parse-netstat.js';
import { InputError, type InputProblem } from '../../src/shared/errors.js';
import { MAX_INPUT_BYTES, readInputBytes } from '../../src/shared/read-input-file.js';
import { hugeEvidence } from '../support/huge-evidence.js';

/**
 * The budgets of the evidence parsers (src/evidence/evidence-budget.ts): past the lines, rows or
 * bytes a file may hold, the parser refuses it with an InputError at the line where the budget runs
 * out; within them, a large file is read whole. Timing is bench/evidence-budgets.ts's job.
 */

function problemOf(run: () => unknown): InputProblem {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError && error.problems[0] !== undefined) return error.problems[0];
    throw error;
  }
  throw new Error('expected an InputError');
}

const TEXT_PARSERS = {
  parseNetstat,
  parseNetshSslcert,
  parseNetshUrlacl,
  parseNetshIplisten,
  parseExcludedPortRange,
  parseDynamicPort,
} as const;

describe('line budget', () => {
  const blank = '\n'.repeat(MAX_OUTPUT_LINES);
  it.each(Object.entries(TEXT_PARSERS))('%s refuses more lines at the first line past it', (_, parse) => {
    const problem = problemOf(() => parse(blank, 'big.txt'));
    expect(problem.position).toEqual({ file: 'big.txt', line: MAX_OUTPUT_LINES + 1, col: 1 });
    expect(problem.message).toMatch(`more than ${MAX_OUTPUT_LINES} lines`);
  });

  it('counts CR and CRLF line ends as one line each, as the lines are split', () => {
    const problem = problemOf(() =>
      parseNetstat('\r\n'.repeat(MAX_OUTPUT_LINES / 2) + '\r'.repeat(MAX_OUTPUT_LINES / 2), 'cr.txt'),
    );
    expect(problem.position.line).toBe(MAX_OUTPUT_LINES + 1);
    // One line fewer is read (and found to hold no netstat output).
    const within = problemOf(() => parseNetstat('\r\n'.repeat(MAX_OUTPUT_LINES - 1), 'cr.txt'));
    expect(within.message).toMatch(/expected the output of 'netstat -ano'/);
  });
});

describe('row budget: the first row past it is refused where it stands', () => {
  const over = MAX_EVIDENCE_ROWS + 1;
  const address = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
  const rows = (row: (n: number) => string) => Array.from({ length: over }, (_, n) => row(n)).join('\n');

  it('netstat: listening sockets', () => {
    const text = `  Proto  Local Address  Foreign Address  State  PID\n${rows((n) => `  TCP    ${address(n)}:80  0.0.0.0:0  LISTENING  4`)}\n`;
    const problem = problemOf(() => parseNetstat(text, 'netstat.txt'));
    expect(problem.position).toEqual({ file: 'netstat.txt', line: over + 1, col: 1 });
    expect(problem.message).toMatch(`more than ${MAX_EVIDENCE_ROWS} listening sockets in one file`);
  });

  it('netstat: repeated rows count once (a pasted session is not refused for its copies)', () => {
    const row = '  TCP    0.0.0.0:80  0.0.0.0:0  LISTENING  4';
    const text = `  Proto  Local Address  Foreign Address  State  PID\n${Array.from({ length: over }, () => row).join('\n')}\n`;
    expect(parseNetstat(text, 'netstat.txt')).toHaveLength(1);
  });

  it('listeners.json: rows, across the tcp and udp arrays', () => {
    const row = (n: number) => `{"LocalAddress":"${address(n)}","LocalPort":80}`;
    const tcp = Array.from({ length: MAX_EVIDENCE_ROWS - 1 }, (_, n) => row(n)).join(',\n');
    const text = `{"tcp":[\n${tcp}\n],\n"udp":[\n${row(1)},\n${row(2)}\n]}\n`;
    const problem = problemOf(() => parseListenersJson(text, 'listeners.json'));
    // Row 200,001 is the second UDP row, on the line after the first.
    expect(problem.position).toEqual({ file: 'listeners.json', line: MAX_EVIDENCE_ROWS + 4, col: 1 });
    expect(problem.message).toMatch(`more than ${MAX_EVIDENCE_ROWS} listeners in one file`);
  });

  it('iplisten: addresses', () => {
    const text = `IP addresses present in the IP listen list:\n-----\n${rows((n) => `    ${address(n)}`)}\n`;
    const problem = problemOf(() => parseNetshIplisten(text, 'iplisten.txt'));
    expect(problem.position).toEqual({ file: 'iplisten.txt', line: over + 2, col: 5 });
  });

  it('excludedportrange: ranges', () => {
    const text = `Start Port    End Port\n----------    --------\n${rows((n) => `  ${1025 + (n % 60000)}  ${1025 + (n % 60000)}`)}\n`;
    const problem = problemOf(() => parseExcludedPortRange(text, 'excludedportrange-tcp.txt'));
    expect(problem.position.line).toBe(over + 2);
    expect(problem.message).toMatch('excluded port ranges');
  });

  it('sslcert: bindings (central certificate store entries are one line each)', () => {
    const text = `SSL Certificate bindings:\n-----\n${rows((n) => `    Central Certificate Store : ${1 + (n % 65535)}`)}\n`;
    const problem = problemOf(() => parseNetshSslcert(text, 'sslcert.txt'));
    expect(problem.position).toEqual({ file: 'sslcert.txt', line: over + 2, col: 1 });
  });

  it('urlacl: reservations', () => {
    const text = `URL Reservations:\n-----\n${rows((n) => `    Reserved URL : http://+:80/${n}/`)}\n`;
    const problem = problemOf(() => parseNetshUrlacl(text, 'urlacl.txt'));
    expect(problem.position.line).toBe(over + 2);
    expect(problem.message).toMatch('URL reservations');
  });

  it('dynamicport: ranges of a session that ran the command over and over', () => {
    const text = rows(() => 'Start Port : 49152\nNumber of Ports : 16384');
    const problem = problemOf(() => parseDynamicPort(text, 'dynamicport-tcp.txt'));
    expect(problem.position.line).toBe(2 * over - 1);
  });

  it('applicationHost.config: XML elements, counted before the XML is read', () => {
    // Three elements open the document on line 1; element 200,001 is the site on the last line.
    const sites = Array.from({ length: MAX_EVIDENCE_ROWS - 3 }, (_, n) => `<site name="s${n}" />`).join('\n');
    const text = `<configuration><system.applicationHost><sites>\n${sites}\n  <site name="last" />\n</sites></system.applicationHost></configuration>\n`;
    const problem = problemOf(() => parseApplicationHostConfig(text, 'applicationHost.config'));
    expect(problem.position).toEqual({ file: 'applicationHost.config', line: MAX_EVIDENCE_ROWS - 1, col: 3 });
    expect(problem.message).toMatch(`more than ${MAX_EVIDENCE_ROWS} XML elements in one file`);
    // Comments, closing tags and declarations are not elements: one fewer site is read.
    const within = text.replace('  <site name="last" />', '<!-- <site name="last" /> -->');
    expect(parseApplicationHostConfig(within, 'applicationHost.config').sites).toHaveLength(
      MAX_EVIDENCE_ROWS - 3,
    );
  });
});

describe('large files within the budgets are read whole', () => {
  it('netstat: every listener of a 2 MiB output, the last one at its own line', () => {
    const text = hugeEvidence('netstat', 2 * 1024 * 1024);
    const listeners = parseNetstat(text, 'netstat.txt');
    // The generated rows are plain: a listener is a LISTENING TCP row or a UDP row, counted once
    // per protocol, address, port and PID (the sample's loopback and IPv6 rows repeat unchanged).
    const row = /^\s+(TCP|UDP)\s+(\S+)\s+\S+\s+(?:LISTENING\s+)?(\d+)$/;
    const isListening = (line: string) => row.test(line) && !/ESTABLISHED|TIME_WAIT|CLOSE_WAIT/.test(line);
    const keys = new Set(
      text
        .split('\n')
        .filter(isListening)
        .map((line) => row.exec(line)?.slice(1).join(' ')),
    );
    expect(keys.size).toBeGreaterThan(5_000);
    expect(listeners).toHaveLength(keys.size);
    const lines = text.split('\n');
    for (const listener of [listeners[0], listeners.at(-1)]) {
      const local = listener?.address.includes(':') ? `[${listener.address}]` : listener?.address;
      expect(lines[(listener?.source.line ?? 0) - 1]).toContain(`${local}:${listener?.port} `);
    }
  });

  it('listeners.json: every row of a 2 MiB file, each at its own line', () => {
    const text = hugeEvidence('listenersJson', 2 * 1024 * 1024);
    const listeners = parseListenersJson(text, 'listeners.json');
    expect(listeners).toHaveLength(text.match(/"LocalAddress"/g)?.length ?? 0);
    const lines = text.split('\n');
    for (const listener of [listeners[0], listeners.at(-1)]) {
      expect(lines[(listener?.source.line ?? 0) - 1]).toMatch(/^\s*\{$/);
    }
  });

  it('sslcert: every binding of a 2 MiB output', () => {
    const text = hugeEvidence('sslcert', 2 * 1024 * 1024);
    expect(parseNetshSslcert(text, 'sslcert.txt')).toHaveLength(text.match(/IP:port\s+:/g)?.length ?? 0);
  });
});

describe('size budget', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'portflight-budget-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a file over the limit is refused at the line and column where the limit falls', async () => {
    const line = `${'x'.repeat(99)}\n`;
    const path = join(dir, 'netstat.txt');
    await writeFile(path, line.repeat(MAX_INPUT_BYTES / line.length + 1));
    await expect(readInputBytes(path)).rejects.toThrow(InputError);
    const error = (await readInputBytes(path).catch((caught: unknown) => caught)) as InputError;
    const fullLines = Math.floor(MAX_INPUT_BYTES / line.length);
    expect(error.problems[0]?.position).toEqual({
      file: path,
      line: fullLines + 1,
      col: MAX_INPUT_BYTES - fullLines * line.length + 1,
    });
    expect(error.problems[0]?.message).toMatch(/over the 16777216-byte limit for input files/);
  });

  it('a UTF-16 file is positioned in characters, not bytes', async () => {
    const path = join(dir, 'utf16.txt');
    await writeFile(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('ab\ncd', 'utf16le')]));
    const error = (await readInputBytes(path, 8).catch((caught: unknown) => caught)) as InputError;
    // Bytes 2-7 within the limit are "ab\n": the limit falls at line 2, column 1.
    expect(error.problems[0]?.position).toMatchObject({ line: 2, col: 1 });
  });
});

import { describe, expect, it } from 'vitest';
import {
  parseExcludedPortRange,
  parseExcludedPortRangeTables,
} from '../../src/evidence/parse-excluded-port-range.js';
import type { ExcludedPortRange } from '../../src/evidence/types.js';
import {
  crlf,
  describeCorpus,
  positionOf,
  problemOf,
  readCorpus,
  readSample,
} from './text-parser-fixtures.js';

/** `start-end` with a `*` when administered. */
const describeRange = (range: ExcludedPortRange) =>
  `${range.start}-${range.end}${range.administered ? '*' : ''}`;
const covers = (ranges: readonly ExcludedPortRange[], port: number) =>
  ranges.some((range) => range.start <= port && port <= range.end);

describeCorpus('excludedportrange: real outputs (shared corpus)', () => {
  it('reads both tables wrapped in Go test log lines (GitHub Windows runner)', () => {
    const { text, file } = readCorpus('netsh-int-ipv4-show-excludedportrange-01');
    const [tcp, udp, ...rest] = parseExcludedPortRangeTables(text, file);
    expect(rest).toEqual([]);
    expect(tcp?.protocol).toBe('tcp');
    expect(tcp?.ranges.map(describeRange)).toEqual([
      '80-80',
      '5986-5986',
      '47001-47001',
      '51417-51516',
      '51517-51616',
    ]);
    expect(tcp?.ranges.map((range) => range.source.line)).toEqual([7, 8, 9, 10, 11]);
    expect(udp?.protocol).toBe('udp');
    expect(udp?.ranges.map(describeRange)).toEqual(['56030-56129', '56130-56229']);
    // 80, 5986, 47001 and 51417-51616 as one span: the facts the runner shows.
    expect([80, 5986, 47001, 51417, 51500, 51616].every((port) => covers(tcp?.ranges ?? [], port))).toBe(
      true,
    );
    expect(covers(tcp?.ranges ?? [], 51617)).toBe(false);
  });

  it('refuses the tcp+udp file as one protocol list, at the second title', () => {
    const { text, file } = readCorpus('netsh-int-ipv4-show-excludedportrange-01');
    const problem = problemOf(() => parseExcludedPortRange(text, file));
    expect(positionOf(problem)).toBe(`${file}:15:1`);
    expect(problem.message).toMatch(/both tcp \(line 4\) and udp: expected one protocol per file/);
  });

  it('gives the last table of a before/after session, with the administered mark', () => {
    const { text, file } = readCorpus('netsh-int-ipv4-show-excludedportrange-02');
    expect(parseExcludedPortRangeTables(text, file)).toHaveLength(2);
    const ranges = parseExcludedPortRange(text, file);
    expect(ranges.map(describeRange)).toEqual(['80-80', '5986-5986', '47001-47001', '55679-55679*']);
    expect(ranges.at(-1)?.source).toEqual({ file, line: 25 });
  });
});

describe('excludedportrange: sample bundles', () => {
  it('hyperv-excluded: WinNAT ranges cover 8080 and 8443; administered rows are marked', () => {
    const { text, file } = readSample('hyperv-excluded', 'excludedportrange-tcp.txt');
    const ranges = parseExcludedPortRange(text, file);
    expect(
      ranges.filter((range) => covers([range], 8080) || covers([range], 8443)).map(describeRange),
    ).toEqual(['8039-8138', '8405-8504']);
    expect(ranges.filter((range) => range.administered).map(describeRange)).toEqual([
      '10000-10000*',
      '50000-50059*',
    ]);
  });

  it.each(['mp-dp-default-web-site', 'smsweb', 'third-party-on-dws', 'https-no-cert', 'french-netsh'])(
    '%s: nothing excluded on 80, 443, 8080 or 8443',
    (bundle) => {
      for (const name of ['excludedportrange-tcp.txt', 'excludedportrange-udp.txt']) {
        const { text, file } = readSample(bundle, name);
        const ranges = parseExcludedPortRange(text, file);
        expect(ranges.length, file).toBeGreaterThan(0);
        expect(
          [80, 443, 8080, 8443].some((port) => covers(ranges, port)),
          file,
        ).toBe(false);
      }
    },
  );

  it('french-netsh: French title, headers and footer (CP850 file)', () => {
    const { text, file } = readSample('french-netsh', 'excludedportrange-tcp.txt');
    expect(parseExcludedPortRangeTables(text, file).map((table) => table.protocol)).toEqual(['tcp']);
    expect(parseExcludedPortRange(text, file).map(describeRange)).toEqual(['5357-5357', '50000-50059*']);
  });
});

describe('excludedportrange: shapes and errors', () => {
  it('reads the French title as captured (typographic apostrophe) and rows pasted without a header', () => {
    const french = crlf(
      'Protocole tcp Plages d’exclusion de ports',
      '',
      'Port de début    Port de fin',
      '-------------    -----------',
      '        80          80',
      '     50000       50059     *',
      '',
      '* - Exclusions de ports administrés.',
    );
    expect(parseExcludedPortRangeTables(french, 'x.txt').map((table) => table.protocol)).toEqual(['tcp']);
    expect(parseExcludedPortRange(french, 'x.txt').map(describeRange)).toEqual(['80-80', '50000-50059*']);
    expect(parseExcludedPortRange('  8039  8138\n8405 8504 *\n', 'x.txt').map(describeRange)).toEqual([
      '8039-8138',
      '8405-8504*',
    ]);
  });

  const table = (...rows: string[]) =>
    crlf(
      'Protocol tcp Port Exclusion Ranges',
      '',
      'Start Port    End Port',
      '----------    --------',
      ...rows,
    );

  it('reads rows across blank lines, and not the output that follows the footer', () => {
    const text = crlf(
      table('        80          80', '', '      8080        8080'),
      '',
      '* - Administered port exclusions.',
      'PS C:\\> docker run --rm -d -p 8443:443 nginx',
      '4a0e695f8ab568d2181a8b0c8a838747e9862df48d3036a63cc75527127f4469',
      '1f00 is not a row either',
    );
    expect(parseExcludedPortRange(text, 'x.txt').map(describeRange)).toEqual(['80-80', '8080-8080']);
    // A line that starts with a port number outside a table is still read as a row.
    expect(positionOf(problemOf(() => parseExcludedPortRange(`${text}\r\n8443 x`, 'x.txt')))).toBe(
      'x.txt:13:1',
    );
  });

  it('a row that is not two numbers', () => {
    const problem = problemOf(() =>
      parseExcludedPortRange(table('        80          80', '      8080      eighty'), 'x.txt'),
    );
    expect(problem.text).toBe(
      "x.txt:6:7: expected a row 'start-port end-port' with an optional '*', found '8080      eighty'",
    );
  });

  it('an end below the start, and a port above 65535, at the number', () => {
    expect(
      positionOf(problemOf(() => parseExcludedPortRange(table('      8138        8039'), 'x.txt'))),
    ).toBe('x.txt:5:19');
    expect(
      positionOf(problemOf(() => parseExcludedPortRange(table('     70000       70001'), 'x.txt'))),
    ).toBe('x.txt:5:6');
  });

  it('a file without any table', () => {
    expect(
      positionOf(
        problemOf(() => parseExcludedPortRange('The requested operation requires elevation.', 'x.txt')),
      ),
    ).toBe('x.txt:1:1');
  });
});

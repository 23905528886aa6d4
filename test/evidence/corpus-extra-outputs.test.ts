import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDynamicPort } from '../../src/evidence/parse-dynamic-port.js';
import {
  parseExcludedPortRange,
  parseExcludedPortRangeTables,
} from '../../src/evidence/parse-excluded-port-range.js';
import { parseNetshSslcert } from '../../src/evidence/parse-netsh-sslcert.js';
import { parseNetshUrlacl } from '../../src/evidence/parse-netsh-urlacl.js';
import { parseNetstat } from '../../src/evidence/parse-netstat.js';
import type { ExcludedPortRange, Listener } from '../../src/evidence/types.js';
import {
  CORPUS_EXTRA_DIR,
  describeCorpus,
  positionOf,
  problemOf,
  readCorpusExtra,
} from './text-parser-fixtures.js';

/**
 * corpus-extra/outputs (netsh and netstat as real people pasted them: other languages, cut copies,
 * prompts, log prefixes) and the montejo bundle's exclusions, read in place. Each file parses to what
 * it shows, or is refused at the line that cannot be read.
 */

const range = (r: ExcludedPortRange) => `${r.start}-${r.end}${r.administered ? '*' : ''}@${r.source.line}`;
const socket = (l: Listener) =>
  `${l.address}:${l.port} pid=${l.pid ?? '-'} ${l.processName ?? '?'}@${l.source.line}`;

/** Every file of corpus-extra/outputs, with the parser its kind goes to. */
const PARSER_OF: readonly [RegExp, (text: string, file: string) => unknown][] = [
  [/^netsh-http-show-sslcert-/, parseNetshSslcert],
  [/^netsh-http-show-urlacl-/, parseNetshUrlacl],
  [/^netsh-int-ipv4-show-excludedportrange-/, parseExcludedPortRange],
  [/^netsh-int-ipv4-show-dynamicport-/, parseDynamicPort],
  [/^netstat-/, parseNetstat],
];

/** The files a parser refuses, with the position it gives. */
const REFUSED: Readonly<Record<string, string>> = {
  'netstat-ano-01-webgoat-issue979-ko-PARTIAL.txt': '19:10',
};

describeCorpus('corpus-extra outputs', () => {
  const outputs = `${CORPUS_EXTRA_DIR}outputs`;

  it('parses every file, or refuses it with a one-line positioned error', () => {
    const names = readdirSync(outputs);
    expect(names.length).toBeGreaterThanOrEqual(15);
    for (const name of names) {
      const parse = PARSER_OF.find(([pattern]) => pattern.test(name))?.[1];
      expect(parse, `no parser for ${name}`).toBeDefined();
      const { text, file } = readCorpusExtra(`outputs/${name}`);
      const refusedAt = REFUSED[name];
      if (refusedAt === undefined) {
        expect(() => parse?.(text, file), name).not.toThrow();
        continue;
      }
      const problem = problemOf(() => parse?.(text, file));
      expect(positionOf(problem)).toBe(`${name}:${refusedAt}`);
      expect(problem.message).not.toMatch(/\n/);
    }
  });

  describe('excludedportrange', () => {
    it('reads the Spanish table without its title, inside markdown backticks (WSL #5306)', () => {
      const { text, file } = readCorpusExtra('outputs/netsh-int-ipv4-show-excludedportrange-03');
      const ranges = parseExcludedPortRange(text, file);
      expect(ranges).toHaveLength(24);
      expect(ranges.slice(0, 2).map(range)).toEqual(['1025-1124@3', '1125-1224@4']);
      expect(ranges.slice(-2).map(range)).toEqual(['26113-26212@25', '50000-50059@26']);
      expect(ranges.some((r) => r.administered)).toBe(false);
    });

    it('reads the montejo bundle’s Spanish table: the same Hyper-V/WinNAT ranges, none administered', () => {
      const { text, file } = readCorpusExtra('bundles/montejo/excludedportrange-tcp.txt');
      const ranges = parseExcludedPortRange(text, file);
      expect(ranges).toHaveLength(24);
      expect(ranges.map(range)).toContain('8884-8884@11');
      expect(ranges.at(-1) && range(ranges.at(-1)!)).toBe('50000-50059@26');
      expect(ranges.some((r) => r.administered)).toBe(false);
    });

    it('reads 80 and 443 as non-administered exclusions (docker for-win #1707)', () => {
      const { text, file } = readCorpusExtra('outputs/netsh-int-ipv4-show-excludedportrange-11');
      expect(parseExcludedPortRange(text, file).map(range)).toEqual([
        '80-80@6',
        '443-443@7',
        '5357-5357@8',
        '37408-37408@9',
        '58699-58708@10',
        '58709-58718@11',
        '61157-61166@12',
        '61167-61176@13',
      ]);
    });

    it('reads a pasted session: two tables, the docker output between them is not a row', () => {
      const { text, file } = readCorpusExtra('outputs/netsh-int-ipv4-show-excludedportrange-12');
      const tables = parseExcludedPortRangeTables(text, file);
      expect(tables.map((t) => [t.protocol, t.source.line, t.ranges.length])).toEqual([
        ['tcp', 3, 8],
        ['tcp', 22, 9],
      ]);
      const last = parseExcludedPortRange(text, file);
      expect(last.map(range)).toContain('8080-8080@29');
      expect(last.every((r) => !r.administered)).toBe(true);
    });

    it('reads the administered 50000-50059 among Hyper-V ranges (the Stack Overflow question)', () => {
      const { text, file } = readCorpusExtra('outputs/netsh-int-ipv4-show-excludedportrange-13');
      expect(parseExcludedPortRange(text, file).map(range)).toEqual([
        '5357-5357@7',
        '9800-9800@8',
        '9801-9801@9',
        '49671-49770@10',
        '49871-49970@11',
        '50000-50059*@12',
        '61117-61216@13',
        '61220-61319@14',
        '61902-62001@15',
      ]);
    });

    it('reads the answer’s table up to the line holding one space before the footer', () => {
      const { text, file } = readCorpusExtra('outputs/netsh-int-ipv4-show-excludedportrange-14');
      const ranges = parseExcludedPortRange(text, file);
      expect(ranges).toHaveLength(15);
      expect(ranges[0] && range(ranges[0])).toBe('1031-1130@7');
      expect(ranges.filter((r) => r.administered).map(range)).toEqual(['50000-50099*@20']);
      expect(ranges.at(-1) && range(ranges.at(-1)!)).toBe('55500-55599@21');
    });
  });

  describe('dynamicport', () => {
    it('reads a Packer log whose lines all start with "vhd: "', () => {
      const { text, file } = readCorpusExtra('outputs/netsh-int-ipv4-show-dynamicport-11');
      expect(parseDynamicPort(text, file)).toEqual({ start: 1024, count: 64511, source: { file, line: 5 } });
    });

    it('reads the default range printed without indentation', () => {
      const { text, file } = readCorpusExtra('outputs/netsh-int-ipv4-show-dynamicport-12');
      expect(parseDynamicPort(text, file)).toEqual({ start: 49152, count: 16384, source: { file, line: 3 } });
    });
  });

  describe('netstat', () => {
    it('reads netstat -ab: no PID, the owner on the next lines or unknown', () => {
      const { text, file } = readCorpusExtra('outputs/netstat-ab-13');
      const listeners = parseNetstat(text, file);
      expect(listeners.map(socket)).toEqual([
        '0.0.0.0:135 pid=- svchost.exe@4',
        '0.0.0.0:445 pid=- ?@7',
        '0.0.0.0:2179 pid=- vmms.exe@9',
        '0.0.0.0:2343 pid=- lkads.exe@11',
        '0.0.0.0:3580 pid=- nisvcloc.exe@13',
        '0.0.0.0:3582 pid=- SystemWebServer.exe@15',
        '0.0.0.0:5040 pid=- svchost.exe@17',
        '0.0.0.0:5357 pid=- ?@20',
        '0.0.0.0:6000 pid=- vcxsrv.exe@22',
        '0.0.0.0:7680 pid=- ?@24',
        '0.0.0.0:8080 pid=- ApplicationWebServer.exe@26',
        '0.0.0.0:49664 pid=- lsass.exe@28',
      ]);
    });

    it('reads Russian netstat -a -n: listeners only, no PID', () => {
      const { text, file } = readCorpusExtra('outputs/netstat-an-14');
      const listeners = parseNetstat(text, file);
      expect(listeners).toHaveLength(17);
      expect(listeners.every((l) => l.pid === null && l.processName === null)).toBe(true);
      expect(listeners.slice(0, 3).map(socket)).toEqual([
        '0.0.0.0:135 pid=- ?@6',
        '0.0.0.0:445 pid=- ?@7',
        '0.0.0.0:623 pid=- ?@8',
      ]);
      expect(listeners.at(-1) && socket(listeners.at(-1)!)).toBe('10.212.102.81:139 pid=- ?@22');
    });

    it('refuses the Korean copy cut inside its last row, and reads its complete lines', () => {
      const { text, file } = readCorpusExtra('outputs/netstat-ano-01');
      expect(problemOf(() => parseNetstat(text, file)).message).toMatch(/ends inside this row/);
      const whole = parseNetstat(text.slice(0, text.lastIndexOf('\n') + 1), file);
      expect(whole).toHaveLength(17);
      expect(whole.filter((l) => l.pid === 4).map(socket)).toEqual([
        '0.0.0.0:80 pid=4 ?@2',
        '0.0.0.0:445 pid=4 ?@4',
        '0.0.0.0:9001 pid=4 ?@8',
      ]);
      expect(whole.map(socket)).toContain('0.0.0.0:808 pid=4356 ?@5');
      expect(whole.at(-1) && socket(whole.at(-1)!)).toBe('127.0.0.1:8380 pid=9200 ?@18');
    });

    it('reads "find Listening" lines without a header (MeshCentral #506)', () => {
      const { text, file } = readCorpusExtra('outputs/netstat-ano-11');
      expect(parseNetstat(text, file).map(socket)).toEqual([
        '0.0.0.0:80 pid=64200 ?@1',
        '0.0.0.0:443 pid=64200 ?@2',
        '192.168.0.5:8080 pid=18364 ?@3',
      ]);
    });

    it('reads http.sys (PID 4) on 80 of a GitHub runner', () => {
      const { text, file } = readCorpusExtra('outputs/netstat-ano-12');
      expect(parseNetstat(text, file).map(socket)).toEqual(['0.0.0.0:80 pid=4 ?@3']);
    });
  });

  describe('http.sys', () => {
    it('reads sslcert blocks whose hashes were replaced by "redacted", the second one cut', () => {
      const { text, file } = readCorpusExtra('outputs/netsh-http-show-sslcert-14');
      expect(parseNetshSslcert(text, file)).toEqual([
        {
          kind: 'ipport',
          endpoint: '0.0.0.0',
          port: 443,
          certificateHash: null,
          applicationId: '{4dc3e181-e14b-4a21-b022-59fc669b0914}',
          certificateStoreName: 'WebHosting',
          source: { file, line: 4 },
        },
        {
          kind: 'ipport',
          endpoint: '[::]',
          port: 443,
          certificateHash: null,
          applicationId: '{ba195980-cd49-458b-9e23-c84ee0adcd75}',
          certificateStoreName: 'MY',
          source: { file, line: 18 },
        },
      ]);
    });

    it('reads the default Temporary_Listen_Addresses reservation pasted without its dashes', () => {
      const { text, file } = readCorpusExtra('outputs/netsh-http-show-urlacl-14');
      expect(parseNetshUrlacl(text, file)).toEqual([
        {
          url: 'http://+:80/Temporary_Listen_Addresses/',
          scheme: 'http',
          host: '+',
          port: 80,
          path: '/Temporary_Listen_Addresses/',
          users: [{ user: '\\Everyone', listen: true, delegate: false }],
          sddl: 'D:(A;;GX;;;WD)',
          source: { file, line: 2 },
        },
      ]);
    });

    it('reads Italian labels (URL prenotati, Utente, In ascolto, Delega)', () => {
      const { text, file } = readCorpusExtra('outputs/netsh-http-show-urlacl-15');
      expect(parseNetshUrlacl(text, file)).toEqual([
        {
          url: 'http://*:8096/',
          scheme: 'http',
          host: '*',
          port: 8096,
          path: '/',
          users: [{ user: '\\Everyone', listen: true, delegate: false }],
          sddl: 'D:(A;;GX;;;WD)',
          source: { file, line: 1 },
        },
      ]);
    });
  });
});

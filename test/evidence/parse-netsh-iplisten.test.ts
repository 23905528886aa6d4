import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseNetshIplisten } from '../../src/evidence/parse-netsh-iplisten.js';
import {
  crlf,
  describeCorpus,
  positionOf,
  problemOf,
  readCorpus,
  readSample,
  SAMPLES_DIR,
} from './text-parser-fixtures.js';

describeCorpus('netsh http show iplisten: real outputs (shared corpus)', () => {
  it('returns the last listing of a pasted session: the list the session left', () => {
    const { text, file } = readCorpus('netsh-http-show-iplisten-01');
    expect(parseNetshIplisten(text, file)).toEqual([
      { address: '192.168.33.2', source: { file, line: 23 } },
      { address: '127.0.0.0', source: { file, line: 24 } },
      { address: '127.0.0.1', source: { file, line: 25 } },
    ]);
  });
});

describe('netsh http show iplisten: sample bundles', () => {
  it.each(readdirSync(SAMPLES_DIR))('%s: an empty list (http.sys listens on every address)', (bundle) => {
    const { text, file } = readSample(bundle, 'iplisten.txt');
    expect(parseNetshIplisten(text, file)).toEqual([]);
  });
});

describe('netsh http show iplisten: shapes and errors', () => {
  const header = [
    'IP addresses present in the IP listen list:',
    '-------------------------------------------',
    '',
  ];

  it('reads IPv4, IPv6 and zone ids, with or without indentation', () => {
    const text = crlf(...header, '    10.20.30.40', '::', '    fe80::1%12', '', '');
    expect(parseNetshIplisten(text, 'iplisten.txt').map((entry) => entry.address)).toEqual([
      '10.20.30.40',
      '::',
      'fe80::1%12',
    ]);
  });

  it('stops at the blank line or message after the addresses', () => {
    const text = crlf(...header, '    10.20.30.40', 'IP address successfully added', '10.9.9.9');
    expect(parseNetshIplisten(text, 'iplisten.txt').map((entry) => entry.address)).toEqual(['10.20.30.40']);
  });

  it('an address that is not one, at its column', () => {
    const problem = problemOf(() => parseNetshIplisten(crlf(...header, '    192.168.1.300'), 'iplisten.txt'));
    expect(problem.text).toBe(
      "iplisten.txt:4:5: expected an IP address of the IP listen list (such as 10.0.0.5 or ::), found '192.168.1.300'",
    );
  });

  it('a file without the dashes of the header', () => {
    expect(positionOf(problemOf(() => parseNetshIplisten('10.0.0.1\r\n', 'iplisten.txt')))).toBe(
      'iplisten.txt:1:1',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { parseListenersJson } from '../../src/evidence/parse-listeners-json.js';
import { parseNetstat } from '../../src/evidence/parse-netstat.js';
import type { Listener } from '../../src/evidence/types.js';
import { crlf, positionOf, problemOf, readSample } from './text-parser-fixtures.js';

const describeListener = (listener: Listener) =>
  `${listener.protocol} ${listener.address}:${listener.port} ${listener.pid ?? '-'} ${listener.processName ?? '-'}`;
const parse = (value: unknown) => parseListenersJson(JSON.stringify(value, null, 2), 'listeners.json');

describe('listeners.json: sample bundle', () => {
  it('french-netsh: the same sockets as its netstat.txt, with process names', () => {
    const { text, file } = readSample('french-netsh', 'listeners.json');
    const listeners = parseListenersJson(text, file);
    expect(listeners.filter((listener) => listener.port === 443).map(describeListener)).toEqual([
      'tcp :::443 4 System',
      'tcp 0.0.0.0:443 4 System',
    ]);
    expect(listeners.find((listener) => listener.port === 808)?.processName).toBe('SMSvcHost');
    const key = (listener: Listener) =>
      `${listener.protocol} ${listener.address} ${listener.port} ${listener.pid}`;
    const netstat = readSample('french-netsh', 'netstat.txt');
    expect(new Set(listeners.map(key))).toEqual(new Set(parseNetstat(netstat.text, netstat.file).map(key)));
    expect(listeners[0]?.source).toEqual({ file, line: 3 }); // the row's opening brace
  });
});

describe('listeners.json: what ConvertTo-Json writes', () => {
  const row = { LocalAddress: '0.0.0.0', LocalPort: 8080, OwningProcess: 3188, ProcessName: 'tomcat9' };

  it('accepts a single object instead of a one-element array, and null or absent lists', () => {
    expect(parse({ tcp: row, udp: null }).map(describeListener)).toEqual(['tcp 0.0.0.0:8080 3188 tomcat9']);
    expect(parse({ udp: [{ ...row, ProcessName: null }] }).map(describeListener)).toEqual([
      'udp 0.0.0.0:8080 3188 -',
    ]);
  });

  it('keeps TCP rows whose State is Listen (2 or "Listen") and drops the others', () => {
    const rows = [
      { ...row, State: 2 },
      { ...row, LocalPort: 8081, State: 'Listen' },
      { ...row, LocalPort: 8082, State: 5 },
      { ...row, LocalPort: '8083', State: 'Established' },
    ];
    expect(parse({ tcp: rows, udp: [] }).map((listener) => listener.port)).toEqual([8080, 8081]);
  });

  it('reads a BOM, ports as strings and rows without OwningProcess', () => {
    const text = `\uFEFF${JSON.stringify({ tcp: [{ LocalAddress: 'fe80::1%12', LocalPort: '443' }] })}`;
    expect(parseListenersJson(text, 'listeners.json').map(describeListener)).toEqual([
      'tcp fe80::1%12:443 - -',
    ]);
  });
});

describe('listeners.json: errors point at the offending value', () => {
  it('a port that is not a number', () => {
    const text = crlf(
      '{',
      '  "tcp": [',
      '    { "LocalAddress": "0.0.0.0", "LocalPort": 80 },',
      '    { "LocalAddress": "::", "LocalPort": "http" }',
      '  ]',
      '}',
    );
    const problem = problemOf(() => parseListenersJson(text, 'listeners.json'));
    expect(positionOf(problem)).toBe('listeners.json:4:42');
    expect(problem.message).toMatch(/^tcp\[1\]\.LocalPort: /);
  });

  it('a bad value in an unwrapped single row', () => {
    const text = '{\n  "udp": {\n    "LocalAddress": "not-an-ip",\n    "LocalPort": 123\n  }\n}';
    const problem = problemOf(() => parseListenersJson(text, 'listeners.json'));
    expect(problem.text).toBe(
      'listeners.json:3:21: udp[0].LocalAddress: expected an IP address such as 0.0.0.0, :: or 10.0.0.5',
    );
  });

  it('invalid JSON, with the position when V8 gives one', () => {
    const problem = problemOf(() => parseListenersJson('{\n  "tcp": [1,\n}', 'listeners.json'));
    expect(problem.message).toMatch(/^invalid JSON: /);
    expect(problem.message).not.toMatch(/\n/);
    expect(positionOf(problemOf(() => parseListenersJson('{"tcp": [', 'listeners.json')))).toBe(
      'listeners.json:1:10',
    );
  });

  it('JSON of another shape (an array of rows, as a bare ConvertTo-Json writes)', () => {
    const problem = problemOf(() => parseListenersJson(' [ { "LocalAddress": "::" } ]', 'listeners.json'));
    expect(problem.text).toBe(
      'listeners.json:1:2: expected an object with "tcp" and "udp" arrays of listeners',
    );
  });
});

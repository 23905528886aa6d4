import { describe, expect, it } from 'vitest';
import { parseGetNetTcpConnectionTable, parseNetstat } from '../../src/evidence/parse-netstat.js';
import type { Listener } from '../../src/evidence/types.js';
import {
  crlf,
  describeCorpus,
  positionOf,
  problemOf,
  readCorpus,
  readSample,
} from './text-parser-fixtures.js';

/** `proto address:port pid name`. */
const describeListener = (listener: Listener) =>
  `${listener.protocol} ${listener.address}:${listener.port} ${listener.pid ?? '-'} ${listener.processName ?? '-'}`;
const onPort = (listeners: readonly Listener[], protocol: 'tcp' | 'udp', port: number) =>
  listeners
    .filter((listener) => listener.protocol === protocol && listener.port === port)
    .map(describeListener);
const parseSample = (bundle: string) => {
  const { text, file } = readSample(bundle, 'netstat.txt');
  return parseNetstat(text, file);
};

describeCorpus('netstat -ano: real outputs (shared corpus)', () => {
  it('keeps 127.0.0.2:80 and 0.0.0.0:8042 apart (the find ":80" pitfall) and lists each socket once', () => {
    const { text, file } = readCorpus('netstat-aon-02');
    const listeners = parseNetstat(text, file);
    expect(listeners.map(describeListener)).toEqual(['tcp 0.0.0.0:8042 8224 -', 'tcp 127.0.0.2:80 3040 -']);
    expect(listeners.map((listener) => listener.source.line)).toEqual([2, 3]);
    expect(onPort(listeners, 'tcp', 80)).toEqual(['tcp 127.0.0.2:80 3040 -']);
  });
});

describe('netstat -ano: sample bundles', () => {
  it('mp-dp-default-web-site: http.sys (System, PID 4) on 80, 443, 5985, 47001 for IPv4 and IPv6', () => {
    const listeners = parseSample('mp-dp-default-web-site');
    for (const port of [80, 443, 5985, 47001]) {
      expect(onPort(listeners, 'tcp', port)).toEqual([`tcp 0.0.0.0:${port} 4 -`, `tcp :::${port} 4 -`]);
    }
    expect(onPort(listeners, 'tcp', 1433)).toEqual(['tcp 0.0.0.0:1433 3312 -', 'tcp :::1433 3312 -']);
    expect(onPort(listeners, 'tcp', 1434)).toEqual(['tcp 127.0.0.1:1434 3312 -']);
    expect(onPort(listeners, 'udp', 1434)).toEqual(['udp 0.0.0.0:1434 3600 -']);
    // ESTABLISHED rows are connections, not listeners: the client-side port 50127 is not listed.
    expect(listeners.some((listener) => listener.port === 50127)).toBe(false);
    expect(listeners.some((listener) => listener.port === 8080 || listener.port === 8443)).toBe(false);
  });

  it('third-party-on-dws (-anob): tomcat9.exe holds 8080; service-name lines are skipped', () => {
    const listeners = parseSample('third-party-on-dws');
    expect(onPort(listeners, 'tcp', 8080)).toEqual([
      'tcp 0.0.0.0:8080 3188 tomcat9.exe',
      'tcp :::8080 3188 tomcat9.exe',
    ]);
    expect(onPort(listeners, 'tcp', 135)[0]).toBe('tcp 0.0.0.0:135 968 svchost.exe');
    // "Can not obtain ownership information" names nothing.
    expect(onPort(listeners, 'tcp', 80)[0]).toBe('tcp 0.0.0.0:80 4 -');
  });

  it('smsweb and https-no-cert: http.sys on the candidate ports 8080 and 8443', () => {
    for (const bundle of ['smsweb', 'https-no-cert']) {
      const listeners = parseSample(bundle);
      expect(onPort(listeners, 'tcp', 8443), bundle).toEqual(['tcp 0.0.0.0:8443 4 -', 'tcp :::8443 4 -']);
    }
    expect(onPort(parseSample('https-no-cert'), 'tcp', 443)).toEqual([]);
  });

  it('french-netsh: French header, CP850 file, SMSvcHost on 808', () => {
    const listeners = parseSample('french-netsh');
    expect(onPort(listeners, 'tcp', 808)).toEqual(['tcp 0.0.0.0:808 2620 -', 'tcp :::808 2620 -']);
    expect(onPort(listeners, 'tcp', 443)).toHaveLength(2);
  });
});

describe('netstat -ano: shapes', () => {
  const header = [
    '',
    'Active Connections',
    '',
    '  Proto  Local Address          Foreign Address        State           PID',
  ];

  it('reads IPv6 zone ids, UDP rows and localized listening states', () => {
    const text = crlf(
      ...header,
      '  TCP    [fe80::5cd1:2f3a:9b4e:1c2d%12]:139  [::]:0       LISTENING       4',
      '  TCP    0.0.0.0:8080           0.0.0.0:0              ABHÖREN         3188',
      '  TCP    0.0.0.0:8081           0.0.0.0:0              IN ASCOLTO      3189',
      '  TCP    0.0.0.0:8082           0.0.0.0:0              ZUHÖREN_NEU     3190',
      '  TCP    10.0.0.5:50000         10.0.0.9:443           HERGESTELLT     3191',
      '  UDP    [::]:5353              *:*                                    1900',
      '  UDP    0.0.0.0:123            *:*',
    );
    expect(parseNetstat(text, 'netstat.txt').map(describeListener)).toEqual([
      'tcp fe80::5cd1:2f3a:9b4e:1c2d%12:139 4 -',
      'tcp 0.0.0.0:8080 3188 -',
      'tcp 0.0.0.0:8081 3189 -',
      // An unknown state with foreign port 0 is a listener; with a real peer it is a connection.
      'tcp 0.0.0.0:8082 3190 -',
      'udp :::5353 1900 -',
      'udp 0.0.0.0:123 - -',
    ]);
  });

  it('reads the French header and an empty table', () => {
    const text = crlf(
      'Connexions actives',
      '',
      '  Proto  Adresse locale         Adresse distante       État           PID',
      '',
    );
    expect(parseNetstat(text, 'netstat.txt')).toEqual([]);
  });
});

describe('netstat -ano: errors point at the line and column', () => {
  it('a listening row whose local address has a service name instead of a port (netstat without -n)', () => {
    const text = crlf(
      '  Proto  Local Address          Foreign Address        State',
      '  TCP    cm01:http              cm01:0                 LISTENING',
    );
    const problem = problemOf(() => parseNetstat(text, 'netstat.txt'));
    expect(problem.text).toBe(
      "netstat.txt:2:10: expected a local address such as 0.0.0.0:80 or [::]:443 (run netstat with -n), found 'cm01:http'",
    );
  });

  it('a row cut after its protocol', () => {
    expect(positionOf(problemOf(() => parseNetstat('  TCP    0.0.0.0:80\r\n', 'netstat.txt')))).toBe(
      'netstat.txt:1:10',
    );
  });

  it('a copy cut inside its last row, where a complete last row without a line break is read', () => {
    const rows = [
      '  TCP    0.0.0.0:80             0.0.0.0:0              LISTENING       4',
      '  UDP    0.0.0.0:123            *:*                                    1240',
    ];
    const last = '  TCP    0.0.0.0:8080           0.0.0.0:0              LISTENING       4';
    const cut = (keep: number) => `${rows.join('\r\n')}\r\n${last.slice(0, keep)}`;
    expect(parseNetstat(cut(last.length), 'netstat.txt').map((l) => `${l.port}/${l.pid}`)).toEqual([
      '80/4',
      '123/1240',
      '8080/4',
    ]);
    expect(problemOf(() => parseNetstat(cut(20), 'netstat.txt')).text).toBe(
      'netstat.txt:3:10: the file ends inside this row (a cut copy): give the whole netstat -ano output',
    );
    expect(positionOf(problemOf(() => parseNetstat(cut(40), 'netstat.txt')))).toBe('netstat.txt:3:33');
    // Cut after the state: the owner is lost, not the socket (rules then say "unknown program").
    expect(parseNetstat(cut(60), 'netstat.txt').at(-1)).toMatchObject({ port: 8080, pid: null });
  });

  it('a file that is not netstat output', () => {
    expect(positionOf(problemOf(() => parseNetstat('Access is denied.\r\n', 'netstat.txt')))).toBe(
      'netstat.txt:1:1',
    );
  });
});

describeCorpus('Get-NetTCPConnection tables: real outputs (shared corpus)', () => {
  it('keeps the Listen rows only: http.sys (PID 4) shows on :: for 47001 and 5985', () => {
    const { text, file } = readCorpus('get-nettcpconnection-01');
    const listeners = parseGetNetTcpConnectionTable(text, file);
    expect(listeners).toHaveLength(20);
    expect(listeners.filter((listener) => listener.pid === 4).map(describeListener)).toEqual([
      'tcp :::47001 4 -',
      'tcp :::5985 4 -',
      'tcp :::445 4 -',
      'tcp 10.10.159.242:139 4 -',
    ]);
    // Bound, SynSent and Established rows are not listeners.
    expect(listeners.some((listener) => listener.port === 49829)).toBe(false);
    expect(
      listeners.filter((listener) => listener.port === 22).map((listener) => listener.source.line),
    ).toEqual([15, 27]);
  });

  it('reads the table filtered on State -eq "Listen"', () => {
    const { text, file } = readCorpus('get-nettcpconnection-02');
    const listeners = parseGetNetTcpConnectionTable(text, file);
    expect(listeners).toHaveLength(18);
    expect(listeners.find((listener) => listener.port === 139)).toMatchObject({
      address: '192.168.122.183',
      pid: 4,
    });
  });
});

describe('Get-NetTCPConnection tables: shapes and errors', () => {
  const header = [
    'LocalAddress                        LocalPort RemoteAddress                       RemotePort State       AppliedSetting OwningProcess',
    '------------                        --------- -------------                       ---------- -----       -------------- -------------',
  ];

  it('reads right-aligned numbers and a table without the State column', () => {
    const text = crlf(
      'LocalAddress LocalPort OwningProcess',
      '------------ --------- -------------',
      '0.0.0.0             80             4',
      '::                8443          3188',
    );
    expect(parseGetNetTcpConnectionTable(text, 'x.txt').map(describeListener)).toEqual([
      'tcp 0.0.0.0:80 4 -',
      'tcp :::8443 3188 -',
    ]);
  });

  it('a port that is not a number, at its column', () => {
    const text = crlf(
      ...header,
      '0.0.0.0                             http      0.0.0.0                             0          Listen                     4',
    );
    expect(positionOf(problemOf(() => parseGetNetTcpConnectionTable(text, 'x.txt')))).toBe('x.txt:3:37');
  });

  it('text without a table', () => {
    expect(
      positionOf(problemOf(() => parseGetNetTcpConnectionTable('PS C:\\> Get-NetTCPConnection', 'x.txt'))),
    ).toBe('x.txt:1:1');
  });
});

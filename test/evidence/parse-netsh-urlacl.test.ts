import { describe, expect, it } from 'vitest';
import { parseNetshUrlacl } from '../../src/evidence/parse-netsh-urlacl.js';
import type { UrlAclReservation } from '../../src/evidence/types.js';
import {
  crlf,
  describeCorpus,
  positionOf,
  problemOf,
  readCorpus,
  readSample,
} from './text-parser-fixtures.js';

const WINRM_SDDL =
  'D:(A;;GX;;;S-1-5-80-569256582-2953403351-2909559716-1301513147-412116970)' +
  '(A;;GX;;;S-1-5-80-4059739203-877974739-1245631912-527174227-2996563517)';

const parseCorpus = (prefix: string) => {
  const { text, file } = readCorpus(prefix);
  return parseNetshUrlacl(text, file);
};
const parseSample = (bundle: string) => {
  const { text, file } = readSample(bundle, 'urlacl.txt');
  return parseNetshUrlacl(text, file);
};
const reservedUrls = (reservations: readonly UrlAclReservation[]) =>
  reservations.map((reservation) => reservation.url);
const byUrl = (reservations: readonly UrlAclReservation[], url: string): UrlAclReservation => {
  const found = reservations.find((reservation) => reservation.url === url);
  if (found === undefined) throw new Error(`no reservation ${url}`);
  return found;
};

describeCorpus('netsh http show urlacl: real outputs (shared corpus)', () => {
  it('reads the WMSvc reservation of the IIS docs (no indentation)', () => {
    expect(parseCorpus('netsh-http-show-urlacl-01')).toEqual([
      {
        url: 'https://*:8172/',
        scheme: 'https',
        host: '*',
        port: 8172,
        path: '/',
        users: [{ user: 'NT SERVICE\\WMSvc', listen: true, delegate: false }],
        sddl: 'D:(A;;GX;;;S-1-5-80-257763619-1023834443-750927789-3464696139-1457670516)',
        source: { file: expect.stringMatching(/^netsh-http-show-urlacl-01/), line: 5 },
      },
    ]);
  });

  it('reads the Windows 10 defaults; the last block is truncated before its SDDL (PARTIAL): sddl null', () => {
    const reservations = parseCorpus('netsh-http-show-urlacl-02');
    expect(reservedUrls(reservations)).toEqual([
      'http://*:5357/',
      'http://+:80/Temporary_Listen_Addresses/',
      'https://*:5358/',
      'http://+:10247/apps/',
      'http://*:2869/',
    ]);
    expect(byUrl(reservations, 'http://*:5357/').users.map((user) => user.user)).toEqual([
      'BUILTIN\\Users',
      'NT AUTHORITY\\LOCAL SERVICE',
    ]);
    const everyone = byUrl(reservations, 'http://+:80/Temporary_Listen_Addresses/');
    expect([everyone.host, everyone.port, everyone.path, everyone.sddl]).toEqual([
      '+',
      80,
      '/Temporary_Listen_Addresses/',
      'D:(A;;GX;;;WD)',
    ]);
    expect(byUrl(reservations, 'http://*:2869/').sddl).toBeNull();
  });

  it('joins the wrapped SDDL lines of the WinRM reservations', () => {
    const reservations = parseCorpus('netsh-http-show-urlacl-03');
    for (const url of ['http://+:5985/wsman/', 'http://+:47001/wsman/']) {
      const winrm = byUrl(reservations, url);
      expect(winrm.sddl).toBe(WINRM_SDDL);
      expect(winrm.users).toEqual([
        { user: 'NT SERVICE\\WinRM', listen: true, delegate: false },
        { user: 'NT SERVICE\\Wecsvc', listen: true, delegate: false },
      ]);
    }
    expect(reservations.map((reservation) => reservation.port)).toEqual([80, 5985, 47001, 443]);
  });

  it('keeps the SSTP reservation on 443 cut inside its URL (PARTIAL): no users, no SDDL', () => {
    const sstp = parseCorpus('netsh-http-show-urlacl-03').at(-1);
    expect(sstp).toMatchObject({
      url: 'https://+:443/sra_{BA195980-CD49-458b-9E23-C84EE0',
      scheme: 'https',
      host: '+',
      port: 443,
      users: [],
      sddl: null,
    });
  });
});

describe('netsh http show urlacl: sample bundles', () => {
  it('mp-dp-default-web-site: the Windows defaults and WinRM', () => {
    const reservations = parseSample('mp-dp-default-web-site');
    expect(reservedUrls(reservations)).toEqual([
      'http://*:2869/',
      'http://+:80/Temporary_Listen_Addresses/',
      'http://*:5357/',
      'https://*:5358/',
      'http://+:5985/wsman/',
      'http://+:47001/wsman/',
    ]);
    expect(byUrl(reservations, 'http://+:5985/wsman/').sddl).toBe(WINRM_SDDL);
  });

  it('third-party-on-dws: Reporting Services holds strong wildcards on port 80', () => {
    const ssrs = parseSample('third-party-on-dws').filter((reservation) =>
      reservation.path.startsWith('/Report'),
    );
    expect(ssrs.map((reservation) => `${reservation.host}:${reservation.port}${reservation.path}`)).toEqual([
      '+:80/ReportServer/',
      '+:80/Reports/',
    ]);
    expect(ssrs[0]?.users[0]?.user).toBe('NT SERVICE\\SQLServerReportingServices');
  });

  it('french-netsh: French labels, Oui/Non, CP850 file', () => {
    const reservations = parseSample('french-netsh');
    expect(reservations).toHaveLength(6);
    expect(byUrl(reservations, 'http://+:80/Temporary_Listen_Addresses/').users).toEqual([
      { user: '\\Tout le monde', listen: true, delegate: false },
    ]);
    expect(byUrl(reservations, 'http://+:47001/wsman/').sddl).toBe(WINRM_SDDL);
  });
});

describe('netsh http show urlacl: shapes', () => {
  it('gives the scheme default port when the URL has none, and keeps IPv6 hosts', () => {
    const text = crlf(
      'URL Reservations:',
      '-----------------',
      '    Reserved URL            : https://cm01.corp.example/CCM_Client/',
      '        User: NT AUTHORITY\\NETWORK SERVICE',
      '    Reserved URL            : http://[fe80::1]:8080/',
    );
    const reservations = parseNetshUrlacl(text, 'urlacl.txt');
    expect(
      reservations.map(
        (reservation) => `${reservation.scheme} ${reservation.host} ${reservation.port} ${reservation.path}`,
      ),
    ).toEqual(['https cm01.corp.example 443 /CCM_Client/', 'http [fe80::1] 8080 /']);
    expect(reservations[0]?.users).toEqual([
      { user: 'NT AUTHORITY\\NETWORK SERVICE', listen: null, delegate: null },
    ]);
  });

  it('reads an unknown language by the shape of the values (Spanish-like labels)', () => {
    const text = crlf(
      'Reservas de dirección URL:',
      '-------------------------',
      '    Dirección URL reservada : http://+:80/Temporary_Listen_Addresses/',
      '        Usuario: \\Todos',
      '            Escuchar: Sí',
      '            Delegar: No',
      '            SDDL: D:(A;;GX;;;WD)',
    );
    expect(parseNetshUrlacl(text, 'urlacl.txt')[0]).toMatchObject({
      port: 80,
      users: [{ user: '\\Todos', listen: true, delegate: false }],
      sddl: 'D:(A;;GX;;;WD)',
    });
  });
});

describe('netsh http show urlacl: words named like Object.prototype members (found by fuzzing)', () => {
  it('"constructor" is neither a label nor a yes/no answer', () => {
    const text = crlf(
      'URL Reservations:',
      '-----------------',
      '    Reserved URL            : http://+:80/',
      '        User: \\Everyone',
      '            Listen: constructor',
      '            constructor: valueOf',
    );
    expect(parseNetshUrlacl(text, 'urlacl.txt')[0]?.users).toEqual([
      { user: '\\Everyone', listen: null, delegate: null },
    ]);
  });
});

describe('netsh http show urlacl: errors point at the line and column', () => {
  it('a reserved URL that is not http(s)', () => {
    const text = crlf(
      'URL Reservations:',
      '-----------------',
      '',
      '    Reserved URL            : ftp://+:21/',
    );
    const problem = problemOf(() => parseNetshUrlacl(text, 'urlacl.txt'));
    expect(positionOf(problem)).toBe('urlacl.txt:4:31');
    expect(problem.message).toMatch(/expected a reserved URL such as http:\/\/\+:80\/path\//);
  });

  it('a port above 65535', () => {
    const text = crlf('Reserved URL : http://+:70000/');
    expect(positionOf(problemOf(() => parseNetshUrlacl(text, 'urlacl.txt')))).toBe('urlacl.txt:1:16');
  });

  it('a Listen line before any User line', () => {
    const text = crlf(
      'URL Reservations:',
      '-----------------',
      'Reserved URL : http://+:80/',
      '  Listen: Yes',
    );
    const problem = problemOf(() => parseNetshUrlacl(text, 'urlacl.txt'));
    expect(problem.text).toBe("urlacl.txt:4:3: expected a 'User:' line before 'Listen'");
  });

  it('a file that is not urlacl output', () => {
    expect(positionOf(problemOf(() => parseNetshUrlacl('\r\n\r\n', 'urlacl.txt')))).toBe('urlacl.txt:1:1');
  });
});

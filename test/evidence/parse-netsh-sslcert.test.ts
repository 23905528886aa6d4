import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseNetshSslcert } from '../../src/evidence/parse-netsh-sslcert.js';
import type { SslCertBinding } from '../../src/evidence/types.js';
import {
  crlf,
  describeCorpus,
  positionOf,
  problemOf,
  readCorpus,
  readSample,
  SAMPLES_DIR,
} from './text-parser-fixtures.js';

const IIS_APP_ID = '{4dc3e181-e14b-4a21-b022-59fc669b0914}';
const parseCorpus = (prefix: string) => {
  const { text, file } = readCorpus(prefix);
  return parseNetshSslcert(text, file);
};
const parseSample = (bundle: string) => {
  const { text, file } = readSample(bundle, 'sslcert.txt');
  return parseNetshSslcert(text, file);
};
/** `kind endpoint:port hash appId store`, to compare whole lists. */
const describeBinding = (binding: SslCertBinding) =>
  `${binding.kind} ${binding.endpoint ?? '-'}:${binding.port} ${binding.certificateHash ?? '-'} ${binding.applicationId ?? '-'} ${binding.certificateStoreName ?? '-'}`;

const HEADER = ['', 'SSL Certificate bindings:', '-------------------------', ''];

describeCorpus('netsh http show sslcert: real outputs (shared corpus)', () => {
  it('reads the IIS docs copy that lost its indentation (WMSvc on 8172)', () => {
    const [binding, ...rest] = parseCorpus('netsh-http-show-sslcert-01');
    expect(rest).toEqual([]);
    expect(binding).toEqual({
      kind: 'ipport',
      endpoint: '0.0.0.0',
      port: 8172,
      certificateHash: 'f06ae62a5275a818338f05ecc80707335be1e204',
      applicationId: '{00000000-0000-0000-0000-000000000000}',
      certificateStoreName: 'MY',
      source: { file: expect.stringMatching(/^netsh-http-show-sslcert-01/), line: 4 },
    });
  });

  it('reads the IIS binding of 0.0.0.0:443 with a (null) store name', () => {
    const bindings = parseCorpus('netsh-http-show-sslcert-02');
    expect(bindings.map(describeBinding)).toEqual([
      `ipport 0.0.0.0:443 5226dc6c54559761cd471b86eb51c096252c90f2 ${IIS_APP_ID} -`,
    ]);
    expect(bindings[0]?.source.line).toBe(3);
  });

  it('reads the AD FS Hostname:port blocks quoted with ">" and truncated mid-line (PARTIAL)', () => {
    // The second block is cut inside "Usage Check", after the fields the model needs: both are whole.
    const bindings = parseCorpus('netsh-http-show-sslcert-03');
    const adfs = '2d125f4d735def823178e8f17e6579d04fb97b7a {5d89a20c-beab-4389-9447-324788eb944a} my';
    expect(bindings.map(describeBinding)).toEqual([
      `hostnameport sts.margiestravel.com:443 ${adfs}`,
      `hostnameport sts.margiestravel.com:49443 ${adfs}`,
    ]);
    expect(bindings.map((binding) => binding.source.line)).toEqual([7, 21]);
  });

  it('refuses the add-sslcert usage text (PARTIAL) at 1:1: it is not a show output', () => {
    const { text, file } = readCorpus('netsh-http-add-sslcert-usage-01');
    const problem = problemOf(() => parseNetshSslcert(text, file));
    expect(positionOf(problem)).toBe(`${file}:1:1`);
    expect(problem.message).toMatch(/netsh http show sslcert/);
  });
});

describe('netsh http show sslcert: sample bundles', () => {
  it('mp-dp-default-web-site: the IIS certificate on 0.0.0.0:443', () => {
    expect(parseSample('mp-dp-default-web-site').map(describeBinding)).toEqual([
      `ipport 0.0.0.0:443 8a3f1c0d9e6b7a2f4c5d8e9f0a1b2c3d4e5f6a7b ${IIS_APP_ID} MY`,
    ]);
  });

  it('smsweb: 443 and the candidate 8443 bound to the same certificate', () => {
    const bindings = parseSample('smsweb');
    expect(bindings.map((binding) => `${binding.endpoint}:${binding.port}`)).toEqual([
      '0.0.0.0:443',
      '0.0.0.0:8443',
    ]);
    expect(new Set(bindings.map((binding) => binding.certificateHash)).size).toBe(1);
  });

  it('https-no-cert: only 0.0.0.0:443, nothing for 8443', () => {
    expect(parseSample('https-no-cert').map((binding) => binding.port)).toEqual([443]);
  });

  it('french-netsh: French labels, the doubled separator of the store name, UTF-16LE file', () => {
    expect(parseSample('french-netsh').map(describeBinding)).toEqual([
      `ipport 10.20.30.40:443 c41f7e2a9b3d5f8e1a6c0d4b7e9f2a5c8d1b3e6f ${IIS_APP_ID} MY`,
    ]);
  });
});

describe('netsh http show sslcert: shapes', () => {
  it('still reads a UTF-16LE file that was read as UTF-8 (BOM and NULs dropped, ASCII labels kept)', () => {
    const utf16 = readFileSync(`${SAMPLES_DIR}french-netsh/sslcert.txt`);
    expect(utf16.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xfe]));
    expect(parseNetshSslcert(utf16.toString('utf8'), 'sslcert.txt').map((binding) => binding.port)).toEqual([
      443,
    ]);
  });

  it('reads IPv6 endpoints, SNI and Central Certificate Store blocks, upper-case hashes', () => {
    const text = crlf(
      ...HEADER,
      '    IP:port                      : [::]:443',
      '    Certificate Hash             : 5226DC6C54559761CD471B86EB51C096252C90F2',
      `    Application ID               : ${IIS_APP_ID.toUpperCase()}`,
      '    Certificate Store Name       : My',
      '',
      '    Hostname:port                : cm01.corp.example:8443',
      '    Certificate Hash             : 5226dc6c54559761cd471b86eb51c096252c90f2',
      `    Application ID               : ${IIS_APP_ID}`,
      '    Certificate Store Name       : (null)',
      '',
      '    Central Certificate Store    : 443',
      '    Certificate Hash             : (null)',
      `    Application ID               : ${IIS_APP_ID}`,
      '',
    );
    expect(parseNetshSslcert(text, 'sslcert.txt').map(describeBinding)).toEqual([
      `ipport [::]:443 5226dc6c54559761cd471b86eb51c096252c90f2 ${IIS_APP_ID} My`,
      `hostnameport cm01.corp.example:8443 5226dc6c54559761cd471b86eb51c096252c90f2 ${IIS_APP_ID} -`,
      `ccs -:443 - ${IIS_APP_ID} -`,
    ]);
  });

  it('reads an unknown language by the order of the fields (Portuguese-like labels, no blank line between blocks)', () => {
    const text = crlf(
      'Associações de certificado SSL:',
      '-------------------------------',
      '    IP:porta                     : 0.0.0.0:443',
      '    Hash do certificado          : 5226dc6c54559761cd471b86eb51c096252c90f2',
      `    ID do aplicativo             : ${IIS_APP_ID}`,
      '    Nome do repositório          : MY',
      '    IP:porta                     : 0.0.0.0:8443',
      '    Hash do certificado          : 5226dc6c54559761cd471b86eb51c096252c90f2',
      `    ID do aplicativo             : ${IIS_APP_ID}`,
      '    Nome do repositório          : MY',
    );
    const bindings = parseNetshSslcert(text, 'sslcert.txt');
    expect(
      bindings.map((binding) => `${binding.kind} ${binding.port} ${binding.certificateStoreName}`),
    ).toEqual(['ipport 443 MY', 'ipport 8443 MY']);
    expect(bindings.map((binding) => binding.source.line)).toEqual([3, 7]);
  });

  it('reads an empty list of bindings', () => {
    expect(parseNetshSslcert(crlf(...HEADER, ''), 'sslcert.txt')).toEqual([]);
  });
});

describe('netsh http show sslcert: labels named like Object.prototype members (the flaw of the urlacl fuzz counterexample)', () => {
  it('a "constructor" label is an unknown label, not a binding kind', () => {
    const text = crlf(
      ...HEADER,
      '    constructor : 0.0.0.0:443',
      '    toString : 8a3f1c0d9e6b7a2f4c5d8e9f0a1b2c3d4e5f6a7b',
      `    __proto__ : ${IIS_APP_ID}`,
    );
    // Read by the order of the lines, as any other language: the kind comes from the endpoint.
    expect(parseNetshSslcert(text, 'sslcert.txt').map(describeBinding)).toEqual([
      `ipport 0.0.0.0:443 8a3f1c0d9e6b7a2f4c5d8e9f0a1b2c3d4e5f6a7b ${IIS_APP_ID} -`,
    ]);
  });
});

describe('netsh http show sslcert: errors point at the line and column', () => {
  it('an endpoint that is not ip:port', () => {
    const text = crlf(...HEADER, '    IP:port                      : 0.0.0.0:99999');
    const problem = problemOf(() => parseNetshSslcert(text, 'sslcert.txt'));
    expect(positionOf(problem)).toBe('sslcert.txt:5:36');
    expect(problem.message).toMatch(/expected an endpoint such as 0\.0\.0\.0:443/);
  });

  it('a hash hidden by whoever pasted it is a binding without a known hash', () => {
    for (const hidden of ['redacted', '[REDACTED]', '<thumbprint>', 'xxxxxxxx', '***']) {
      const text = crlf(
        ...HEADER,
        '    IP:port                      : 0.0.0.0:443',
        `    Certificate Hash             : ${hidden}`,
        `    Application ID               : ${IIS_APP_ID}`,
      );
      expect(parseNetshSslcert(text, 'sslcert.txt').map(describeBinding), hidden).toEqual([
        `ipport 0.0.0.0:443 - ${IIS_APP_ID} -`,
      ]);
    }
  });

  it('a certificate hash that is not hexadecimal', () => {
    const text = crlf(
      ...HEADER,
      '    IP:port                      : 0.0.0.0:443',
      '    Certificate Hash             : zz12',
    );
    const problem = problemOf(() => parseNetshSslcert(text, 'sslcert.txt'));
    expect(positionOf(problem)).toBe('sslcert.txt:6:36');
    expect(problem.text).toBe(
      "sslcert.txt:6:36: expected a certificate hash (hexadecimal) or (null) after 'Certificate Hash', found 'zz12'",
    );
  });

  it('an application ID that is not a GUID (docs-style line without padding)', () => {
    const text = crlf(
      ...HEADER,
      'IP:port : 0.0.0.0:443',
      'Certificate Hash : 00ff00ff00ff00ff00ff00ff00ff00ff',
      'Application ID: IIS',
    );
    expect(positionOf(problemOf(() => parseNetshSslcert(text, 'sslcert.txt')))).toBe('sslcert.txt:7:17');
  });

  it('a block that ends before its Application ID (a truncated file) is reported after its last line', () => {
    const text = crlf(
      ...HEADER,
      '    IP:port                      : 0.0.0.0:443',
      '    Certificate Hash             : (null)',
    );
    const problem = problemOf(() => parseNetshSslcert(text, 'sslcert.txt'));
    expect(positionOf(problem)).toBe('sslcert.txt:7:1');
    expect(problem.message).toBe('the binding for 0.0.0.0:443 (line 5) ends without its Application ID line');
  });

  it('a file that is not sslcert output', () => {
    expect(positionOf(problemOf(() => parseNetshSslcert('', 'sslcert.txt')))).toBe('sslcert.txt:1:1');
    expect(positionOf(problemOf(() => parseNetshSslcert('Ok.\r\n', 'sslcert.txt')))).toBe('sslcert.txt:1:1');
  });
});

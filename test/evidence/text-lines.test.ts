import fc from 'fast-check';
import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  decodeWindowsText,
  foldLabel,
  ipVersion,
  splitLabelValue,
  splitOutputLines,
} from '../../src/evidence/text-lines.js';

const FRENCH =
  'URL réservée : http://+:80/\r\nÉcouter : Oui\r\nProtocole tcp Plages d’exclusion de ports\r\n';

describe('decodeWindowsText', () => {
  it('decodes UTF-16LE with a BOM (PowerShell 5.1 ">") and without one', () => {
    const utf16 = Buffer.from(FRENCH, 'utf16le');
    expect(decodeWindowsText(Buffer.concat([Buffer.from([0xff, 0xfe]), utf16]))).toBe(FRENCH);
    expect(decodeWindowsText(utf16)).toBe(FRENCH);
  });

  it('decodes UTF-16BE with a BOM, even cut to an odd length', () => {
    const big = Buffer.from(FRENCH, 'utf16le').swap16();
    expect(decodeWindowsText(Buffer.concat([Buffer.from([0xfe, 0xff]), big]))).toBe(FRENCH);
    expect(decodeWindowsText(Buffer.concat([Buffer.from([0xfe, 0xff]), big, Buffer.from([0x41])]))).toBe(
      FRENCH,
    );
  });

  it('decodes UTF-8 with and without a BOM', () => {
    expect(decodeWindowsText(Buffer.from(`\uFEFF${FRENCH}`, 'utf8'))).toBe(FRENCH);
    expect(decodeWindowsText(Buffer.from(FRENCH, 'utf8'))).toBe(FRENCH);
  });

  it('decodes the OEM code page 850 of cmd ">" and the Windows-1252 of a file saved as ANSI', () => {
    // "URL réservée" / "Écouter" / "Déléguer" in CP850: é = 0x82, É = 0x90.
    const oem = Buffer.from([
      0x55, 0x52, 0x4c, 0x20, 0x72, 0x82, 0x73, 0x65, 0x72, 0x76, 0x82, 0x65, 0x0d, 0x0a, 0x90, 0x63,
    ]);
    expect(decodeWindowsText(oem)).toBe('URL réservée\r\nÉc');
    expect(decodeWindowsText(Buffer.from('URL réservée, Écouter', 'latin1'))).toBe('URL réservée, Écouter');
  });

  it('decodes an empty file', () => {
    expect(decodeWindowsText(Buffer.alloc(0))).toBe('');
  });
});

describe('splitOutputLines', () => {
  it('splits CRLF, CR and LF, drops a BOM and NULs, trims trailing spaces', () => {
    const lines = splitOutputLines('\uFEFFa  \r\nb\rc\u0000d\n', 'f.txt');
    expect(lines.map((line) => line.text)).toEqual(['a', 'b', 'cd', '']);
    expect(lines.map((line) => line.number)).toEqual([1, 2, 3, 4]);
  });

  it('removes markdown quotes and comment marks, remembering their width for columns', () => {
    const [quoted, comment, prompt] = splitOutputLines(
      '>    IP:port : x\n#   Start Port : 1\nC:\\>netsh',
      'f.txt',
    );
    expect(quoted).toMatchObject({ text: '   IP:port : x', offset: 2 });
    expect(comment).toMatchObject({ text: 'Start Port : 1', offset: 4 });
    expect(prompt).toMatchObject({ text: 'C:\\>netsh', offset: 0 });
  });

  it('removes markdown backticks around a pasted block', () => {
    const lines = splitOutputLines('`Start Port    End Port\n      8080        8080`\n```\n', 'f.txt');
    expect(lines.map((line) => [line.text, line.offset])).toEqual([
      ['Start Port    End Port', 1],
      ['      8080        8080', 0],
      ['', 3],
      ['', 0],
    ]);
  });

  it('removes a log prefix every line carries (Packer), keeping the output’s own indentation', () => {
    const lines = splitOutputLines(
      '    vhd: Protocol tcp\n    vhd:\n    vhd:   Start Port : 1024\n',
      'f.txt',
    );
    expect(lines.map((line) => [line.text, line.offset])).toEqual([
      ['Protocol tcp', 9],
      ['', 8],
      ['  Start Port : 1024', 9],
      ['', 0],
    ]);
    // Labels are not a log prefix unless every line starts with the same one.
    expect(splitOutputLines('Start Port: 1\nNumber of Ports: 2', 'f.txt').map((line) => line.text)).toEqual([
      'Start Port: 1',
      'Number of Ports: 2',
    ]);
  });
});

describe('splitLabelValue', () => {
  const split = (text: string) => splitLabelValue({ number: 1, text, offset: 2 });

  it('splits at the first colon with a space on one side, keeping IP:port and URLs whole', () => {
    expect(split('    IP:port                 : [::]:443')).toEqual({
      label: 'IP:port',
      value: '[::]:443',
      labelCol: 7,
      valueCol: 33,
    });
    expect(split('Certificate Store Name: MY')).toMatchObject({
      label: 'Certificate Store Name',
      value: 'MY',
    });
    expect(split('    Désactiver HTTP2 :Not Set')).toMatchObject({
      label: 'Désactiver HTTP2',
      value: 'Not Set',
    });
    expect(split('    Nom du magasin de certificats :       : MY')).toMatchObject({
      label: 'Nom du magasin de certificats',
      value: 'MY',
    });
    expect(split('SDDL: D:(A;;GX;;;WD)')).toMatchObject({ label: 'SDDL', value: 'D:(A;;GX;;;WD)' });
    expect(split(' Extended Properties:')).toMatchObject({ label: 'Extended Properties', value: '' });
  });

  it('finds no pair in prompts and plain text', () => {
    expect(split('c:\\>netsh http show sslcert')).toBeNull();
    expect(split('-----')).toBeNull();
    expect(split(':leading colon')).toBeNull();
  });
});

describe('foldLabel', () => {
  it('compares labels without case, accents, curly apostrophes or padding', () => {
    expect(foldLabel('  ID de l’Application  ')).toBe("id de l'application");
    expect(foldLabel('Écouter')).toBe('ecouter');
    expect(foldLabel('Nom du  magasin :')).toBe('nom du magasin');
  });
});

describe('ipVersion', () => {
  // node:net's isIP is the reference: ipVersion only avoids compiling its regular expressions.
  const hexGroup = fc.stringMatching(/^[0-9a-fA-F]{1,5}$/);
  const octet = fc.oneof(
    fc.integer({ min: 0, max: 300 }).map(String),
    fc.constantFrom('00', '01', '255', '256'),
  );
  const dotted = fc.array(octet, { minLength: 1, maxLength: 5 }).map((parts) => parts.join('.'));
  const piece = fc.oneof(
    hexGroup,
    hexGroup,
    dotted,
    fc.constantFrom('', ':', '::', '%eth0', '%1', '%', '%a%b', '%a_b'),
  );
  const structured = fc
    .array(piece, { maxLength: 10 })
    .chain((parts) =>
      fc
        .array(fc.constantFrom(':', ':', '::', '.', ''), { minLength: parts.length, maxLength: parts.length })
        .map((glue) => parts.map((part, index) => `${part}${glue[index] ?? ''}`).join('')),
    );
  const noise = fc.stringMatching(/^[0-9a-fA-Fgz:.%\-_ ]{0,24}$/);

  it('says what isIP says, for addresses and near-addresses', () => {
    fc.assert(
      fc.property(fc.oneof(structured, noise), (text) => {
        expect(ipVersion(text)).toBe(isIP(text));
      }),
      { numRuns: 20000 },
    );
  });

  it.each([
    '0.0.0.0',
    '255.255.255.255',
    '256.1.1.1',
    '01.2.3.4',
    '1.2.3',
    '::',
    '::1',
    '1::',
    '1:2:3:4:5:6:7:8',
    '1:2:3:4:5:6:7::',
    '1::2:3:4:5:6:7',
    '1::2:3:4:5:6:7:8',
    '::ffff:198.18.2.2',
    '1:2:3:4:5:6:1.2.3.4',
    '1:2:3:4:5::1.2.3.4',
    '1:2:3:4:5:6::1.2.3.4',
    'fe80::1%eth0',
    'fe80::1%',
    'fe80::1%a_b',
    '1:::2',
    '1::2::3',
    ':1::2',
    '12345::1',
    '',
  ])('%s', (text) => {
    expect(ipVersion(text)).toBe(isIP(text));
  });
});

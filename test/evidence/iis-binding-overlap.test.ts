import { describe, expect, it } from 'vitest';
import { parseBindingInformation } from '../../src/evidence/iis-binding-information.js';
import { bindingOverlaps, hostHeaderNamesServer } from '../../src/evidence/iis-binding-overlap.js';
import type { IisBinding, IisSite } from '../../src/evidence/types.js';
import { site } from '../support/bundles.js';

/** A binding as the parser reads it from applicationHost.config. */
function binding(protocol: string, bindingInformation: string): IisBinding {
  const parsed = parseBindingInformation(protocol, bindingInformation);
  if ('problem' in parsed) throw new Error(parsed.problem);
  return { protocol, bindingInformation, ...parsed.endpoint, sslFlags: 0, source: { file: 'a', line: 1 } };
}

const MP = { host: 'mp01.corp.example', addresses: ['198.18.2.2'] };
const config = (...sites: IisSite[]) => ({ file: 'applicationHost.config', sites });
const dws = (...bindings: IisBinding[]) => site('Default Web Site', bindings);
const other = (...bindings: IisBinding[]) => site('Other', bindings);
const isDws = (candidate: IisSite) => candidate.name === 'Default Web Site';
/** `effect [clientAddress]` of each overlap of ConfigMgr's `scheme *:port:`. */
const overlapsOf = (
  sites: IisSite[],
  scheme: 'http' | 'https',
  port: number,
  identity: { host: string; addresses: string[] | null } = MP,
) =>
  bindingOverlaps(config(...sites), scheme, port, identity, isDws).map(
    (overlap) => `${overlap.effect} [${overlap.clientAddress}]`,
  );

describe('bindingOverlaps: what another binding takes from ConfigMgr’s *:port:', () => {
  it('all addresses without a host header: every request; one address: that address', () => {
    expect(
      overlapsOf([dws(), other(binding('http', '*:8080:'), binding('http', ':8080:'))], 'http', 8080),
    ).toEqual([
      'takes every request on port 8080 (only one of the two sites can start) [true]',
      'takes every request on port 8080 (only one of the two sites can start) [true]',
    ]);
    expect(
      overlapsOf(
        [other(binding('http', '198.18.2.2:8080:'), binding('http', '10.0.0.9:8080:'))],
        'http',
        8080,
      ),
    ).toEqual([
      'takes the requests sent to 198.18.2.2 [true]',
      'takes the requests sent to 10.0.0.9 [false]',
    ]);
    // Unknown addresses: undecided, never guessed.
    expect(
      overlapsOf([other(binding('http', '10.0.0.9:8080:'))], 'http', 8080, { ...MP, addresses: null }),
    ).toEqual(['takes the requests sent to 10.0.0.9 [null]']);
    expect(
      overlapsOf([other(binding('http', '127.0.0.1:8080:'), binding('http', '[::1]:8080:'))], 'http', 8080),
    ).toEqual([]);
  });

  it('a host header takes only the requests for that name: the server’s own names and address', () => {
    const headers = [
      'mp01.corp.example',
      'MP01',
      '198.18.2.2',
      '*.corp.example',
      'intranet.corp.example',
      'mp01.other.example',
    ];
    const sites = [other(...headers.map((host) => binding('http', `*:8080:${host}`)))];
    expect(overlapsOf(sites, 'http', 8080)).toEqual([
      'takes the requests for mp01.corp.example [true]',
      'takes the requests for MP01 [true]',
      'takes the requests for 198.18.2.2 [true]',
      'takes the requests for *.corp.example [true]',
    ]);
    expect(overlapsOf([other(binding('http', '10.0.0.9:8080:mp01.corp.example'))], 'http', 8080)).toEqual([
      'takes the requests for mp01.corp.example sent to 10.0.0.9 [false]',
    ]);
  });

  it('https SNI and central-certificate-store bindings share the port by name', () => {
    const sni = { ...binding('https', '*:8443:adfs.corp.example'), sslFlags: 1 };
    const ccs = { ...binding('https', '*:8443:www.corp.example'), sslFlags: 3 };
    const own = { ...binding('https', '*:8443:mp01.corp.example'), sslFlags: 1 };
    expect(overlapsOf([other(sni, ccs, own)], 'https', 8443)).toEqual([
      'takes the requests for mp01.corp.example [true]',
    ]);
  });

  it('ftp and net.tcp hold the port, on ConfigMgr’s own site too; net.pipe and MSMQ hold none', () => {
    const sites = [
      dws(binding('net.tcp', '808:*'), binding('net.pipe', '*'), binding('net.msmq', 'localhost')),
      other(binding('ftp', '*:808:'), binding('msmq.formatname', 'localhost')),
    ];
    expect(overlapsOf(sites, 'http', 808)).toEqual([
      'the Net.Tcp Port Sharing Service holds port 808 [true]',
      'the FTP service holds port 808 on every address [true]',
    ]);
  });

  it('another scheme on the port breaks ConfigMgr’s whatever the host header', () => {
    expect(overlapsOf([other(binding('http', '*:8443:other.example'))], 'https', 8443)).toEqual([
      'serves http on port 8443, where ConfigMgr needs https [true]',
    ]);
  });

  it('says when the site is stopped, and leaves ConfigMgr’s own http.sys bindings alone', () => {
    const stopped = { ...other(binding('http', '*:8080:')), serverAutoStart: false };
    const [overlap] = bindingOverlaps(
      config(dws(binding('http', '*:8080:')), stopped),
      'http',
      8080,
      MP,
      isDws,
    );
    expect(overlap).toMatchObject({ stopped: true, site: { name: 'Other' } });
  });
});

describe('hostHeaderNamesServer', () => {
  it('matches a short-name plan host against FQDN headers by first label, and address hosts by address', () => {
    expect(hostHeaderNamesServer('mp01.corp.example', { host: 'mp01', addresses: null })).toBe(true);
    expect(hostHeaderNamesServer('mp02.corp.example', { host: 'mp01', addresses: null })).toBe(false);
    expect(hostHeaderNamesServer('198.18.2.2', { host: '198.18.2.2', addresses: ['198.18.2.2'] })).toBe(true);
    expect(hostHeaderNamesServer('*.example', { host: 'corp.example', addresses: null })).toBe(true);
    expect(hostHeaderNamesServer('*.corp.example', { host: 'corp.example', addresses: null })).toBe(false);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseApplicationHostConfig } from '../../src/evidence/parse-application-host-config.js';
import type { ApplicationHostConfig, IisBinding, IisSite } from '../../src/evidence/types.js';
import { InputError } from '../../src/shared/errors.js';
import { CORPUS_APPLICATION_HOST_DIR, describeCorpus } from './text-parser-fixtures.js';

/** Real files written by others (shared/corpus/SOURCES.md), read in place, never copied here. */
const CORPUS_DIR = CORPUS_APPLICATION_HOST_DIR;
const SAMPLES_DIR = fileURLToPath(new URL('../../samples/evidence/', import.meta.url));

const readCorpus = (prefix: string): string => {
  const name = readdirSync(CORPUS_DIR).find((file) => file.startsWith(prefix));
  if (name === undefined) throw new Error(`no corpus file ${prefix}* in ${CORPUS_DIR}`);
  return readFileSync(CORPUS_DIR + name, 'utf8');
};
const parseCorpus = (prefix: string) => parseApplicationHostConfig(readCorpus(prefix), `${prefix}.config`);
const parseSample = (folder: string) =>
  parseApplicationHostConfig(
    readFileSync(`${SAMPLES_DIR}${folder}/applicationHost.config`, 'utf8'),
    `${folder}/applicationHost.config`,
  );

const siteNamed = (config: ApplicationHostConfig, name: string): IisSite => {
  const site = config.sites.find((candidate) => candidate.name === name);
  if (site === undefined) throw new Error(`no site "${name}" in ${config.file}`);
  return site;
};
/** `protocol ip:port:host sslFlags` — compact enough to compare whole binding lists. */
const describeBinding = (binding: IisBinding) =>
  `${binding.protocol} ${binding.ip}:${binding.port ?? '-'}:${binding.host} ${binding.sslFlags}`;
const bindingsOf = (site: IisSite) => site.bindings.map(describeBinding);
/** The 1-based line of the first line of `text` that contains `needle`. */
const lineOf = (text: string, needle: string): number =>
  text.split(/\r\n|\r|\n/).findIndex((line) => line.includes(needle)) + 1;

/** Runs `parse` and returns the InputError it throws (failing when it throws anything else). */
function inputErrorOf(parse: () => unknown): InputError {
  try {
    parse();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError, but the text parsed');
}

describeCorpus(
  'real applicationHost.config files (shared corpus)',
  () => {
    it('parses every .config file of the corpus', () => {
      const configs = readdirSync(CORPUS_DIR).filter((name) => /\.config$/i.test(name));
      expect(configs.length).toBeGreaterThanOrEqual(10);
      for (const name of configs) {
        const config = parseApplicationHostConfig(readFileSync(CORPUS_DIR + name, 'utf8'), name);
        expect(config.sites.length, name).toBeGreaterThan(0);
      }
    });

    it('01: stopped Default Web Site on *:80: and three host-header sites sharing port 80', () => {
      const config = parseCorpus('01-');
      const dws = siteNamed(config, 'Default Web Site');
      expect(dws).toMatchObject({ id: 1, serverAutoStart: false });
      expect(bindingsOf(dws)).toEqual(['http *:80: 0']);
      const others = config.sites.filter((site) => site !== dws);
      expect(others.map((site) => [site.name, site.id, site.serverAutoStart])).toEqual([
        ['redisoncloud.com', 4, true],
        ['ikinci.com', 5, true],
        ['deneme.com', 6, true],
      ]);
      expect(bindingsOf(siteNamed(config, 'redisoncloud.com'))).toEqual([
        'http *:80:redisoncloud.com 0',
        'http *:80:www.redisoncloud.com 0',
      ]);
      expect(
        others.every((site) => site.bindings.every((binding) => binding.port === 80 && binding.host)),
      ).toBe(true);
    });

    it('01: sources are the lines of the start tags in the real file (LF endings)', () => {
      const text = readCorpus('01-');
      const config = parseApplicationHostConfig(text, 'corpus-01');
      const ikinci = siteNamed(config, 'ikinci.com');
      expect(ikinci.source).toEqual({ file: 'corpus-01', line: lineOf(text, '<site name="ikinci.com"') });
      expect(ikinci.source.line).toBe(208);
      expect(ikinci.bindings[1]?.source.line).toBe(lineOf(text, 'bindingInformation="*:80:www.ikinci.com"'));
      expect(ikinci.applications[0]?.source.line).toBe(209);
    });

    it('02: mysite.tbd adds https *:443:mysite.tbd with sslFlags 0 (CRLF endings)', () => {
      const text = readCorpus('02-');
      const site = siteNamed(parseApplicationHostConfig(text, '02'), 'mysite.tbd');
      expect(bindingsOf(site)).toEqual(['http *:80:mysite.tbd 0', 'https *:443:mysite.tbd 0']);
      expect(site.bindings[1]?.source.line).toBe(lineOf(text, '*:443:mysite.tbd'));
      expect(site.bindings[1]?.source.line).toBe(186);
      expect(site.applications).toEqual([
        expect.objectContaining({
          path: '/',
          applicationPool: 'mysite.tbd',
          virtualDirectories: [{ path: '/', physicalPath: 'C:\\inetpub\\wwwroot\\mysite.tbd' }],
        }),
      ]);
    });

    it('03: Default Web Site on http *:80: and https *:443: with sslFlags 0', () => {
      const config = parseCorpus('03-');
      expect(config.sites.map((site) => site.name)).toEqual(['Default Web Site']);
      expect(bindingsOf(siteNamed(config, 'Default Web Site'))).toEqual(['http *:80: 0', 'https *:443: 0']);
    });

    it('04, 08, 11: stock Default Web Site on *:80: only; 08 adds /001', () => {
      for (const prefix of ['04-', '08-', '11-']) {
        const config = parseCorpus(prefix);
        expect(
          config.sites.map((site) => site.name),
          prefix,
        ).toEqual(['Default Web Site']);
        expect(bindingsOf(siteNamed(config, 'Default Web Site')), prefix).toEqual(['http *:80: 0']);
      }
      const apps = siteNamed(parseCorpus('08-'), 'Default Web Site').applications;
      expect(apps.map((app) => [app.path, app.applicationPool])).toEqual([
        ['/', null],
        ['/001', 'DefaultAppPool'],
      ]);
    });

    it('07: third-party applications under the Default Web Site, at their lines', () => {
      const text = readCorpus('07-');
      const dws = siteNamed(parseApplicationHostConfig(text, '07'), 'Default Web Site');
      expect(dws.applications.map((app) => app.path)).toEqual([
        '/',
        '/csp',
        '/iris',
        '/iris/csp',
        '/iris/isc',
      ]);
      expect(dws.applications[4]?.source.line).toBe(lineOf(text, '<application path="/iris/isc"'));
      expect(dws.applications[4]?.virtualDirectories).toEqual([
        { path: '/', physicalPath: 'C:\\IRISSys\\csp' },
      ]);
    });

    it('09: no Default Web Site; one site with https *:443:*.cosoluce.fr', () => {
      const config = parseCorpus('09-');
      expect(config.sites).toHaveLength(1);
      expect(config.sites[0]).toMatchObject({ name: 'Supernova', id: 1, serverAutoStart: true });
      expect(bindingsOf(config.sites[0] as IisSite)).toEqual(['https *:443:*.cosoluce.fr 0']);
      expect(config.sites[0]?.applications[0]?.virtualDirectories.map((dir) => dir.path)).toEqual([
        '/',
        '/cdn',
      ]);
    });

    it('10: the 405-byte fragment binds the Default Web Site to *:8085: only', () => {
      const text = readCorpus('10-');
      expect(text).toHaveLength(405);
      const dws = siteNamed(parseApplicationHostConfig(text, '10'), 'Default Web Site');
      expect(bindingsOf(dws)).toEqual(['http *:8085: 0']);
      expect([dws.source.line, dws.bindings[0]?.source.line, dws.applications[0]?.source.line]).toEqual([
        4, 9, 5,
      ]);
    });

    it('12: the README excerpt is prose, refused at its first line; its <sites> block reads', () => {
      const text = readCorpus('12-');
      expect(inputErrorOf(() => parseApplicationHostConfig(text, '12')).problems[0]?.position.line).toBe(1);
      // Blank out everything outside <sites>…</sites>, keeping line breaks so lines stay the file's.
      const start = text.indexOf('<sites>');
      const end = text.indexOf('</sites>') + '</sites>'.length;
      const blanked = text.slice(0, start).replace(/[^\r\n]/g, ' ') + text.slice(start, end);
      const site = siteNamed(parseApplicationHostConfig(blanked, '12'), 'AlexaBridge');
      expect(bindingsOf(site)).toEqual([
        'http *:80:mysite.domain.com 0',
        'https 192.168.1.10:443:mysite.domain.com 0',
      ]);
      expect(site.bindings[1]?.source.line).toBe(lineOf(text, '192.168.1.10:443'));
    });

    it('13: IIS Express (BOM): empty IP reads as *, https *:44351:localhost', () => {
      const text = readCorpus('13-');
      expect(text.charCodeAt(0)).toBe(0xfeff);
      const config = parseApplicationHostConfig(text, '13');
      expect(bindingsOf(siteNamed(config, 'WebSite1'))).toEqual(['http *:8080:localhost 0']);
      expect(siteNamed(config, 'WebSite1').bindings[0]?.bindingInformation).toBe(':8080:localhost');
      expect(bindingsOf(siteNamed(config, 'WebAppWithAzureAD'))).toEqual([
        'http *:31884:localhost 0',
        'https *:44351:localhost 0',
      ]);
      expect(siteNamed(config, 'WebAppWithAzureAD').serverAutoStart).toBeNull();
    });
  },
  CORPUS_DIR,
);

describe('samples/evidence applicationHost.config files', () => {
  const CONFIGMGR_APPS = ['/SMS_MP', '/SMS_MP_AltAuth', '/CCM_CLIENT', '/SMS_DP_SMSPKG$', '/SMS_DP_SMSSIG$'];
  const MORE_CONFIGMGR_APPS = [
    '/NOCERT_SMS_DP_SMSPKG$',
    '/CMUserService',
    '/CMUserService_WindowsAuth',
    '/BGB',
  ];
  const appPaths = (site: IisSite) => site.applications.map((app) => app.path);

  it('mp-dp-default-web-site: MP and DP applications on the Default Web Site, 80 and 443', () => {
    const dws = siteNamed(parseSample('mp-dp-default-web-site'), 'Default Web Site');
    expect(bindingsOf(dws)).toEqual(['http *:80: 0', 'https *:443: 0']);
    expect(appPaths(dws)).toEqual(expect.arrayContaining(['/', ...CONFIGMGR_APPS, ...MORE_CONFIGMGR_APPS]));
    const smsMp = dws.applications.find((app) => app.path === '/SMS_MP');
    expect(smsMp?.applicationPool).toBe('SMS Management Point Pool');
  });

  it('third-party-on-dws: other applications on the Default Web Site and an Intranet site on 8080', () => {
    const config = parseSample('third-party-on-dws');
    expect(appPaths(siteNamed(config, 'Default Web Site'))).toEqual(
      expect.arrayContaining([...CONFIGMGR_APPS, '/CertSrv', '/HelpdeskPortal']),
    );
    expect(bindingsOf(siteNamed(config, 'Intranet'))).toEqual(['http *:8080: 0']);
  });

  it('smsweb and https-no-cert: ConfigMgr on SMSWEB (8080/8443); the Default Web Site keeps only /', () => {
    for (const folder of ['smsweb', 'https-no-cert']) {
      const config = parseSample(folder);
      const smsweb = siteNamed(config, 'SMSWEB');
      expect(bindingsOf(smsweb), folder).toEqual(['http *:8080: 0', 'https *:8443: 0']);
      expect(appPaths(smsweb), folder).toEqual(expect.arrayContaining(CONFIGMGR_APPS));
      expect(appPaths(siteNamed(config, 'Default Web Site')), folder).toEqual(['/']);
    }
    expect(bindingsOf(siteNamed(parseSample('smsweb'), 'Default Web Site'))).toEqual([
      'http *:80: 0',
      'https *:443: 0',
    ]);
    expect(bindingsOf(siteNamed(parseSample('https-no-cert'), 'Default Web Site'))).toEqual(['http *:80: 0']);
  });

  it('hyperv-excluded: ConfigMgr on the Default Web Site next to WSUS on 8530/8531', () => {
    const config = parseSample('hyperv-excluded');
    expect(bindingsOf(siteNamed(config, 'WSUS Administration'))).toEqual([
      'http *:8530: 0',
      'https *:8531: 0',
    ]);
    expect(appPaths(siteNamed(config, 'Default Web Site'))).toEqual(expect.arrayContaining(CONFIGMGR_APPS));
  });

  it('french-netsh (BOM, CRLF): specific-address https, non-socket WCF bindings, decoded references', () => {
    const dws = siteNamed(parseSample('french-netsh'), 'Default Web Site');
    expect(bindingsOf(dws)).toEqual([
      'http *:80: 0',
      'https 10.20.30.40:443: 0',
      'net.tcp *:808: 0',
      'net.pipe *:-: 0',
      'net.msmq *:-:localhost 0',
      'msmq.formatname *:-:localhost 0',
    ]);
    const pkg = dws.applications.find((app) => app.path === '/SMS_DP_SMSPKG$');
    expect(pkg?.virtualDirectories[0]?.physicalPath).toBe('D:\\Données\\SMSPKGD$');
  });
});

/** A minimal applicationHost.config around the given `<sites>` content. */
const wrap = (sites: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<configuration>\n  <system.applicationHost>\n    <sites>\n${sites}\n    </sites>\n  </system.applicationHost>\n</configuration>\n`;
const parseSites = (sites: string) => parseApplicationHostConfig(wrap(sites), 'test.config').sites;
const bindingsFor = (...bindings: string[]) =>
  bindingsOf(
    parseSites(`<site name="s" id="1"><bindings>${bindings.join('')}</bindings></site>`)[0] as IisSite,
  );

describe('parseApplicationHostConfig on written inputs', () => {
  it('splits bindingInformation: IPv6, wildcards, host headers, non-socket protocols', () => {
    const b = (protocol: string, info: string, extra = '') =>
      `<binding protocol="${protocol}" bindingInformation="${info}" ${extra}/>`;
    expect(
      bindingsFor(
        b('HTTP', '[::1]:80:'),
        b('https', '[2001:DB8::1]:443:host.example', 'sslFlags="1"'),
        b('http', '[::]:81:'),
        b('http', '0.0.0.0:82:'),
        b('https', '*:8443:*.corp.example', 'sslFlags="Sni, CentralCertStore"'),
        b('https', '*:443:', 'sslFlags="97"'),
        b('net.tcp', '808:*'),
        b('net.pipe', '*'),
        b('msmq.formatname', 'localhost'),
      ),
    ).toEqual([
      'http [::1]:80: 0',
      'https [2001:db8::1]:443:host.example 1',
      'http *:81: 0',
      'http *:82: 0',
      'https *:8443:*.corp.example 3',
      'https *:443: 97',
      'net.tcp *:808: 0',
      'net.pipe *:-: 0',
      'msmq.formatname *:-:localhost 0',
    ]);
  });

  it('inherits <siteDefaults> bindings unless the site clears them; defaults are not sites', () => {
    const sites = parseSites(`
      <site name="inherits" id="1"><bindings><binding protocol="http" bindingInformation="*:81:" /></bindings></site>
      <site name="clears" id="2"><bindings><binding protocol="http" bindingInformation="*:82:" /><clear /><binding protocol="http" bindingInformation="*:83:" /></bindings></site>
      <siteDefaults><bindings><binding protocol="http" bindingInformation="*:80:" /></bindings></siteDefaults>
      <applicationDefaults applicationPool="DefaultAppPool" />`);
    expect(sites.map((site) => [site.name, bindingsOf(site)])).toEqual([
      ['inherits', ['http *:80: 0', 'http *:81: 0']],
      ['clears', ['http *:83: 0']],
    ]);
    expect(sites[0]?.bindings[0]?.source.line).toBe(8);
  });

  it('reads fragments, any attribute order, decoded references, CR-only line ends', () => {
    const fragment =
      '<sites>\r<site id="7" serverAutoStart="TRUE" name="R&amp;D &#x263A;">\r' +
      '<application applicationPool="A&lt;B" path="/x"><virtualDirectory physicalPath="C:\\a&apos;b" path="/" /></application>\r' +
      '<bindings><binding bindingInformation="*:80:r&amp;d" protocol="http" /></bindings></site></sites>';
    const [site] = parseApplicationHostConfig(fragment, 'f').sites;
    expect(site).toMatchObject({ name: 'R&D ☺', id: 7, serverAutoStart: true, source: { line: 2 } });
    expect(site?.applications[0]).toMatchObject({ path: '/x', applicationPool: 'A<B', source: { line: 3 } });
    expect(site?.applications[0]?.virtualDirectories).toEqual([{ path: '/', physicalPath: "C:\\a'b" }]);
    expect(site?.bindings[0]).toMatchObject({
      host: 'r&d',
      bindingInformation: '*:80:r&d',
      source: { line: 4 },
    });
    const bare = '<system.applicationHost><sites><site name="x" id="1" /></sites></system.applicationHost>';
    expect(parseApplicationHostConfig(bare, 'g').sites).toHaveLength(1);
    expect(parseApplicationHostConfig(wrap(''), 'h').sites).toEqual([]);
  });
});

describe('parseApplicationHostConfig refuses bad input with a position', () => {
  const problemOf = (text: string) => {
    const problem = inputErrorOf(() => parseApplicationHostConfig(text, 'bad.config')).problems[0];
    return `${problem?.position.line}:${problem?.position.col} ${problem?.message}`;
  };

  it('refuses a DTD or entity declaration before parsing, at its position', () => {
    const dtd = '<?xml version="1.0"?>\n  <!DOCTYPE lolz [<!ENTITY lol "lol">]>\n<configuration/>';
    expect(problemOf(dtd)).toBe('2:3 XML with a DTD or entity declarations is refused (no entity expansion)');
    expect(problemOf('<configuration>\n<x><!ENTITY a "b"></x></configuration>')).toMatch(
      /^2:4 XML with a DTD/,
    );
    // Inside a comment it is text, not a declaration.
    expect(parseSites('<!-- <!DOCTYPE x> --><site name="a" id="1" />')).toHaveLength(1);
  });

  it('reports malformed XML where the parser finds it', () => {
    expect(problemOf(wrap('<site name="a" id="1">\n<bindings>\n</site>'))).toMatch(/^7:1 malformed XML: /);
    expect(problemOf('<configuration>\n  <sites>')).toMatch(/^\d+:\d+ malformed XML: .*sites/);
    expect(problemOf('Default Web Site *:80:')).toMatch(/^1:1 malformed XML/);
    expect(problemOf('')).toBe('1:1 empty file: expected an applicationHost.config (XML)');
    expect(problemOf('\uFEFF \r\n')).toMatch(/^1:1 empty file/);
    expect(problemOf('<web.config><sites2/></web.config>')).toMatch(/^1:1 not an applicationHost.config/);
  });

  it('refuses undefined entities and values IIS would not load, at the element', () => {
    expect(problemOf(wrap('<site name="&foo;" id="1" />'))).toMatch(/^5:1 name: undefined entity "&foo;"/);
    expect(problemOf(wrap('<site name="a" id="x" />'))).toBe('5:1 site "a": id "x" is not a number');
    expect(problemOf(wrap('<site name="a" serverAutoStart="yes" />'))).toMatch(/serverAutoStart "yes"/);
    const binding = (attributes: string) =>
      problemOf(wrap(`<site name="a" id="1"><bindings>\n  <binding ${attributes} /></bindings></site>`));
    expect(binding('protocol="http" bindingInformation="*:99999:"')).toMatch(
      /^6:3 http binding: .*not 1-65535/,
    );
    expect(binding('protocol="http" bindingInformation="[::1:80:"')).toMatch(/IPv6 address/);
    expect(binding('protocol="https" bindingInformation="*:443:" sslFlags="fast"')).toMatch(
      /sslFlags "fast"/,
    );
    expect(binding('protocol="http"')).toMatch(/<binding> has no bindingInformation attribute/);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { parseApplicationHostConfig } from '../../src/evidence/parse-application-host-config.js';
import type { ApplicationHostConfig, IisSite } from '../../src/evidence/types.js';
import { InputError } from '../../src/shared/errors.js';
import { CORPUS_EXTRA_DIR, describeCorpus } from './text-parser-fixtures.js';

/** shared/corpus-extra (SOURCES.md there): real files written by others, read in place, never copied. */
const APPHOST_DIR = `${CORPUS_EXTRA_DIR}applicationhost/`;

const files = () => [
  ...readdirSync(APPHOST_DIR).map((name) => ({ name, path: APPHOST_DIR + name })),
  {
    name: 'bundles/montejo/applicationHost.config',
    path: `${CORPUS_EXTRA_DIR}bundles/montejo/applicationHost.config`,
  },
];
const parseExtra = (prefix: string): ApplicationHostConfig => {
  const name = readdirSync(APPHOST_DIR).find((file) => file.startsWith(prefix));
  if (name === undefined) throw new Error(`no corpus-extra file ${prefix}*`);
  return parseApplicationHostConfig(readFileSync(APPHOST_DIR + name, 'utf8'), name);
};
const summaryOf = (site: IisSite) =>
  `${site.name}#${site.id}${site.serverAutoStart === false ? ' stopped' : ''} ` +
  site.bindings
    .map((b) => `${b.protocol} ${b.ip}:${b.port ?? '-'}:${b.host}${b.sslFlags ? ` ${b.sslFlags}` : ''}`)
    .join(', ');

/** The refusal as the CLI prints it: `file:line:col message`, or null when the file parsed. */
function refusalOf(name: string, path: string): string | null {
  try {
    parseApplicationHostConfig(readFileSync(path, 'utf8'), name);
    return null;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    expect(error.problems).toHaveLength(1);
    const [problem] = error.problems;
    return `${problem?.position.file}:${problem?.position.line}:${problem?.position.col} ${problem?.message}`;
  }
}

describeCorpus(
  'corpus-extra applicationHost.config files',
  () => {
    it('parses every file, or refuses it with one positioned line', () => {
      const refused = files().flatMap(({ name, path }) => {
        const refusal = refusalOf(name, path);
        if (refusal !== null) expect(refusal, name).not.toContain('\n');
        return refusal === null ? [] : [refusal.replace(/^\d\d-[^:]*/, (file) => file.slice(0, 3))];
      });
      expect(refused).toEqual([
        '33-:1:1 a bare <site> element, not an applicationHost.config: without <sites>, the other sites and <siteDefaults> are unknown',
        '34-:2:1 not an applicationHost.config: no configuration/system.applicationHost/sites element',
        '35-:2:1 an XDT transform (xmlns:xdt), not an applicationHost.config: its edits apply to another file',
        "36-:28:1 malformed XML: Closing tag 'configuration' has not been opened.",
        '37-:1:1 a bare <site> element, not an applicationHost.config: without <sites>, the other sites and <siteDefaults> are unknown',
      ]);
    });

    it('21: no Default Web Site, each site on its own address, two stopped, loopback https', () => {
      expect(parseExtra('21-').sites.map(summaryOf)).toEqual([
        'pubsprod.lmbps.com#1 http 10.16.32.193:80:, https 10.16.32.193:443:, net.tcp *:808:, net.pipe *:-:, net.msmq *:-:localhost, msmq.formatname *:-:localhost',
        'GUAM#2 http 10.16.32.194:80:, https 10.16.32.194:443:, https 127.0.0.1:443:',
        'pert-ncidc.lmbps.com#1563995918 stopped http 10.16.32.195:80:',
        'ncidc-guam.lmbps.com#4 stopped http 10.16.32.197:80:, https 10.16.32.197:443:',
        'pubstraining.cancer.gov#5 http 10.16.32.198:80:, https 10.16.32.198:443:, net.tcp *:808:, net.pipe *:-:, net.msmq *:-:localhost, msmq.formatname *:-:localhost',
        'GuamTraining#6 http 10.16.32.199:80:, https 10.16.32.199:443:',
      ]);
    });

    it('22-27: FTP site id 1, SNI, a host header, a stopped and a renamed Default Web Site, DWS with id 2', () => {
      expect(parseExtra('22-').sites.map(summaryOf)).toEqual([
        'hacksmartersec#2 http *:80:',
        'data-leaks#1 ftp *:21:',
      ]);
      expect(parseExtra('23-').sites.map(summaryOf)).toEqual([
        'Default Web Site#1 http *:80:, https *:443:aldongrove.100mountain.net 1',
      ]);
      expect(parseExtra('24-').sites.map(summaryOf)).toEqual([
        'Default Web Site#1 http *:80:',
        'rjwtool#2 http *:82:rjwchi-iisd03.rjwgroup.local',
      ]);
      expect(parseExtra('25-').sites.map(summaryOf)).toEqual([
        'Default Web Site#1 stopped http *:80:',
        'Test Site#2 http *:81:',
      ]);
      expect(parseExtra('26-').sites.map(summaryOf)).toEqual([
        'bti-eic-sql2#1 http *:80:',
        'test#2 http *:801:',
      ]);
      expect(parseExtra('27-').sites.map(summaryOf)).toEqual(['Default Web Site#2 http *:81:']);
    });

    it('05: empty-IP host-header bindings read as all addresses; WCF bindings other than net.tcp hold no port', () => {
      const sites = parseExtra('05-').sites;
      expect(sites).toHaveLength(62);
      expect(summaryOf(sites[0] as IisSite)).toBe(
        'Default Web Site#1 http *:80:, net.tcp *:808:, net.pipe *:-:, net.msmq *:-:localhost, msmq.formatname *:-:localhost',
      );
      const air = sites.find((site) => site.name === 'AIR');
      expect(air?.bindings[0]).toMatchObject({
        bindingInformation: ':80:www.AIR.DEV',
        ip: '*',
        port: 80,
        host: 'www.AIR.DEV',
      });
      const portless = sites
        .flatMap((site) => site.bindings)
        .filter((b) => ['net.pipe', 'net.msmq', 'msmq.formatname'].includes(b.protocol));
      expect(portless.length).toBeGreaterThan(0);
      expect(portless.every((b) => b.port === null)).toBe(true);
    });
  },
  APPHOST_DIR,
);

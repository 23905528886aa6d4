import { readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { parseApplicationHostConfig } from '../../../src/evidence/parse-application-host-config.js';
import type { ChangeSpec } from '../../../src/plan/index.js';
import { sslcert } from '../../support/bundles.js';
import { STANDARD_CHANGE, cannedFacts } from '../../support/facts.js';
import { HASH, fullBundle } from './cases.js';
import { CORPUS_EXTRA_DIR, describeCorpus } from '../../evidence/text-parser-fixtures.js';
import { run } from './support.js';

/** The IIS rules on real configurations of shared/corpus-extra (read in place, never copied). */

const sitesOf = (prefix: string) => {
  const dir = `${CORPUS_EXTRA_DIR}applicationhost/`;
  const name =
    prefix === 'montejo'
      ? '../bundles/montejo/applicationHost.config'
      : readdirSync(dir).find((f) => f.startsWith(prefix));
  if (name === undefined) throw new Error(`no corpus-extra file ${prefix}*`);
  return [
    ...parseApplicationHostConfig(readFileSync(dir + name, 'utf8'), 'bundle/applicationHost.config').sites,
  ];
};
/** The server `host`, resolved to `address`, with the bundle built around a real config. */
const onServer = (
  prefix: string,
  options: {
    host?: string;
    address?: string;
    change?: Partial<ChangeSpec>;
    sslcert?: ReturnType<typeof sslcert>[];
  } = {},
) => {
  const host = options.host ?? 'mp01.corp.example';
  const parts = { sites: sitesOf(prefix), ...(options.sslcert ? { sslcert: options.sslcert } : {}) };
  return cannedFacts({
    change: { ...STANDARD_CHANGE, ...options.change },
    endpoints: [{ host, address: options.address ?? '198.18.2.2', ports: {} }],
    bundles: { [host]: fullBundle(parts) },
  });
};
const messages = (rule: string, facts: ReturnType<typeof onServer>) =>
  run(rule, facts).map((finding) => `${finding.subject} ${finding.severity}: ${finding.message}`);
/** A server that moves to 80/443, so the configs' own bindings are on the new ports. */
const TO_80_443 = { http: { current: 8080, candidate: 80 }, https: { current: 8443, candidate: 443 } };

describeCorpus(
  'IIS rules on corpus-extra configurations',
  () => {
    it('21: no Default Web Site; each address is lost to its own site, stopped sites later, loopback never', () => {
      const facts = onServer('21-', {
        host: 'pubsprod.lmbps.com',
        address: '10.16.32.193',
        change: TO_80_443,
      });
      expect(messages('IIS-DEFAULT-WEB-SITE-MISSING', facts)).toEqual([
        expect.stringMatching(
          /no IIS site named Default Web Site \(site id 1 is "pubsprod\.lmbps\.com" \(http 10\.16\.32\.193:80:, https 10\.16\.32\.193:443:, net\.tcp 808:\*/,
        ),
      ]);
      expect(messages('IIS-BINDING-CONFLICT', facts)).toEqual([
        expect.stringMatching(
          /^pubsprod\.lmbps\.com:tcp\/80 no-go: .*"pubsprod\.lmbps\.com" \(http 10\.16\.32\.193:80:\) takes the requests sent to 10\.16\.32\.193\./,
        ),
        expect.stringMatching(
          /^pubsprod\.lmbps\.com:tcp\/443 no-go: .*\(https 10\.16\.32\.193:443:\) takes the requests sent to 10\.16\.32\.193\./,
        ),
      ]);
      const other = messages('IIS-BINDING-OTHER-ADDRESS', facts);
      expect(other[0]).toMatch(
        /"GUAM" \(http 10\.16\.32\.194:80:\) takes the requests sent to 10\.16\.32\.194; "pubstraining\.cancer\.gov" \(http 10\.16\.32\.198:80:\)/,
      );
      expect(other[1]).not.toMatch(/127\.0\.0\.1/);
      expect(messages('IIS-BINDING-CONFLICT-STOPPED', facts)).toEqual([
        expect.stringMatching(
          /tcp\/80 condition: .*"pert-ncidc\.lmbps\.com" \(http 10\.16\.32\.195:80:\) takes the requests sent to 10\.16\.32\.195; "ncidc-guam\.lmbps\.com"/,
        ),
        expect.stringMatching(
          /tcp\/443 condition: .*"ncidc-guam\.lmbps\.com" \(https 10\.16\.32\.197:443:\)/,
        ),
      ]);
    });

    it('21 offline (addresses unknown): the IP-bound bindings are undecided, not guessed', () => {
      const facts = cannedFacts({
        change: { ...STANDARD_CHANGE, ...TO_80_443 },
        bundles: { 'pubsprod.lmbps.com': fullBundle({ sites: sitesOf('21-') }) },
      });
      expect(run('IIS-BINDING-CONFLICT', facts)).toEqual([]);
      expect(run('IIS-BINDING-OTHER-ADDRESS', facts).map((f) => f.severity)).toEqual([
        'incomplete',
        'incomplete',
      ]);
    });

    it('25: the stopped Default Web Site is a finding citing its line; 26 and 22: renamed, or site id 1 is FTP', () => {
      const stopped = run('IIS-SITE-STOPPED', onServer('25-'));
      expect(stopped.map((f) => [f.severity, f.subject])).toEqual([
        ['condition', 'mp01.corp.example:Default Web Site'],
      ]);
      expect(stopped[0]?.evidence).toEqual([expect.stringMatching(/^bundle\/applicationHost\.config:\d+$/)]);
      expect(messages('IIS-DEFAULT-WEB-SITE-MISSING', onServer('26-'))).toEqual([
        expect.stringMatching(/\(site id 1 is "bti-eic-sql2" \(http \*:80:\)\)/),
      ]);
      expect(messages('IIS-DEFAULT-WEB-SITE-MISSING', onServer('22-'))).toEqual([
        expect.stringMatching(/\(site id 1 is "data-leaks" \(ftp \*:21:\)\)/),
      ]);
      // 27: recreated as id 2, but there by name.
      expect(run('IIS-DEFAULT-WEB-SITE-MISSING', onServer('27-'))).toEqual([]);
    });

    it('24: a host header equal to the server’s own FQDN takes its requests; for another server it does not', () => {
      const change = { http: { current: 80, candidate: 82 } };
      expect(
        messages('IIS-BINDING-CONFLICT', onServer('24-', { host: 'rjwchi-iisd03.rjwgroup.local', change })),
      ).toEqual([
        expect.stringMatching(
          /"rjwtool" \(http \*:82:rjwchi-iisd03\.rjwgroup\.local\) takes the requests for rjwchi-iisd03\.rjwgroup\.local/,
        ),
      ]);
      expect(
        messages('IIS-BINDING-CONFLICT', onServer('24-', { host: 'RJWCHI-IISD03', change })),
      ).toHaveLength(1);
      expect(run('IIS-BINDING-CONFLICT', onServer('24-', { change }))).toEqual([]);
    });

    it('05: host-header sites on 80 leave the server’s name alone; net.tcp holds 808, on the Default Web Site too', () => {
      expect(run('IIS-BINDING-CONFLICT', onServer('05-', { change: TO_80_443 }))).toEqual([
        expect.objectContaining({
          subject: 'mp01.corp.example:tcp/443',
          message: expect.stringMatching(/"CCSService" \(https \*:443:\) takes every request/),
        }),
      ]);
      expect(
        messages('IIS-BINDING-CONFLICT', onServer('05-', { host: 'www.air.dev', change: TO_80_443 }))[0],
      ).toMatch(/tcp\/80 .*"AIR" \(http :80:www\.AIR\.DEV\) takes the requests for www\.AIR\.DEV/);
      const netTcp = messages(
        'IIS-BINDING-CONFLICT',
        onServer('05-', { change: { http: { current: 80, candidate: 808 } } }),
      );
      expect(netTcp[0]).toMatch(
        /"Default Web Site" \(net\.tcp 808:\*\) the Net\.Tcp Port Sharing Service holds port 808/,
      );
    });

    it('montejo: *:81: takes every request, 172.16.5.20:81: only that address', () => {
      const facts = onServer('montejo', {
        address: '172.16.4.20',
        change: { http: { current: 80, candidate: 81 } },
      });
      expect(messages('IIS-BINDING-CONFLICT', facts)).toEqual([
        expect.stringMatching(
          /^mp01\.corp\.example:tcp\/81 no-go: .*IIS: "TimeHCancun" \(http \*:81:\) takes every request on port 81 \(only one of the two sites can start\)\. Those/,
        ),
      ]);
      expect(messages('IIS-BINDING-OTHER-ADDRESS', facts)).toEqual([
        expect.stringMatching(
          /"TimeHCancun" \(http 172\.16\.5\.20:81:\) takes the requests sent to 172\.16\.5\.20\.\s+mp01\.corp\.example resolves to 172\.16\.4\.20/,
        ),
      ]);
    });

    it('23: a Default Web Site on SNI gets a hostname:port certificate line', () => {
      const sni = { ...sslcert('aldongrove.100mountain.net', 443, HASH), kind: 'hostnameport' as const };
      const [finding] = run('HTTPSYS-NO-CERTIFICATE', onServer('23-', { sslcert: [sni] }));
      expect(finding?.message).toMatch(/lists no hostname:port aldongrove\.100mountain\.net:8443/);
      expect(finding?.remediation).toContain(
        `netsh http add sslcert hostnameport=aldongrove.100mountain.net:8443 certhash=${HASH} appid='{4dc3e181-e14b-4a21-b022-59fc669b0914}' certstorename=MY`,
      );
    });
  },
  CORPUS_EXTRA_DIR,
);

import { describe, expect, it } from 'vitest';
import { parseExcludedPortRange } from '../../../src/evidence/parse-excluded-port-range.js';
import { parseNetstat } from '../../../src/evidence/parse-netstat.js';
import { describeCorpus, readCorpusExtra } from '../../evidence/text-parser-fixtures.js';
import { fullBundle, withChange } from './cases.js';
import { run } from './support.js';

/**
 * The Windows port rules on real outputs of corpus-extra (read in place): which excluded range blocks a
 * bind, and who a listener is.
 */

const excluded = (prefix: string) => {
  const { text, file } = readCorpusExtra(prefix);
  return parseExcludedPortRange(text, file);
};
const listeners = (prefix: string, completeLinesOnly = false) => {
  const { text, file } = readCorpusExtra(prefix);
  return parseNetstat(completeLinesOnly ? text.slice(0, text.lastIndexOf('\n') + 1) : text, file);
};

/** The change 80→`http`, 443→8443 with one bundle for mp01. */
const onPort = (http: number, bundle: ReturnType<typeof fullBundle>) =>
  withChange({ http: { current: 80, candidate: http } }, { bundles: { 'mp01.corp.example': bundle } });

const rulesOn = (http: number, bundle: ReturnType<typeof fullBundle>, ids: readonly string[]) =>
  ids.flatMap((id) =>
    run(id, onPort(http, bundle))
      .filter((f) => f.subject === `mp01.corp.example:tcp/${http}`)
      .map((f) => `${f.rule} ${f.severity}`),
  );

const EXCLUSION_RULES = ['WIN-EXCLUDED-PORT', 'WIN-ADMINISTERED-EXCLUSION', 'WIN-DYNAMIC-PORT'];
const LISTENER_RULES = ['WIN-PORT-IN-USE', 'WIN-PORT-OWNER-UNKNOWN', 'WIN-PORT-HTTPSYS-UNNAMED'];

describeCorpus('Windows port rules on corpus-extra outputs', () => {
  describe('excluded ranges', () => {
    it('the administered 50000-50059 lets the bind through where the Hyper-V range next to it blocks', () => {
      const bundle = fullBundle({
        excludedTcp: excluded('outputs/netsh-int-ipv4-show-excludedportrange-13'),
      });
      // The asker's net.Listen() worked only in the administered range.
      expect(rulesOn(50010, bundle, EXCLUSION_RULES)).toEqual(['WIN-ADMINISTERED-EXCLUSION info']);
      expect(rulesOn(49700, bundle, EXCLUSION_RULES)).toEqual([
        'WIN-EXCLUDED-PORT no-go',
        'WIN-DYNAMIC-PORT condition',
      ]);
      const [blocked] = run('WIN-EXCLUDED-PORT', onPort(49700, bundle));
      expect(blocked?.message).toMatch(
        /range 49671-49770 \(a dynamic exclusion \(Hyper-V, WinNAT, WSL, Docker\)\)/,
      );
      expect(blocked?.evidence).toEqual([
        'netsh-int-ipv4-show-excludedportrange-13-so-administered-port-exclusions-question.txt:10',
      ]);
    });

    it('80 and 443 held by container port mappings, 8080 added by docker run: no-go, with the WinNAT reservation', () => {
      const before = fullBundle({
        excludedTcp: excluded('outputs/netsh-int-ipv4-show-excludedportrange-11'),
      });
      expect(rulesOn(443, before, EXCLUSION_RULES)).toEqual(['WIN-EXCLUDED-PORT no-go']);
      const session = fullBundle({
        excludedTcp: excluded('outputs/netsh-int-ipv4-show-excludedportrange-12'),
      });
      const [finding] = run('WIN-EXCLUDED-PORT', onPort(8080, session));
      expect(finding?.evidence).toEqual([
        'netsh-int-ipv4-show-excludedportrange-12-docker-for-win-issue1707-session.txt:29',
      ]);
      expect(finding?.remediation).toMatch(
        /net stop winnat; netsh int ipv4 add excludedportrange protocol=tcp startport=8080 numberofports=1; net start winnat/,
      );
      expect(rulesOn(8080, before, EXCLUSION_RULES)).toEqual([]);
    });

    it('the montejo bundle: 8884 is a non-administered exclusion, 8885 is free', () => {
      const bundle = fullBundle({ excludedTcp: excluded('bundles/montejo/excludedportrange-tcp.txt') });
      expect(rulesOn(8884, bundle, EXCLUSION_RULES)).toEqual(['WIN-EXCLUDED-PORT no-go']);
      expect(rulesOn(8885, bundle, EXCLUSION_RULES)).toEqual([]);
    });
  });

  describe('listeners', () => {
    it('netstat -ab: a named program is in use, "Can not obtain ownership information" is unknown', () => {
      const bundle = fullBundle({ listeners: listeners('outputs/netstat-ab-13') });
      expect(rulesOn(8080, bundle, LISTENER_RULES)).toEqual(['WIN-PORT-IN-USE no-go']);
      expect(run('WIN-PORT-IN-USE', onPort(8080, bundle))[0]?.message).toMatch(
        /ApplicationWebServer\.exe listens on 0\.0\.0\.0:8080/,
      );
      expect(rulesOn(7680, bundle, LISTENER_RULES)).toEqual(['WIN-PORT-OWNER-UNKNOWN condition']);
      expect(run('WIN-PORT-OWNER-UNKNOWN', onPort(7680, bundle))[0]?.evidence).toEqual([
        'netstat-ab-13-wsl-issue7377-PARTIAL.txt:24',
      ]);
    });

    it('netstat -an (Russian, no PID column): every listener has an unknown owner', () => {
      const bundle = fullBundle({ listeners: listeners('outputs/netstat-an-14') });
      expect(rulesOn(8733, bundle, LISTENER_RULES)).toEqual(['WIN-PORT-OWNER-UNKNOWN condition']);
    });

    it('netstat -ano (Korean): PID 4 on 9001 is http.sys for nobody the evidence names; PID 4356 on 808 is a program', () => {
      const bundle = fullBundle({ listeners: listeners('outputs/netstat-ano-01', true) });
      expect(rulesOn(9001, bundle, LISTENER_RULES)).toEqual(['WIN-PORT-HTTPSYS-UNNAMED condition']);
      expect(rulesOn(808, bundle, LISTENER_RULES)).toEqual(['WIN-PORT-IN-USE no-go']);
      expect(run('WIN-PORT-IN-USE', onPort(808, bundle))[0]?.message).toMatch(
        /a process \(PID 4356\) listens on 0\.0\.0\.0:808/,
      );
      // Without applicationHost.config the owner could be an IIS site: incomplete, not a finding.
      const noConfig = fullBundle({ sites: undefined, listeners: listeners('outputs/netstat-ano-01', true) });
      expect(run('WIN-PORT-HTTPSYS-UNNAMED', onPort(9001, noConfig)).map((f) => f.severity)).toEqual([
        'incomplete',
      ]);
    });

    it('a non-System PID on 80/443 is another program (MeshCentral #506)', () => {
      const bundle = fullBundle({ listeners: listeners('outputs/netstat-ano-11') });
      expect(rulesOn(443, bundle, LISTENER_RULES)).toEqual(['WIN-PORT-IN-USE no-go']);
    });
  });
});

describe('CM-WELL-KNOWN-PORT is per protocol', () => {
  const wellKnown = (http: number, https: number) =>
    run(
      'CM-WELL-KNOWN-PORT',
      withChange({ http: { current: 80, candidate: http }, https: { current: 443, candidate: https } }),
    ).map((f) => f.message.replace(/:.*?: /, ': '));

  it('warns on net.tcp 808, WMSvc 8172, WSUS, SQL, SMB, RPC and client notification ports', () => {
    for (const port of [808, 8172, 8530, 8531, 1433, 445, 135, 10123])
      expect(wellKnown(port, 8443), String(port)).toHaveLength(1);
  });

  it('warns on HTTP on 443 and HTTPS on 80, not on HTTP 80 and HTTPS 443', () => {
    expect(wellKnown(443, 80)).toEqual([
      expect.stringMatching(
        /^Candidate HTTP port 443 .*plain HTTP on the port where clients, proxies and firewalls expect TLS/,
      ),
      expect.stringMatching(
        /^Candidate HTTPS port 80 .*TLS on the port where clients, proxies and firewalls expect plain HTTP/,
      ),
    ]);
    expect(wellKnown(8080, 443)).toEqual([]);
  });

  it('does not take the UDP wake-up ports (9, 25536) for TCP ones', () => {
    expect(wellKnown(9, 25536)).toEqual([]);
  });
});

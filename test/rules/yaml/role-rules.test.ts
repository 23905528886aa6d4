import { describe, expect, it } from 'vitest';
import { buildProgram, type CheckFlags } from '../../../src/cli/program.js';
import { buildAdhocSpec } from '../../../src/plan/index.js';
import type { SiteSystemRole } from '../../../src/plan/schema.js';
import { CONFIGMGR_DWS, binding, listener, site, sslcert } from '../../support/bundles.js';
import { STANDARD_CHANGE, cannedFacts } from '../../support/facts.js';
import { HASH, HOST, fullBundle, range, reservation } from './cases.js';
import { YAML_RULES, run } from './support.js';

/** A bundle on which every IIS, http.sys and Windows port rule fires for a server that uses IIS. */
const EVERYTHING_WRONG = fullBundle({
  sites: [
    site('Default Web Site', [binding('http', '*:80:'), binding('http', '*:8080:', 11)], ['/', '/Legacy']),
    site('Intranet', [binding('http', '*:8080:', 31)]),
  ],
  sslcert: [sslcert('0.0.0.0', 443, HASH)],
  urlacl: [reservation('http://+:8080/ReportServer/', 8080)],
  excludedTcp: [range(8039, 8138)],
  dynamicTcp: { start: 1024, count: 64511, source: { file: 'bundle/dynamicport-tcp.txt', line: 4 } },
  listeners: [listener(8080, 2212, 'tomcat9')],
});

/** The same with another certificate than today's on the candidate HTTPS port. */
const OTHER_CERTIFICATE = {
  ...EVERYTHING_WRONG,
  sslcert: [sslcert('0.0.0.0', 443, HASH), sslcert('0.0.0.0', 8443, 'ab'.repeat(20))],
};

/** Windows port state the rules above do not show: an administered exclusion, listeners of unknown owners. */
const WINDOWS_STATE = fullBundle({
  excludedTcp: [range(8080, 8080, true)],
  listeners: [{ ...listener(8443, 0, null), pid: null }, listener(8080, 4, null)],
});

/** IIS state: ConfigMgr's site and another stopped, a site on one other address, a narrow listen list. */
const stopped = (stoppedSite: ReturnType<typeof site>) => ({ ...stoppedSite, serverAutoStart: false });
const IIS_STATE = fullBundle({
  sites: [
    stopped(CONFIGMGR_DWS),
    stopped(site('Old', [binding('http', '*:8080:', 31)])),
    site('Api', [binding('http', '10.0.0.9:8080:', 41)]),
  ],
  iplisten: [{ address: '10.0.0.9', source: { file: 'bundle/iplisten.txt', line: 4 } }],
});
const NO_DEFAULT_WEB_SITE = fullBundle({ sites: [site('bti-eic-sql2', [binding('http', '*:80:', 6)])] });

const SERVER_RULES = YAML_RULES.filter((rule) => /^(IIS|HTTPSYS|WIN)-/.test(rule.id)).map((rule) => rule.id);

const onServer = (roles: SiteSystemRole[], customWebsite: boolean | null, evidence = EVERYTHING_WRONG) =>
  cannedFacts({
    change: { ...STANDARD_CHANGE, customWebsite },
    // The server's name resolved, so that bindings and listen lists can be matched to its addresses.
    endpoints: [{ ports: {} }],
    bundles: { [HOST]: evidence },
    serverRoles: roles,
  });
const EVIDENCE_VARIANTS = [
  EVERYTHING_WRONG,
  OTHER_CERTIFICATE,
  WINDOWS_STATE,
  IIS_STATE,
  NO_DEFAULT_WEB_SITE,
];

const firing = (facts: Parameters<typeof run>[1]) => new Set(run(null, facts).map((finding) => finding.rule));

describe('which servers need IIS', () => {
  it('the IIS, http.sys and Windows port rules fire on a server whose roles use IIS for clients', () => {
    const ids = new Set(
      EVIDENCE_VARIANTS.flatMap((evidence) => [...firing(onServer(['management-point'], false, evidence))]),
    );
    for (const id of SERVER_RULES.filter((id) => !/SMSWEB/.test(id))) expect(ids, id).toContain(id);
    expect(firing(onServer(['distribution-point'], true))).toContain('IIS-SMSWEB-MISSING');
  });

  it.each([
    [['site-database-server'], false],
    [['site-database-server', 'sms-provider'], true],
    [['site-server', 'cmg-connection-point'], true],
    [['reporting-services-point'], false],
  ] as [SiteSystemRole[], boolean][])(
    'stay quiet on a server whose only roles are %j (custom website: %s)',
    (roles, customWebsite) => {
      const ids = new Set(
        EVIDENCE_VARIANTS.flatMap((evidence) => [...firing(onServer(roles, customWebsite, evidence))]),
      );
      for (const id of SERVER_RULES) expect(ids, id).not.toContain(id);
    },
  );

  it('the reporting services point uses IIS only with the custom website (it then uses SMSWEB)', () => {
    expect(firing(onServer(['reporting-services-point'], true))).toContain('IIS-SMSWEB-MISSING');
  });

  it('an ad-hoc host (roles unknown) is checked as the IIS site system it is probed as', () => {
    expect(firing(onServer([], null))).toContain('IIS-BINDING-CONFLICT');
  });

  it('a bundle without applicationHost.config is incomplete only on a server that uses IIS', () => {
    const noConfig = (roles: SiteSystemRole[]) =>
      run(
        'IIS-BINDING-CONFLICT',
        cannedFacts({ bundles: { [HOST]: fullBundle({ sites: undefined }) }, serverRoles: roles }),
      ).map((finding) => finding.severity);
    expect(noConfig(['management-point'])).toEqual(['incomplete', 'incomplete']);
    expect(noConfig(['site-database-server'])).toEqual([]);
  });
});

describe('internet clients', () => {
  it('CM-INTERNET-HTTPS-PORT: clients counted on the internet with no CMG can only use an internet-facing MP', () => {
    const [finding] = run(
      'CM-INTERNET-HTTPS-PORT',
      cannedFacts({ clients: { internetOnly: 5, onInternet: 210 } }),
    );
    expect(finding?.message).toMatch(
      /connect to an internet-facing management point \(the plan counts 215 client\(s\) on the internet, marks no management point internetFacing and lists no CMG connection point\) directly/,
    );
  });

  it('CM-CMG-CONNECTION-POINT prints a check that the CLI runs as printed', async () => {
    const facts = cannedFacts({
      change: { ...STANDARD_CHANGE, https: { current: 443, candidate: 8443, alternate: 9443 } },
      endpoints: [{ ports: { '443': 'open', '8443': 'open', '9443': 'open' } }],
      systems: [{ host: 'cmgcp01.corp.example', systemRoles: ['cmg-connection-point'] }],
    });
    const [finding] = run('CM-CMG-CONNECTION-POINT', facts);
    const command = /run: (portflight check .*)$/.exec(finding?.remediation ?? '')?.[1] ?? '';
    expect(command).toBe(
      'portflight check mp01.corp.example --current-https 443 --https 8443 --alt-https 9443',
    );

    let parsed: { hosts: string[]; flags: CheckFlags } | undefined;
    const ignore = async () => undefined;
    const program = buildProgram({
      check: async (hosts, flags) => {
        parsed = { hosts, flags };
      },
      scan: ignore,
      collect: ignore,
      listen: ignore,
      demo: ignore,
      rulesList: ignore,
      rulesExplain: ignore,
      merge: ignore,
      diff: ignore,
      keygen: ignore,
      verify: ignore,
    });
    await program.parseAsync(command.split(' ').slice(1), { from: 'user' });
    const spec = buildAdhocSpec({ hosts: parsed?.hosts ?? [], ...parsed?.flags });
    expect(spec.targets.map((target) => target.host)).toEqual(['mp01.corp.example']);
    expect(spec.targets[0]?.ports.map((p) => `${p.port}:${p.roles.join('+')}`)).toEqual([
      '443:current-https',
      '8443:candidate-https',
      '9443:alternate-https',
    ]);
  });
});

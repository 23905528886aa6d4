import { describe, expect, it } from 'vitest';
import { CONFIGMGR_DWS, binding, bundle, listener, site, sslcert } from '../../support/bundles.js';
import { cannedFacts } from '../../support/facts.js';
import { HASH, fullBundle, range, reservation, withBundle, withResolvedBundle } from './cases.js';
import { YAML_RULES, run } from './support.js';

/** The scenarios of test/rules/evidence-rules.test.ts, against the YAML rules. */
describe('evidence rules (YAML)', () => {
  it('IIS-BINDING-CONFLICT names each conflicting site, what it takes, and cites its line', () => {
    const facts = withResolvedBundle(
      fullBundle({
        sites: [
          CONFIGMGR_DWS,
          site('Intranet', [binding('http', '*:8080:', 31)]),
          site('Api', [binding('http', '198.18.2.2:8443:', 41)]),
        ],
      }),
    );
    const findings = run('IIS-BINDING-CONFLICT', facts);
    expect(findings.map((f) => f.message)).toEqual([
      expect.stringMatching(
        /Candidate HTTP port 8080 .* "Intranet" \(http \*:8080:\) takes every request on port 8080 \(only one of the two sites can start\)/,
      ),
      expect.stringMatching(
        /Candidate HTTPS port 8443 .* "Api" \(http 198\.18\.2\.2:8443:\) serves http on port 8443 for the requests sent to 198\.18\.2\.2, where ConfigMgr needs https/,
      ),
    ]);
    expect(findings[0]?.evidence).toEqual(['bundle/applicationHost.config:31']);
  });

  it('IIS-DEFAULT-WEB-SITE-SHARED lists the foreign applications and cites each', () => {
    const dws = site(
      'Default Web Site',
      [binding('http', '*:80:')],
      ['/', '/SMS_MP', '/ReportServer', '/Reports'],
    );
    const [finding] = run('IIS-DEFAULT-WEB-SITE-SHARED', withBundle(fullBundle({ sites: [dws] })));
    expect(finding?.message).toMatch(/also carries \/ReportServer, \/Reports/);
    expect(finding?.evidence).toHaveLength(2);
  });

  it('the custom website checks (once IIS-CUSTOM-WEBSITE) say what is wrong, one rule each', () => {
    const custom = (f: { rule: string }) => /SMSWEB/.test(f.rule);
    const missing = run(null, withBundle(fullBundle(), true)).filter(custom);
    expect(missing.map((f) => [f.rule, f.message])).toEqual([
      ['IIS-SMSWEB-MISSING', expect.stringMatching(/no IIS site named SMSWEB/)],
    ]);

    const sites = [
      site('Default Web Site', [binding('http', '*:8080:', 11)]),
      site('SMSWEB', [binding('http', '*:8080:', 51)], ['/', '/SMS_MP']),
    ];
    const findings = run(null, withBundle(fullBundle({ sites }), true)).filter(custom);
    expect(findings.map((f) => [f.rule, f.message])).toEqual([
      [
        'IIS-DWS-SMSWEB-SAME-PORT',
        expect.stringMatching(/Default Web Site on mp01\.corp\.example is bound to port 8080 too/),
      ],
      [
        'IIS-SMSWEB-NOT-BOUND',
        expect.stringMatching(/SMSWEB on mp01\.corp\.example has no https binding on port 8443/),
      ],
    ]);
    expect(findings[0]?.evidence).toEqual(['bundle/applicationHost.config:11']);
  });

  it('the custom website must hold unchanged request ports too, not alternates', () => {
    const change = {
      http: { current: 80, candidate: 80 },
      https: { current: 443, candidate: 8443, alternate: 9443 },
      customWebsite: true,
      clientNotificationPort: 10123,
      wakeUp: null,
    };
    const smsweb = site('SMSWEB', [binding('https', '*:8443:')]);
    const facts = cannedFacts({ change, bundles: { mp01: fullBundle({ sites: [CONFIGMGR_DWS, smsweb] }) } });
    expect(run('IIS-SMSWEB-NOT-BOUND', facts).map((f) => f.subject)).toEqual(['mp01:SMSWEB:80']);
    expect(run('IIS-DWS-SMSWEB-SAME-PORT', facts).map((f) => f.message)).toEqual([
      expect.stringMatching(/bound to port 80 too \(http \*:80:\)/),
    ]);
  });

  it('HTTPSYS-NO-CERTIFICATE gives the netsh line to paste, and cites today’s binding', () => {
    const [finding] = run(
      'HTTPSYS-NO-CERTIFICATE',
      withBundle(fullBundle({ sslcert: [sslcert('0.0.0.0', 443, HASH)] })),
    );
    expect(finding?.message).toMatch(/Candidate HTTPS port 8443 .* no certificate binding/);
    expect(finding?.remediation).toContain(`netsh http add sslcert ipport=0.0.0.0:8443 certhash=${HASH}`);
    expect(finding?.evidence).toEqual(['bundle/sslcert.txt', 'bundle/sslcert.txt:3']);
  });

  it('HTTPSYS-NO-CERTIFICATE is incomplete for a bundle without sslcert.txt, and quiet without any bundle', () => {
    const findings = run('HTTPSYS-NO-CERTIFICATE', withBundle(bundle({ sites: [CONFIGMGR_DWS] })));
    expect(findings).toEqual([
      expect.objectContaining({
        rule: 'HTTPSYS-NO-CERTIFICATE',
        severity: 'incomplete',
        subject: 'mp01.corp.example:tcp/8443',
        message: expect.stringMatching(/could not be decided: port\.certificateBindings not gathered/),
      }),
    ]);
    expect(run('HTTPSYS-NO-CERTIFICATE', cannedFacts({ endpoints: [{ ports: { '443': 'open' } }] }))).toEqual(
      [],
    );
  });

  it('HTTPSYS-CERTIFICATE-DIFFERS notes another certificate on the new port only', () => {
    const bindings = [sslcert('0.0.0.0', 443, HASH), sslcert('0.0.0.0', 8443, 'ab'.repeat(20))];
    expect(
      run('HTTPSYS-CERTIFICATE-DIFFERS', withBundle(fullBundle({ sslcert: bindings })))[0]?.message,
    ).toMatch(/bound to certificate abab/);
    const same = [sslcert('0.0.0.0', 443, HASH), sslcert('0.0.0.0', 8443, HASH)];
    expect(run('HTTPSYS-CERTIFICATE-DIFFERS', withBundle(fullBundle({ sslcert: same })))).toEqual([]);
  });

  it('WIN-PORT-IN-USE names the program, not http.sys', () => {
    const [finding] = run(
      'WIN-PORT-IN-USE',
      withBundle(fullBundle({ listeners: [listener(8080, 2212, 'tomcat9')] })),
    );
    expect(finding?.message).toMatch(/tomcat9 \(PID 2212\) listens on 0\.0\.0\.0:8080/);
    expect(finding?.evidence).toEqual(['bundle/netstat.txt:7']);
  });

  it('WIN-EXCLUDED-PORT and WIN-DYNAMIC-PORT report each covered port', () => {
    const findings = run(
      'WIN-EXCLUDED-PORT',
      withBundle(fullBundle({ excludedTcp: [range(8039, 8138), range(8405, 8504)] })),
    );
    expect(findings.map((f) => f.subject)).toEqual([
      'mp01.corp.example:tcp/8080',
      'mp01.corp.example:tcp/8443',
    ]);
    expect(findings[0]?.message).toMatch(/excluded TCP range 8039-8138 \(a dynamic exclusion/);
    // An administered range does not refuse the bind: no NO-GO, and no advice to delete it.
    const administered = withBundle(fullBundle({ excludedTcp: [range(8080, 8080, true)] }));
    expect(run('WIN-EXCLUDED-PORT', administered)).toEqual([]);
    expect(run('WIN-ADMINISTERED-EXCLUSION', administered)).toEqual([
      expect.objectContaining({ severity: 'info', evidence: ['bundle/excludedportrange-tcp.txt:6'] }),
    ]);

    const low = { start: 1024, count: 64511, source: { file: 'bundle/dynamicport-tcp.txt', line: 4 } };
    const dynamic = run('WIN-DYNAMIC-PORT', withBundle(fullBundle({ dynamicTcp: low })));
    expect(dynamic).toHaveLength(2);
    expect(dynamic[0]?.evidence).toEqual(['bundle/dynamicport-tcp.txt:4']);
  });

  it('HTTPSYS-URL-RESERVED names the reservation and its users', () => {
    const [finding] = run(
      'HTTPSYS-URL-RESERVED',
      withBundle(fullBundle({ urlacl: [reservation('http://+:8080/ReportServer/', 8080)] })),
    );
    expect(finding?.message).toMatch(
      /reserved in http\.sys for http:\/\/\+:8080\/ReportServer\/ \(NT SERVICE\\ReportServer\)/,
    );
    expect(finding?.evidence).toEqual(['bundle/urlacl.txt:9']);
  });

  it('EV-EVIDENCE-INCOMPLETE says which checks a partial bundle could not feed', () => {
    const [finding] = run('EV-EVIDENCE-INCOMPLETE', withBundle(bundle({ sites: [CONFIGMGR_DWS] })));
    expect(finding?.message).toMatch(
      /no sslcert\.txt, excludedportrange-tcp\.txt, netstat\.txt\/listeners\.json/,
    );
    expect(finding?.evidence).toEqual(['evidence:bundle']);
  });

  it('PF-OFFLINE keeps an offline analysis from being go', () => {
    const offline = cannedFacts({ offline: true, bundles: { mp01: bundle({ sites: [CONFIGMGR_DWS] }) } });
    expect(run('PF-OFFLINE', offline)).toEqual([
      expect.objectContaining({ severity: 'incomplete', evidence: ['evidence:bundle'] }),
    ]);
    expect(run('PF-OFFLINE', cannedFacts({}))).toEqual([]);
    expect(run('PF-NOTHING-PROBED', offline)).toEqual([]);
  });
});

describe('evidence that could not be gathered', () => {
  const evidenceRules = YAML_RULES.filter((rule) => rule.iterations[0]?.each.text === 'servers');
  const incompleteOf = (facts: Parameters<typeof run>[1]) =>
    evidenceRules.flatMap((rule) => run(rule.id, facts)).filter((f) => f.severity === 'incomplete');

  it('makes the rules that need it incomplete for that server, naming the fact', () => {
    const incomplete = incompleteOf(withBundle(bundle({ sites: [CONFIGMGR_DWS] })));
    expect([...new Set(incomplete.map((f) => f.rule))].sort()).toEqual([
      'HTTPSYS-CERTIFICATE-DIFFERS',
      'HTTPSYS-IP-LISTEN-EXCLUDES',
      'HTTPSYS-NO-CERTIFICATE',
      'HTTPSYS-URL-RESERVED',
      'WIN-ADMINISTERED-EXCLUSION',
      'WIN-DYNAMIC-PORT',
      'WIN-DYNAMIC-RANGE-MOVE',
      'WIN-EXCLUDED-PORT',
      'WIN-PORT-HTTPSYS-UNNAMED',
      'WIN-PORT-IN-USE',
      'WIN-PORT-OWNER-UNKNOWN',
    ]);
    for (const finding of incomplete)
      expect(finding.subject).toMatch(/^mp01\.corp\.example:(tcp\/(8080|8443)|http\.sys|dynamic-ports)$/);
    expect(incomplete.find((f) => f.rule === 'WIN-EXCLUDED-PORT')?.message).toMatch(
      /port\.blockingExclusions not gathered/,
    );
  });

  it('is incomplete for the IIS rules when applicationHost.config is missing', () => {
    const noConfig = fullBundle({ sites: undefined });
    expect(noConfig.applicationHost).toBeNull();
    const rules = incompleteOf(withBundle(noConfig, true)).map((f) => f.rule);
    expect([...new Set(rules)].sort()).toEqual([
      'CM-WEBSITE-SWITCH',
      'IIS-BINDING-CONFLICT',
      'IIS-BINDING-CONFLICT-STOPPED',
      'IIS-BINDING-OTHER-ADDRESS',
      'IIS-DWS-SMSWEB-SAME-PORT',
      'IIS-SITE-STOPPED',
      'IIS-SMSWEB-MISSING',
      'IIS-SMSWEB-NOT-BOUND',
    ]);
    for (const rule of [
      'IIS-DEFAULT-WEB-SITE-SHARED',
      'IIS-DEFAULT-WEB-SITE-MISSING',
      'CM-WSUS-ON-DEFAULT-WEB-SITE',
    ])
      expect(run(rule, withBundle(noConfig))[0]?.severity, rule).toBe('incomplete');
  });

  it('says nothing when there is no bundle at all, and nothing is missing from a complete one', () => {
    expect(evidenceRules.length).toBeGreaterThan(10);
    const facts = cannedFacts({
      endpoints: [{ ports: { '80': 'open', '443': 'open', '8080': 'open', '8443': 'open' } }],
    });
    expect(run(null, facts).filter((f) => f.severity === 'incomplete')).toEqual([]);
    for (const rule of evidenceRules) expect(run(rule.id, facts), rule.id).toEqual([]);
    expect(incompleteOf(withBundle(fullBundle()))).toEqual([]);
  });
});

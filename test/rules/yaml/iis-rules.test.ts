import { describe, expect, it } from 'vitest';
import { CONFIGMGR_DWS, binding, site, sslcert } from '../../support/bundles.js';
import { HASH, fullBundle, withBundle, withResolvedBundle } from './cases.js';
import { run } from './support.js';

const IIS_APP = '{4dc3e181-e14b-4a21-b022-59fc669b0914}';
const SSTP_APP = '{ba195980-cd49-458b-9e23-c84ee0adcd75}';
const ADFS_APP = '{5d89a20c-beab-4389-9447-324788eb944a}';
const OTHER_HASH = 'ab'.repeat(20);
const hostnamePort = (host: string, port: number, hash: string, applicationId = IIS_APP) => ({
  ...sslcert(host, port, hash),
  kind: 'hostnameport' as const,
  applicationId,
  certificateStoreName: 'WebHosting',
});
const withAppId = (entry: ReturnType<typeof sslcert>, applicationId: string) => ({ ...entry, applicationId });
const dwsWithHttps = (https: ReturnType<typeof binding>) => ({
  ...CONFIGMGR_DWS,
  bindings: [binding('http', '*:80:', 11), https],
});

describe('IIS binding overlap, one finding per clash', () => {
  it('reports a binding named for the server, an FTP site and net.tcp on the port, each with what it takes', () => {
    const sites = [
      CONFIGMGR_DWS,
      site('Named', [binding('http', '*:8080:mp01.corp.example', 31)]),
      site('Ftp', [binding('ftp', '*:8443:', 41)]),
    ];
    const findings = run('IIS-BINDING-CONFLICT', withResolvedBundle(fullBundle({ sites })));
    expect(findings.map((f) => f.message)).toEqual([
      expect.stringMatching(
        /"Named" \(http \*:8080:mp01\.corp\.example\) takes the requests for mp01\.corp\.example/,
      ),
      expect.stringMatching(/"Ftp" \(ftp \*:8443:\) the FTP service holds port 8443 on every address/),
    ]);
  });

  it('with the custom website, a Default Web Site on the request port is IIS-DWS-SMSWEB-SAME-PORT’s alone', () => {
    const sites = [
      site('Default Web Site', [binding('http', '*:8080:', 11)]),
      site('SMSWEB', [binding('http', '*:8080:', 51), binding('https', '*:8443:', 52)], ['/', '/SMS_MP']),
    ];
    const findings = run(null, withBundle(fullBundle({ sites }), true)).filter((f) =>
      /IIS-BINDING|IIS-DWS/.test(f.rule),
    );
    expect(findings.map((f) => [f.rule, f.subject])).toEqual([
      ['IIS-DWS-SMSWEB-SAME-PORT', 'mp01.corp.example:Default Web Site:8080'],
    ]);
  });

  it('a stopped Default Web Site next to SMSWEB is said once, as a latent clash', () => {
    const sites = [
      { ...site('Default Web Site', [binding('http', '*:8080:', 11)]), serverAutoStart: false },
      site('SMSWEB', [binding('http', '*:8080:', 51), binding('https', '*:8443:', 52)], ['/', '/SMS_MP']),
    ];
    const findings = run(null, withBundle(fullBundle({ sites }), true)).filter((f) => /^IIS-/.test(f.rule));
    expect(findings.map((f) => f.rule)).toEqual(['IIS-BINDING-CONFLICT-STOPPED']);
  });
});

describe('http.sys certificates: ConfigMgr’s own binding, never another application’s', () => {
  it('reuses the IIS binding of today’s port, not SSTP’s [::]:443, and ignores AD FS’s hostname:port on the new port', () => {
    const entries = [
      withAppId(sslcert('[::]', 443, OTHER_HASH, 2), SSTP_APP),
      sslcert('0.0.0.0', 443, HASH, 3),
      hostnamePort('adfs.corp.example', 8443, OTHER_HASH, ADFS_APP),
    ];
    const [finding] = run('HTTPSYS-NO-CERTIFICATE', withBundle(fullBundle({ sslcert: entries })));
    expect(finding?.message).toMatch(/lists no IP:port 0\.0\.0\.0:8443/);
    expect(finding?.remediation).toContain(
      `netsh http add sslcert ipport=0.0.0.0:8443 certhash=${HASH} appid='${IIS_APP}' certstorename=MY`,
    );
    expect(finding?.evidence).toEqual(['bundle/sslcert.txt', 'bundle/sslcert.txt:3']);
  });

  it('an SNI site gets a hostnameport line, a central-certificate-store site a ccs line', () => {
    const sniDws = dwsWithHttps({ ...binding('https', '*:443:mp01.corp.example', 12), sslFlags: 1 });
    const sni = run(
      'HTTPSYS-NO-CERTIFICATE',
      withBundle(fullBundle({ sites: [sniDws], sslcert: [hostnamePort('mp01.corp.example', 443, HASH)] })),
    );
    expect(sni[0]?.remediation).toContain(
      `netsh http add sslcert hostnameport=mp01.corp.example:8443 certhash=${HASH} appid='${IIS_APP}' certstorename=WebHosting`,
    );
    const ccsDws = dwsWithHttps({ ...binding('https', '*:443:mp01.corp.example', 12), sslFlags: 3 });
    const ccsEntry = {
      ...sslcert('', 443, HASH),
      kind: 'ccs' as const,
      endpoint: null,
      certificateHash: null,
    };
    const ccs = run(
      'HTTPSYS-NO-CERTIFICATE',
      withBundle(fullBundle({ sites: [ccsDws], sslcert: [ccsEntry] })),
    );
    expect(ccs[0]?.remediation).toContain(`netsh http add sslcert ccs=8443 appid='${IIS_APP}'`);
    expect(ccs[0]?.message).toMatch(/the central certificate store binding on port 8443/);
  });

  it('compares certificates of ConfigMgr’s endpoint only', () => {
    const entries = [
      sslcert('0.0.0.0', 443, HASH),
      sslcert('0.0.0.0', 8443, HASH),
      hostnamePort('adfs.corp.example', 8443, OTHER_HASH, ADFS_APP),
    ];
    expect(run('HTTPSYS-CERTIFICATE-DIFFERS', withBundle(fullBundle({ sslcert: entries })))).toEqual([]);
    expect(run('HTTPSYS-NO-CERTIFICATE', withBundle(fullBundle({ sslcert: entries })))).toEqual([]);
  });
});

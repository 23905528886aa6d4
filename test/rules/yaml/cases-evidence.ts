import { CONFIGMGR_DWS, binding, bundle, listener, site, sslcert } from '../../support/bundles.js';
import { STANDARD_CHANGE, cannedFacts } from '../../support/facts.js';
import {
  DYNAMIC_STANDARD,
  HASH,
  fullBundle,
  range,
  reservation,
  withBundle,
  withChange,
  withResolvedBundle,
  type RuleCase,
} from './cases.js';

/** The evidence rules: what each site system's bundle shows about the new ports. */
/** netstat -ab "Can not obtain ownership information" (or netstat -an): no PID, no name. */
const UNKNOWN_OWNER_8080 = { ...listener(8080, 0, null), pid: null };
const stopped = (stoppedSite: ReturnType<typeof site>) => ({ ...stoppedSite, serverAutoStart: false });
const withId = (numbered: ReturnType<typeof site>, id: number) => ({ ...numbered, id });
const sni = (info: string, line?: number) => ({ ...binding('https', info, line), sslFlags: 1 });
const listen = (address: string) => ({ address, source: { file: 'bundle/iplisten.txt', line: 4 } });
const SMSWEB = site(
  'SMSWEB',
  [binding('http', '*:8080:', 51), binding('https', '*:8443:', 52)],
  ['/', '/SMS_MP'],
);

export const EVIDENCE_CASES: Record<string, RuleCase> = {
  'IIS-BINDING-CONFLICT': {
    fires: withBundle(
      fullBundle({ sites: [CONFIGMGR_DWS, site('Intranet', [binding('http', '*:8080:', 31)])] }),
    ),
    says: [
      /Candidate HTTP port 8080 on mp01\.corp\.example is also bound in IIS: "Intranet" \(http \*:8080:\) takes every request on port 8080/,
      /Remove port 8080 from the bindings of site "Intranet"/,
    ],
    subjects: ['mp01.corp.example:tcp/8080'],
    quiet: [
      withBundle(fullBundle()),
      withResolvedBundle(
        fullBundle({
          sites: [
            site('Default Web Site', [binding('http', '*:8080:')]),
            site('Intranet', [binding('http', '*:8080:intranet.corp.example'), binding('http', '*:9090:')]),
            // An SNI binding for another name shares the port by name.
            site('ADFS', [sni('*:8443:adfs.corp.example')]),
            site('Local', [binding('http', '127.0.0.1:8080:')]),
            site('Wcf', [binding('net.pipe', '*'), binding('net.msmq', 'localhost')]),
          ],
        }),
      ),
      // Stopped, or on an address clients are not known to use: the other two rules' findings.
      withResolvedBundle(
        fullBundle({ sites: [CONFIGMGR_DWS, stopped(site('Old', [binding('http', '*:8080:')]))] }),
      ),
      withResolvedBundle(
        fullBundle({ sites: [CONFIGMGR_DWS, site('Api', [binding('http', '10.0.0.9:8080:')])] }),
      ),
      cannedFacts({}),
    ],
  },
  'IIS-BINDING-CONFLICT-STOPPED': {
    fires: withBundle(
      fullBundle({ sites: [CONFIGMGR_DWS, stopped(site('Old', [binding('http', '*:8080:', 31)]))] }),
    ),
    says: [
      /Candidate HTTP port 8080 on mp01\.corp\.example is bound by a stopped IIS site: "Old" \(http \*:8080:\) takes every request on port 8080 .*, once\s+started/,
      /Remove port 8080 from the bindings of stopped site "Old"/,
    ],
    subjects: ['mp01.corp.example:tcp/8080'],
    quiet: [
      withBundle(fullBundle({ sites: [CONFIGMGR_DWS, site('Old', [binding('http', '*:8080:', 31)])] })),
      withBundle(
        fullBundle({ sites: [CONFIGMGR_DWS, stopped(site('Old', [binding('http', '*:8080:old.example')]))] }),
      ),
      cannedFacts({}),
    ],
  },
  'IIS-BINDING-OTHER-ADDRESS': {
    fires: withResolvedBundle(
      fullBundle({ sites: [CONFIGMGR_DWS, site('Api', [binding('http', '10.0.0.9:8080:', 41)])] }),
    ),
    says: [
      /"Api" \(http 10\.0\.0\.9:8080:\) takes the requests sent to 10\.0\.0\.9\.\s+mp01\.corp\.example resolves to 198\.18\.2\.2/,
    ],
    subjects: ['mp01.corp.example:tcp/8080'],
    quiet: [
      withResolvedBundle(fullBundle()),
      withResolvedBundle(
        fullBundle({ sites: [CONFIGMGR_DWS, site('Api', [binding('http', '198.18.2.2:8080:', 41)])] }),
      ),
      cannedFacts({}),
    ],
  },
  'IIS-DEFAULT-WEB-SITE-MISSING': {
    fires: withBundle(fullBundle({ sites: [site('bti-eic-sql2', [binding('http', '*:80:', 6)], ['/'], 4)] })),
    says: [
      /mp01\.corp\.example has no IIS site named Default Web Site \(site id 1 is "bti-eic-sql2" \(http \*:80:\)\)/,
      /restore\s+the Default Web Site/,
    ],
    subjects: ['mp01.corp.example:Default Web Site'],
    quiet: [
      withBundle(fullBundle()),
      // Recreated with another id: it is there, by name.
      withBundle(fullBundle({ sites: [withId(CONFIGMGR_DWS, 2)] })),
      withBundle(fullBundle({ sites: [SMSWEB] }), true),
      cannedFacts({
        change: { ...STANDARD_CHANGE, customWebsite: null },
        bundles: { mp01: fullBundle({ sites: [SMSWEB] }) },
      }),
      cannedFacts({}),
    ],
  },
  'IIS-SITE-STOPPED': {
    fires: withBundle(fullBundle({ sites: [stopped(CONFIGMGR_DWS)] })),
    says: [
      /Default Web Site on mp01\.corp\.example, the IIS site ConfigMgr's roles use, is stopped \(serverAutoStart="false"\)/,
      /C:\\Windows\\System32\\inetsrv\\appcmd\.exe set site "Default Web Site" \/serverAutoStart:true/,
    ],
    subjects: ['mp01.corp.example:Default Web Site'],
    quiet: [
      withBundle(fullBundle()),
      withBundle(fullBundle({ sites: [stopped(CONFIGMGR_DWS), SMSWEB] }), true),
      withBundle(fullBundle({ sites: [site('Other', [])] })),
      cannedFacts({}),
    ],
  },
  'HTTPSYS-IP-LISTEN-EXCLUDES': {
    fires: withResolvedBundle(fullBundle({ iplisten: [listen('10.0.0.9')] })),
    says: [
      /IP listen list of mp01\.corp\.example holds only 10\.0\.0\.9: it leaves out\s+198\.18\.2\.2/,
      /netsh http add iplisten ipaddress=198\.18\.2\.2/,
    ],
    subjects: ['mp01.corp.example:http.sys'],
    quiet: [
      withResolvedBundle(fullBundle()),
      withBundle(fullBundle()),
      withResolvedBundle(fullBundle({ iplisten: [listen('10.0.0.9'), listen('198.18.2.2')] })),
      withResolvedBundle(fullBundle({ iplisten: [listen('0.0.0.0')] })),
      cannedFacts({}),
    ],
  },
  'IIS-DEFAULT-WEB-SITE-SHARED': {
    fires: withBundle(
      fullBundle({
        sites: [site('Default Web Site', [binding('http', '*:80:')], ['/', '/SMS_MP', '/ReportServer'])],
      }),
    ),
    says: [
      /The Default Web Site on mp01\.corp\.example also carries \/ReportServer: moving its ports to 8080\/8443/,
    ],
    subjects: ['mp01.corp.example:Default Web Site'],
    quiet: [
      withBundle(fullBundle()),
      withBundle(
        fullBundle({ sites: [site('Default Web Site', [binding('http', '*:80:')], ['/', '/ReportServer'])] }),
        true,
      ),
      cannedFacts({}),
    ],
  },
  'IIS-SMSWEB-MISSING': {
    fires: withBundle(fullBundle(), true),
    says: [/no IIS site named SMSWEB/, /bound to http \*:8080: and https \*:8443:/],
    subjects: ['mp01.corp.example:SMSWEB'],
    quiet: [
      withBundle(fullBundle({ sites: [CONFIGMGR_DWS, SMSWEB] }), true),
      withBundle(fullBundle()),
      cannedFacts({ change: { ...STANDARD_CHANGE, customWebsite: true } }),
    ],
  },
  'IIS-SMSWEB-NOT-BOUND': {
    fires: withBundle(
      fullBundle({ sites: [CONFIGMGR_DWS, site('SMSWEB', [binding('http', '*:8080:', 51)])] }),
      true,
    ),
    says: [
      /SMSWEB on mp01\.corp\.example has no https binding on port 8443, the site's HTTPS client request port/,
    ],
    subjects: ['mp01.corp.example:SMSWEB:8443'],
    quiet: [
      withBundle(fullBundle({ sites: [CONFIGMGR_DWS, SMSWEB] }), true),
      withBundle(fullBundle({ sites: [CONFIGMGR_DWS, site('SMSWEB', [])] })),
    ],
  },
  'IIS-DWS-SMSWEB-SAME-PORT': {
    fires: withBundle(
      fullBundle({ sites: [site('Default Web Site', [binding('http', '*:8080:', 11)]), SMSWEB] }),
      true,
    ),
    says: [
      /Default Web Site on mp01\.corp\.example is bound to port 8080 too \(http \*:8080:\)/,
      /Remove port 8080 from the Default Web Site's bindings/,
    ],
    subjects: ['mp01.corp.example:Default Web Site:8080'],
    quiet: [
      withBundle(fullBundle({ sites: [CONFIGMGR_DWS, SMSWEB] }), true),
      withBundle(fullBundle({ sites: [site('Default Web Site', [binding('http', '*:8080:', 11)])] })),
    ],
  },
  'HTTPSYS-NO-CERTIFICATE': {
    fires: withBundle(fullBundle({ sslcert: [sslcert('0.0.0.0', 443, HASH)] })),
    says: [
      /Candidate HTTPS port 8443 on mp01\.corp\.example has no certificate binding/,
      new RegExp(`netsh http add sslcert ipport=0\\.0\\.0\\.0:8443 certhash=${HASH}`),
    ],
    subjects: ['mp01.corp.example:tcp/8443'],
    quiet: [withBundle(fullBundle()), cannedFacts({})],
  },
  'HTTPSYS-CERTIFICATE-DIFFERS': {
    fires: withBundle(
      fullBundle({ sslcert: [sslcert('0.0.0.0', 443, HASH), sslcert('0.0.0.0', 8443, 'ab'.repeat(20))] }),
    ),
    says: [
      /Candidate HTTPS port 8443 on mp01\.corp\.example is bound to certificate abab/,
      new RegExp(`for\\s+IP:port 0\\.0\\.0\\.0:8443, not ConfigMgr's certificate on port 443 \\(${HASH}\\)`),
    ],
    subjects: ['mp01.corp.example:tcp/8443'],
    quiet: [
      withBundle(fullBundle()),
      withBundle(fullBundle({ sslcert: [sslcert('0.0.0.0', 8443, HASH)] })),
      cannedFacts({}),
    ],
  },
  'HTTPSYS-URL-RESERVED': {
    fires: withBundle(fullBundle({ urlacl: [reservation('http://+:8080/ReportServer/', 8080)] })),
    says: [/reserved in http\.sys for http:\/\/\+:8080\/ReportServer\/ \(NT SERVICE\\ReportServer\)/],
    subjects: ['mp01.corp.example:tcp/8080'],
    quiet: [
      withBundle(fullBundle({ urlacl: [reservation('http://+:5985/wsman/', 5985)] })),
      // Present on every Windows host: not another service.
      withChange(
        { http: { current: 8080, candidate: 80 } },
        {
          bundles: {
            mp01: fullBundle({
              urlacl: [
                {
                  ...reservation('http://+:80/Temporary_Listen_Addresses/', 80),
                  path: '/Temporary_Listen_Addresses/',
                },
              ],
            }),
          },
        },
      ),
      cannedFacts({}),
    ],
  },
  'WIN-PORT-IN-USE': {
    fires: withBundle(fullBundle({ listeners: [listener(8080, 2212, 'tomcat9')] })),
    says: [
      /Candidate HTTP port 8080 on mp01\.corp\.example is in use: tomcat9 \(PID 2212\) listens on 0\.0\.0\.0:8080/,
    ],
    subjects: ['mp01.corp.example:tcp/8080'],
    quiet: [
      withBundle(fullBundle({ listeners: [listener(8080, 4, 'System'), listener(8081, 2212, 'tomcat9')] })),
      withBundle(fullBundle({ listeners: [UNKNOWN_OWNER_8080] })),
      cannedFacts({}),
    ],
  },
  'WIN-PORT-OWNER-UNKNOWN': {
    fires: withBundle(fullBundle({ listeners: [UNKNOWN_OWNER_8080] })),
    says: [
      /Candidate HTTP port 8080 on mp01\.corp\.example is in use by a program the evidence does not name: something listens on 0\.0\.0\.0:8080 \(bundle\/netstat\.txt:7\) with no PID/,
      /Get-NetTCPConnection -State Listen -LocalPort 8080 \| Select-Object LocalAddress, OwningProcess/,
    ],
    subjects: ['mp01.corp.example:tcp/8080'],
    quiet: [
      withBundle(fullBundle({ listeners: [listener(8080, 2212, 'tomcat9'), listener(8443, 4, null)] })),
      withBundle(fullBundle({ listeners: [{ ...UNKNOWN_OWNER_8080, processName: 'vmms.exe' }] })),
      cannedFacts({}),
    ],
  },
  'WIN-PORT-HTTPSYS-UNNAMED': {
    fires: withBundle(fullBundle({ listeners: [listener(8080, 4, null), listener(8080, 4, null, '::')] })),
    says: [
      /Candidate HTTP port 8080 on mp01\.corp\.example is already served by http\.sys \(PID 4\) on 0\.0\.0\.0:8080, :::8080/,
      /netsh http show servicestate view=requestq/,
    ],
    subjects: ['mp01.corp.example:tcp/8080'],
    quiet: [
      // Named: another IIS site, a URL reservation, a certificate binding (8443 has one).
      withBundle(
        fullBundle({
          sites: [CONFIGMGR_DWS, site('Intranet', [binding('http', '*:8080:intranet.corp.example', 31)])],
          listeners: [listener(8080, 4, 'System'), listener(8443, 4, 'System')],
        }),
      ),
      withBundle(
        fullBundle({
          urlacl: [reservation('http://+:8080/ReportServer/', 8080)],
          listeners: [listener(8080, 4, 'System')],
        }),
      ),
      withBundle(fullBundle({ listeners: [listener(8081, 4, 'System')] })),
      cannedFacts({}),
    ],
  },
  'WIN-EXCLUDED-PORT': {
    fires: withBundle(fullBundle({ excludedTcp: [range(8039, 8138), range(8405, 8504)] })),
    says: [
      /excluded TCP range 8039-8138 \(a dynamic exclusion \(Hyper-V, WinNAT, WSL, Docker\)\), which is\s+not administered/,
      /reserve 8080 before Hyper-V\/WinNAT takes it, in an elevated PowerShell: net stop winnat; netsh int ipv4 add excludedportrange protocol=tcp startport=8080 numberofports=1; net start winnat/,
    ],
    subjects: ['mp01.corp.example:tcp/8080', 'mp01.corp.example:tcp/8443'],
    quiet: [
      withBundle(fullBundle({ excludedTcp: [range(80, 80, true), range(47001, 47001)] })),
      // Administered: it keeps the port for an explicit bind, it does not refuse one.
      withBundle(fullBundle({ excludedTcp: [range(8080, 8080, true), range(8400, 8499, true)] })),
      cannedFacts({}),
    ],
  },
  'WIN-ADMINISTERED-EXCLUSION': {
    fires: withBundle(fullBundle({ excludedTcp: [range(8080, 8080, true)] })),
    says: [
      /Candidate HTTP port 8080 on mp01\.corp\.example lies in the administered exclusion 8080-8080: Windows never hands it out to an outgoing connection, and IIS can still bind it/,
      /Keep the exclusion/,
    ],
    subjects: ['mp01.corp.example:tcp/8080'],
    quiet: [
      withBundle(fullBundle({ excludedTcp: [range(8039, 8138), range(80, 80, true)] })),
      cannedFacts({}),
    ],
  },
  'WIN-DYNAMIC-PORT': {
    fires: withBundle(fullBundle({ dynamicTcp: { ...DYNAMIC_STANDARD, start: 1024, count: 64511 } })),
    says: [
      /lies in the dynamic TCP range 1024-65534 and no administered\s+exclusion reserves it/,
      /Choose a port outside 1024-65534, or reserve it with an administered exclusion/,
      /netsh int ipv4 add excludedportrange protocol=tcp\s+startport=8080 numberofports=1/,
    ],
    subjects: ['mp01.corp.example:tcp/8080', 'mp01.corp.example:tcp/8443'],
    quiet: [
      withBundle(fullBundle()),
      // Reserved from dynamic allocation by administered exclusions.
      withBundle(
        fullBundle({
          dynamicTcp: { ...DYNAMIC_STANDARD, start: 1024, count: 64511 },
          excludedTcp: [range(8080, 8080, true), range(8443, 8443, true)],
        }),
      ),
      cannedFacts({}),
    ],
  },
  'EV-EVIDENCE-INCOMPLETE': {
    fires: withBundle(bundle({ sites: [CONFIGMGR_DWS] })),
    says: [
      /no sslcert\.txt, excludedportrange-tcp\.txt, netstat\.txt\/listeners\.json, urlacl\.txt, dynamicport-tcp\.txt/,
      /portflight collect/,
    ],
    subjects: ['mp01.corp.example:evidence'],
    quiet: [withBundle(fullBundle()), cannedFacts({})],
  },
};

import type {
  EvidenceBundle,
  IisApplication,
  IisBinding,
  IisSite,
  Listener,
  SslCertBinding,
} from '../../src/evidence/types.js';

/** Hand-built evidence for rule tests: the parsers have their own tests on real text. */
const at = (line: number) => ({ file: 'bundle/applicationHost.config', line });

export function binding(protocol: string, info: string, line = 10): IisBinding {
  const match = /^(\[[^\]]*\]|[^:]*):(\d*):(.*)$/.exec(info);
  const ip = match?.[1] ?? '*';
  return {
    protocol,
    bindingInformation: info,
    ip: ip === '' || ip === '0.0.0.0' ? '*' : ip,
    port: match?.[2] ? Number(match[2]) : null,
    host: match?.[3] ?? '',
    sslFlags: 0,
    source: at(line),
  };
}

export function application(path: string, line = 20): IisApplication {
  return { path, applicationPool: 'DefaultAppPool', virtualDirectories: [], source: at(line) };
}

export function site(
  name: string,
  bindings: IisBinding[],
  applications: string[] = ['/'],
  line = 5,
): IisSite {
  return {
    name,
    id: 1,
    serverAutoStart: true,
    bindings,
    applications: applications.map((path, index) => application(path, line + 10 + index)),
    source: at(line),
  };
}

export function sslcert(endpoint: string, port: number, hash: string, line = 3): SslCertBinding {
  return {
    kind: 'ipport',
    endpoint,
    port,
    certificateHash: hash,
    applicationId: '{4dc3e181-e14b-4a21-b022-59fc669b0914}',
    certificateStoreName: 'MY',
    source: { file: 'bundle/sslcert.txt', line },
  };
}

export function listener(
  port: number,
  pid: number,
  processName: string | null,
  address = '0.0.0.0',
): Listener {
  return {
    protocol: 'tcp',
    address,
    port,
    pid,
    processName,
    source: { file: 'bundle/netstat.txt', line: 7 },
  };
}

export function bundle(
  parts: Partial<Omit<EvidenceBundle, 'applicationHost'>> & { sites?: IisSite[] },
): EvidenceBundle {
  const { sites, ...rest } = parts;
  return {
    dir: 'bundle',
    applicationHost: sites ? { file: 'bundle/applicationHost.config', sites } : null,
    sslcert: null,
    urlacl: null,
    iplisten: null,
    excludedTcp: null,
    excludedUdp: null,
    dynamicTcp: null,
    listeners: null,
    ...rest,
  };
}

/** The Default Web Site as ConfigMgr leaves it on an MP/DP. */
export const CONFIGMGR_DWS = site(
  'Default Web Site',
  [binding('http', '*:80:', 11), binding('https', '*:443:', 12)],
  ['/', '/SMS_MP', '/CCM_Client', '/SMS_DP_SMSPKG$', '/BGB'],
);

import { normalizeAddress } from './analysis.js';
import type { IisBinding, SslCertBinding } from './types.js';

/**
 * Which http.sys certificate binding serves an IIS https binding (DOMAIN.md (d), S42): sslFlags 0 →
 * `IP:port` (`0.0.0.0:port` for all addresses), bit 1 (SNI) → `hostname:port`, bit 2 (central
 * certificate store) → the store's `ccs=port` entry. Other applications (AD FS, SSTP, WinRM) bind
 * certificates on the same ports under other endpoints or app ids; they are never ConfigMgr's.
 */

/** The application id IIS gives the certificate bindings it creates. */
export const IIS_APP_ID = '{4dc3e181-e14b-4a21-b022-59fc669b0914}';

export interface CertificateEndpoint {
  readonly kind: SslCertBinding['kind'];
  /** The address (`*` for all) for ipport, the host name for hostnameport, null for ccs. */
  readonly endpoint: string | null;
  readonly port: number;
}

/** ConfigMgr's binding when nothing says otherwise: `https *:port:` without SNI. */
export const anyAddressEndpoint = (port: number): CertificateEndpoint => ({
  kind: 'ipport',
  endpoint: '*',
  port,
});

export function certificateEndpointOf(binding: IisBinding, port = binding.port ?? 0): CertificateEndpoint {
  if (binding.sslFlags & 2) return { kind: 'ccs', endpoint: null, port };
  if (binding.sslFlags & 1 && binding.host !== '')
    return { kind: 'hostnameport', endpoint: binding.host, port };
  return { kind: 'ipport', endpoint: normalizeAddress(binding.ip), port };
}

/** The http.sys entries that serve this endpoint, IIS's own first (then `0.0.0.0` before `[::]`). */
export function certificateBindingsServing(
  bindings: readonly SslCertBinding[],
  wanted: CertificateEndpoint,
): SslCertBinding[] {
  const rank = (binding: SslCertBinding) =>
    (binding.applicationId?.toLowerCase() === IIS_APP_ID ? 0 : 2) + (binding.endpoint === '[::]' ? 1 : 0);
  return bindings
    .filter((binding) => serves(binding, wanted))
    .sort((left, right) => rank(left) - rank(right));
}

function serves(binding: SslCertBinding, wanted: CertificateEndpoint): boolean {
  if (binding.kind !== wanted.kind || binding.port !== wanted.port) return false;
  if (wanted.kind === 'ccs') return true;
  if (wanted.kind === 'hostnameport') {
    return binding.endpoint?.toLowerCase() === wanted.endpoint?.toLowerCase();
  }
  return normalizeAddress(binding.endpoint ?? '') === wanted.endpoint;
}

/**
 * The `netsh http add sslcert` line that binds `certificate` to `target`, in the form of the
 * target's kind. The app id is single-quoted: PowerShell would otherwise read `{…}` as a script block.
 */
export function addSslcertCommand(target: CertificateEndpoint, certificate: SslCertBinding): string {
  const appid = `appid='${certificate.applicationId ?? IIS_APP_ID}'`;
  if (target.kind === 'ccs') return `netsh http add sslcert ccs=${target.port} ${appid}`;
  const store = certificate.certificateStoreName;
  const hash = `certhash=${certificate.certificateHash ?? '<certificate hash>'}`;
  if (target.kind === 'hostnameport') {
    // netsh requires the store for hostname:port bindings.
    return `netsh http add sslcert hostnameport=${target.endpoint}:${target.port} ${hash} ${appid} certstorename=${store ?? 'MY'}`;
  }
  const address = target.endpoint === '*' ? '0.0.0.0' : formatAddress(target.endpoint ?? '0.0.0.0');
  const storePart = store === null ? '' : ` certstorename=${store}`;
  return `netsh http add sslcert ipport=${address}:${target.port} ${hash} ${appid}${storePart}`;
}

const formatAddress = (address: string) => (address.includes(':') ? `[${address}]` : address);

/** How netsh prints the endpoint: `0.0.0.0:8443`, `mp01.corp.example:8443`, `ccs 8443`. */
export function describeCertificateEndpoint(target: CertificateEndpoint): string {
  if (target.kind === 'ccs') return `the central certificate store binding on port ${target.port}`;
  if (target.kind === 'hostnameport') return `hostname:port ${target.endpoint}:${target.port}`;
  const address = target.endpoint === '*' ? '0.0.0.0' : formatAddress(target.endpoint ?? '0.0.0.0');
  return `IP:port ${address}:${target.port}`;
}

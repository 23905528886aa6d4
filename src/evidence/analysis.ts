import type {
  ApplicationHostConfig,
  DynamicPortRange,
  ExcludedPortRange,
  IisBinding,
  IisSite,
  Listener,
  SslCertBinding,
  UrlAclReservation,
} from './types.js';

/** Pure questions about a bundle that rules ask; no I/O here. */

export const DEFAULT_WEB_SITE = 'Default Web Site';
/** The custom website ConfigMgr uses when "Use custom web site" is set (DOMAIN.md S12). */
export const CUSTOM_WEBSITE = 'SMSWEB';

/**
 * Applications ConfigMgr roles create under their website (DOMAIN.md (c): a real MP's `appcmd list
 * app`, DP virtual directories, AltAuth/TokenAuth variants, the SMS Provider's AdminService).
 */
const CONFIGMGR_APPLICATIONS = new Set(
  [
    '/',
    '/CCM_Client',
    '/CCM_Incoming',
    '/CCM_System',
    '/CCM_System_WindowsAuth',
    '/CCM_System_TokenAuth',
    '/CCM_System_AltAuth',
    '/CCM_STS',
    '/CMUserService',
    '/CMUserService_WindowsAuth',
    '/SMS_MP',
    '/SMS_MP_WindowsAuth',
    '/SMS_MP_TokenAuth',
    '/SMS_MP_AltAuth',
    '/BGB',
    '/SMS_DP_SMSPKG$',
    '/SMS_DP_SMSSIG$',
    '/NOCERT_SMS_DP_SMSPKG$',
    '/NOCERT_SMS_DP_SMSSIG$',
    '/CCMTOKENAUTH_SMS_DP_SMSPKG$',
    '/CCMTOKENAUTH_SMS_DP_SMSSIG$',
    '/AdminService',
  ].map((path) => path.toLowerCase()),
);

export function isConfigMgrApplication(path: string): boolean {
  const normalized = path.toLowerCase().replace(/\/+$/, '') || '/';
  // Roles whose directory names are not all documented (FSP, SMP, enrollment) use these prefixes.
  return (
    CONFIGMGR_APPLICATIONS.has(normalized) || /^\/(sms_|ccm_|ccmtokenauth_|nocert_sms_)/.test(normalized)
  );
}

export function findSite(config: ApplicationHostConfig, name: string): IisSite | undefined {
  return config.sites.find((site) => site.name.toLowerCase() === name.toLowerCase());
}

/** The site that carries ConfigMgr's client-facing roles on this server. */
function configMgrSiteName(customWebsite: boolean | null): string {
  return customWebsite ? CUSTOM_WEBSITE : DEFAULT_WEB_SITE;
}

/** Sites that may be ConfigMgr's own: when the plan does not say (ad-hoc mode), either may be. */
export function isConfigMgrSite(siteName: string, customWebsite: boolean | null): boolean {
  const name = siteName.toLowerCase();
  if (customWebsite === null)
    return name === DEFAULT_WEB_SITE.toLowerCase() || name === CUSTOM_WEBSITE.toLowerCase();
  return name === configMgrSiteName(customWebsite).toLowerCase();
}

const WILDCARDS = new Set(['*', '', '0.0.0.0', '::', '[::]', '+']);
const normalizeIp = (ip: string) => (WILDCARDS.has(ip) ? '*' : ip.replace(/^\[|\]$/g, '').toLowerCase());

/** A wildcard address overlaps every specific one; two specific addresses overlap when equal. */
export function addressesOverlap(a: string, b: string): boolean {
  const left = normalizeIp(a);
  const right = normalizeIp(b);
  return left === '*' || right === '*' || left === right;
}

/** Socket bindings (http/https) of every site on this port. */
export function httpBindingsOnPort(
  config: ApplicationHostConfig,
  port: number,
): { site: IisSite; binding: IisBinding }[] {
  return config.sites.flatMap((site) =>
    site.bindings
      .filter(
        (binding) => binding.port === port && (binding.protocol === 'http' || binding.protocol === 'https'),
      )
      .map((binding) => ({ site, binding })),
  );
}

/**
 * Whether another binding would take requests meant for ConfigMgr's binding `*:port:` (all
 * addresses, no host header): it overlaps when it listens on an overlapping address with the same
 * (empty) host header. A binding with a host header only answers that name, so IIS accepts both.
 */
export function collidesWithConfigMgrBinding(binding: IisBinding): boolean {
  return binding.host === '' && addressesOverlap(binding.ip, '*');
}

/** Every excluded range holding the port (an administered range may overlap a WinNAT one). */
export function excludedRangesContaining(
  ranges: readonly ExcludedPortRange[],
  port: number,
): ExcludedPortRange[] {
  return ranges.filter((range) => port >= range.start && port <= range.end);
}

export function inDynamicRange(range: DynamicPortRange, port: number): boolean {
  return port >= range.start && port < range.start + range.count;
}

/** http.sys certificate bindings that TLS on this port can use (IP:port, SNI hostname:port, CCS). */
export function certificateBindingsForPort(
  bindings: readonly SslCertBinding[],
  port: number,
): SslCertBinding[] {
  return bindings.filter((binding) => binding.port === port);
}

/** http.sys itself (IIS, WinRM …) appears as PID 4 "System"; anything else is another program. */
export function isHttpSysListener(listener: Listener): boolean {
  return listener.pid === 4 || listener.processName?.toLowerCase() === 'system';
}

/**
 * Neither PID nor name: `netstat -an`, or `netstat -ab` printing "Can not obtain ownership
 * information" — which it does for System's sockets too, so the owner may be http.sys (IIS itself).
 */
export function isOwnerUnknown(listener: Listener): boolean {
  return listener.pid === null && listener.processName === null;
}

export function tcpListenersOnPort(listeners: readonly Listener[], port: number): Listener[] {
  return listeners.filter((listener) => listener.protocol === 'tcp' && listener.port === port);
}

/** URL reservations on this port (any host form); IIS itself needs none. */
export function urlReservationsOnPort(
  reservations: readonly UrlAclReservation[],
  port: number,
): UrlAclReservation[] {
  return reservations.filter((reservation) => reservation.port === port);
}

export function sourceRef(item: { source: { file: string; line: number } }): string {
  return `${item.source.file}:${item.source.line}`;
}

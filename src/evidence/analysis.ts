import type {
  ApplicationHostConfig,
  DynamicPortRange,
  ExcludedPortRange,
  IisBinding,
  IisSite,
  IpListenEntry,
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

/** `*` for any written form of "all addresses", else the address without brackets, lower-case. */
export function normalizeAddress(ip: string): string {
  return WILDCARDS.has(ip) ? '*' : ip.replace(/^\[|\]$/g, '').toLowerCase();
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

/**
 * URL reservations on this port (any host form); IIS itself needs none. The WCF namespace
 * `http://+:80/Temporary_Listen_Addresses/` is reserved for Everyone on every Windows host: it says
 * nothing about another service, so it is left out.
 */
export function urlReservationsOnPort(
  reservations: readonly UrlAclReservation[],
  port: number,
): UrlAclReservation[] {
  return reservations.filter(
    (reservation) => reservation.port === port && !isDefaultReservation(reservation),
  );
}

function isDefaultReservation(reservation: UrlAclReservation): boolean {
  return (
    reservation.scheme === 'http' &&
    reservation.host === '+' &&
    reservation.port === 80 &&
    /^\/Temporary_Listen_Addresses\/?$/i.test(reservation.path)
  );
}

/**
 * Addresses http.sys does not listen on because a non-empty IP listen list leaves them out
 * (`0.0.0.0` covers every IPv4 address and `::` every IPv6 one). An empty list means all addresses.
 */
export function addressesOutsideIpListen(
  entries: readonly IpListenEntry[],
  addresses: readonly string[],
): string[] {
  if (entries.length === 0) return [];
  const listed = entries.map((entry) => entry.address.replace(/^\[|\]$/g, '').toLowerCase());
  return addresses.filter((address) => {
    const normalized = address.replace(/^\[|\]$/g, '').toLowerCase();
    const anyOfFamily = normalized.includes(':') ? '::' : '0.0.0.0';
    return !listed.includes(anyOfFamily) && !listed.includes(normalized);
  });
}

/** IIS bindings on this port that http.sys serves (http, https); ftp and net.tcp have services of their own. */
export function httpSysBindingsOnPort(
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

/** http.sys certificate bindings on this port, of any kind (IP:port, hostname:port, CCS). */
export function certificateBindingsOnPort(
  bindings: readonly SslCertBinding[],
  port: number,
): SslCertBinding[] {
  return bindings.filter((binding) => binding.port === port);
}

export function sourceRef(item: { source: { file: string; line: number } }): string {
  return `${item.source.file}:${item.source.line}`;
}

/**
 * The site ConfigMgr's roles use on this server: SMSWEB with the custom website, else the Default
 * Web Site; when the plan does not say (ad-hoc checks), SMSWEB if the server has one.
 */
export function configMgrSiteOf(
  config: ApplicationHostConfig,
  customWebsite: boolean | null,
): IisSite | undefined {
  if (customWebsite === null) return findSite(config, CUSTOM_WEBSITE) ?? findSite(config, DEFAULT_WEB_SITE);
  return findSite(config, configMgrSiteName(customWebsite));
}

import type { PortAssignments } from './port-roles.js';
import type { ChangeSpec } from './scan-spec.js';
import type { SiteSystemRole } from './schema.js';

/**
 * What each site system role means for a client port change: whether ConfigMgr hosts it on IIS, and
 * which client ports it serves (DOMAIN.md (a); "Ports used in Configuration Manager", "Websites for
 * site system servers in Configuration Manager").
 */

/** Roles that require IIS and a website to host their services for clients (Websites for site systems). */
export const IIS_CLIENT_ROLES: ReadonlySet<SiteSystemRole> = new Set([
  'management-point',
  'distribution-point',
  'software-update-point',
  'fallback-status-point',
  'state-migration-point',
  'enrollment-point',
  'enrollment-proxy-point',
]);

/** The roles of a system that ConfigMgr hosts on its IIS website (Default Web Site, or SMSWEB). */
export function rolesOnConfigMgrWebsite(
  roles: readonly SiteSystemRole[],
  customWebsite: boolean | null,
): SiteSystemRole[] {
  // "Site system roles that use IIS but don't accept client connections also use the SMSWEB website
  // instead of the default website. For example, the reporting services point."
  return roles.filter(
    (role) => IIS_CLIENT_ROLES.has(role) || (role === 'reporting-services-point' && customWebsite === true),
  );
}

export const ROLE_WORDS: Readonly<Record<SiteSystemRole, string>> = {
  'management-point': 'management point',
  'distribution-point': 'distribution point',
  'fallback-status-point': 'fallback status point',
  'state-migration-point': 'state migration point',
  'enrollment-point': 'enrollment point',
  'enrollment-proxy-point': 'enrollment proxy point',
  'software-update-point': 'software update point',
  'reporting-services-point': 'reporting services point',
  'cmg-connection-point': 'CMG connection point',
  'site-server': 'site server',
  'sms-provider': 'SMS Provider',
  'site-database-server': 'site database server',
};

/**
 * Why a role serves no port that clients reach from their networks: these roles are not probed, and
 * the report says why rather than looking like a skipped check.
 */
export const NOT_PROBED_WHY: Readonly<Partial<Record<SiteSystemRole, string>>> = {
  'enrollment-point': 'the enrollment proxy point connects to it, not the devices',
  'software-update-point': 'clients reach WSUS on its own ports (8530/8531 or 80/443), set in WSUS',
  'reporting-services-point': 'the console reaches it on the ports set in Reporting Services',
  'cmg-connection-point': 'it connects out to the management points and the CMG',
  'site-server': 'clients do not connect to it',
  'sms-provider': 'the console and the administration service reach it, not the clients',
  'site-database-server': 'site systems reach SQL Server, not the clients',
};

/** Adds the client ports one role serves (a server with several roles is probed on the union). */
export function addPortsOfRole(
  ports: PortAssignments,
  role: SiteSystemRole,
  change: Pick<ChangeSpec, 'http' | 'https' | 'clientNotificationPort'>,
  enrollmentProxyPointPort: number,
): void {
  const { http, https } = change;
  switch (role) {
    case 'management-point':
      ports.addRequestPorts('http', http).addRequestPorts('https', https);
      if (change.clientNotificationPort !== null)
        ports.add('tcp', change.clientNotificationPort, 'client-notification');
      return;
    case 'distribution-point':
    case 'state-migration-point':
      ports.addRequestPorts('http', http).addRequestPorts('https', https);
      return;
    case 'fallback-status-point':
      // Clients send state messages to the fallback status point over HTTP only.
      ports.addRequestPorts('http', http);
      return;
    case 'enrollment-proxy-point':
      // Mobile devices and Macs enroll on the proxy point's own HTTPS port, not the client request ports.
      ports.add('tcp', enrollmentProxyPointPort, 'enrollment');
      return;
    default:
      return;
  }
}

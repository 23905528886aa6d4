/**
 * The documents rules cite, by their exact Microsoft Learn title (the page's heading), with their
 * address: the one home of both. A rule file cites a document by title; the rule loader refuses a title
 * that is not here (file:line:col), so every reference a finding or `rules explain` shows has its URL.
 * A document of an organisation's own (a network policy) is cited in its rule file as `{ title, url }`.
 * Titles and addresses were checked against the MicrosoftDocs sources (../shared/DOMAIN.md, Sources).
 */
const CONFIGMGR = 'https://learn.microsoft.com/intune/configmgr/core';

export const KNOWN_DOCUMENTS: Readonly<Record<string, string>> = {
  'Ports used in Configuration Manager': `${CONFIGMGR}/plan-design/hierarchy/ports`,
  'How to configure client communication ports in Configuration Manager': `${CONFIGMGR}/clients/deploy/configure-client-communication-ports`,
  'Windows Firewall and port settings for clients in Configuration Manager': `${CONFIGMGR}/clients/deploy/windows-firewall-and-port-settings-for-clients`,
  'About client settings in Configuration Manager': `${CONFIGMGR}/clients/deploy/about-client-settings`,
  'How to configure Wake on LAN in Configuration Manager': `${CONFIGMGR}/clients/deploy/configure-wake-on-lan`,
  'Plan how to wake up clients in Configuration Manager': `${CONFIGMGR}/clients/deploy/plan/plan-wake-up-clients`,
  'Enhanced HTTP': `${CONFIGMGR}/plan-design/hierarchy/enhanced-http`,
  'Plan for the SMS Provider': `${CONFIGMGR}/plan-design/hierarchy/plan-for-the-sms-provider`,
  'About client installation parameters and properties in Configuration Manager': `${CONFIGMGR}/clients/deploy/about-client-installation-properties`,
  'About client installation properties published to Active Directory Domain Services': `${CONFIGMGR}/clients/deploy/about-client-installation-properties-published-to-active-directory-domain-services`,
  'How to deploy clients to Windows computers in Configuration Manager': `${CONFIGMGR}/clients/deploy/deploy-clients-to-windows-computers`,
  'Websites for site system servers in Configuration Manager': `${CONFIGMGR}/plan-design/network/websites-for-site-system-servers`,
  'How to deploy clients to UNIX and Linux servers in Configuration Manager': `${CONFIGMGR}/clients/deploy/deploy-clients-to-unix-and-linux-servers`,
  'Peer cache for Configuration Manager clients': `${CONFIGMGR}/plan-design/hierarchy/client-peer-cache`,
  'Data flow for cloud management gateway': `${CONFIGMGR}/clients/manage/cmg/data-flow`,
  'Binding <binding>':
    'https://learn.microsoft.com/iis/configuration/system.applicationhost/sites/site/bindings/binding',
  'Site <site>': 'https://learn.microsoft.com/iis/configuration/system.applicationhost/sites/site/',
  'IP Listen List': 'https://learn.microsoft.com/windows/win32/http/ip-listen-list',
  'add sslcert': 'https://learn.microsoft.com/windows/win32/http/add-sslcert',
  'UrlPrefix Strings': 'https://learn.microsoft.com/windows/win32/http/urlprefix-strings',
  'The default dynamic port range for TCP/IP has changed since Windows Vista and in Windows Server 2008':
    'https://learn.microsoft.com/troubleshoot/windows-server/networking/default-dynamic-port-range-tcpip-chang',
};

/** A document a rule cites: its title and its address. */
export interface DocumentReference {
  readonly title: string;
  readonly url: string;
}

/** The address of a known document, or undefined for a title that is not in KNOWN_DOCUMENTS. */
export function knownDocumentUrl(title: string): string | undefined {
  return Object.hasOwn(KNOWN_DOCUMENTS, title) ? KNOWN_DOCUMENTS[title] : undefined;
}

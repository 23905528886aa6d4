import { normalizeAddress } from './analysis.js';
import type { ApplicationHostConfig, IisBinding, IisSite } from './types.js';

/**
 * Which requests another IIS binding would take from ConfigMgr's binding `scheme *:port:` (all
 * addresses, no host header, as ConfigMgr's site is bound). A binding is protocol + IP:port:host
 * (DOMAIN.md (d)):
 * - http.sys routes by category (UrlPrefix Strings): an explicit host name beats an IP-bound
 *   binding, which beats the `*` weak wildcard. So a binding on one address takes that address's
 *   requests while both sites run, and a host header takes only the requests for that name: it
 *   matters when the name is the server's own (FQDN, short name or address), as clients use them.
 *   SNI and central-certificate-store https bindings share the port by name the same way; non-SNI
 *   host-header https bindings are routed by Host too (they only share the IP:port certificate).
 * - One endpoint is served with one scheme: an http binding on ConfigMgr's HTTPS port (or the other
 *   way round) breaks the other whatever its host header. [inf]
 * - `ftp` bindings are served by the FTP service on its own socket, and `net.tcp` by the Net.Tcp
 *   Port Sharing Service (808:* by default): they hold the TCP port, even on ConfigMgr's own site.
 * - `net.pipe`, `net.msmq`, `msmq.formatname` hold no TCP port (their port is null).
 * Bindings on a loopback address are left out: no client reaches the server there.
 */

/** The names and addresses clients use for a site system. */
export interface ServerIdentity {
  /** The host as the plan names it: an FQDN, a short name or an address. */
  readonly host: string;
  /** Addresses clients reach it at (what the name resolved to); null when unknown. */
  readonly addresses: readonly string[] | null;
}

export interface BindingOverlap {
  readonly site: IisSite;
  readonly binding: IisBinding;
  /** `serverAutoStart="false"`: the site takes its share only once started. */
  readonly stopped: boolean;
  /** The address the overlap is limited to (normalised), or `*` for all. */
  readonly address: string;
  /**
   * Whether clients reach the server at `address`: true for all addresses, null when the server's
   * addresses are unknown.
   */
  readonly clientAddress: boolean | null;
  /** What ConfigMgr's binding loses, in words: `takes every request on port 8080` … */
  readonly effect: string;
}

const HTTP_SYS_PROTOCOLS = new Set(['http', 'https']);

/**
 * Bindings of `config` that overlap ConfigMgr's `scheme *:port:`, in file order. `isConfigMgrSite`
 * names the site(s) ConfigMgr's roles use: their http/https bindings are ConfigMgr's own.
 */
export function bindingOverlaps(
  config: ApplicationHostConfig,
  scheme: 'http' | 'https',
  port: number,
  identity: ServerIdentity,
  isConfigMgrSite: (site: IisSite) => boolean,
): BindingOverlap[] {
  const overlaps: BindingOverlap[] = [];
  for (const site of config.sites) {
    for (const binding of site.bindings) {
      if (binding.port !== port) continue;
      const effect = effectOf(binding, scheme, port, identity, isConfigMgrSite(site));
      if (effect === null) continue;
      const address = normalizeAddress(binding.ip);
      if (isLoopback(address)) continue;
      overlaps.push({
        site,
        binding,
        stopped: site.serverAutoStart === false,
        address,
        clientAddress: address === '*' ? true : isClientAddress(address, identity),
        effect,
      });
    }
  }
  return overlaps;
}

/** What the binding takes, or null when it leaves ConfigMgr's binding alone. */
function effectOf(
  binding: IisBinding,
  scheme: 'http' | 'https',
  port: number,
  identity: ServerIdentity,
  ownSite: boolean,
): string | null {
  const where = binding.ip === '*' ? 'every address' : normalizeAddress(binding.ip);
  if (binding.protocol === 'ftp' || binding.protocol === 'ftps') {
    return `the FTP service holds port ${port} on ${where}`;
  }
  if (binding.protocol === 'net.tcp') return `the Net.Tcp Port Sharing Service holds port ${port}`;
  if (!HTTP_SYS_PROTOCOLS.has(binding.protocol)) {
    // A protocol we do not know that names a port: assume its listener holds it.
    return ownSite ? null : `a ${binding.protocol} listener holds port ${port} on ${where}`;
  }
  if (ownSite) return null;
  const sent = binding.ip === '*' ? '' : ` sent to ${normalizeAddress(binding.ip)}`;
  if (binding.protocol !== scheme) {
    return `serves ${binding.protocol} on port ${port}${sent ? ` for the requests${sent}` : ''}, where ConfigMgr needs ${scheme}`;
  }
  if (binding.host === '') {
    return sent === ''
      ? `takes every request on port ${port} (only one of the two sites can start)`
      : `takes the requests${sent}`;
  }
  if (!hostHeaderNamesServer(binding.host, identity)) return null;
  return `takes the requests for ${binding.host}${sent}`;
}

/** Whether clients asking for the server by its name or address send this Host header. */
export function hostHeaderNamesServer(header: string, identity: ServerIdentity): boolean {
  const wanted = header.toLowerCase();
  const host = identity.host.toLowerCase();
  const addresses = (identity.addresses ?? []).map(normalizeAddress);
  if (isAddressLiteral(host)) {
    return (
      normalizeAddress(wanted) === normalizeAddress(host) || addresses.includes(normalizeAddress(wanted))
    );
  }
  const shortName = host.split('.')[0] ?? host;
  if (wanted === host || wanted === shortName || addresses.includes(normalizeAddress(wanted))) return true;
  // IIS 10 wildcard host headers (`*.corp.example`) answer every name below the suffix.
  if (wanted.startsWith('*.')) return host.endsWith(wanted.slice(1)) && host.length > wanted.length - 1;
  // The plan gave a short name only: a header with the same first label is most likely the server.
  return !host.includes('.') && wanted.split('.')[0] === host;
}

function isClientAddress(address: string, identity: ServerIdentity): boolean | null {
  if (isAddressLiteral(identity.host) && normalizeAddress(identity.host) === address) return true;
  if (identity.addresses === null) return isAddressLiteral(identity.host) ? false : null;
  return identity.addresses.some((known) => normalizeAddress(known) === address);
}

function isLoopback(address: string): boolean {
  return address === '::1' || /^127\./.test(address);
}

function isAddressLiteral(text: string): boolean {
  return /^[0-9.]+$/.test(text) || text.includes(':');
}

import {
  CUSTOM_WEBSITE,
  DEFAULT_WEB_SITE,
  addressesOutsideIpListen,
  configMgrSiteOf,
  findSite,
  isConfigMgrSite,
  sourceRef,
  urlReservationsOnPort,
} from '../evidence/analysis.js';
import {
  addSslcertCommand,
  anyAddressEndpoint,
  certificateBindingsServing,
  certificateEndpointOf,
  describeCertificateEndpoint,
  type CertificateEndpoint,
} from '../evidence/certificate-binding.js';
import {
  bindingOverlaps,
  type BindingOverlap,
  type ServerIdentity,
} from '../evidence/iis-binding-overlap.js';
import type { ApplicationHostConfig, IisSite } from '../evidence/types.js';
import type { Facts, NewPort, ServerEvidence } from '../facts/types.js';
import type { iisPortFields, iisServerFields } from './catalogue-iis.js';
import type { FactTreeOf } from './catalogue.js';
import { summary } from './fact-tree-summary.js';

type ServerTree = FactTreeOf['servers'][number];
type PortTree = ServerTree['ports'][number];

/** The names and addresses clients use for this server: the plan's host and what it resolved to. */
export function identityOf(server: ServerEvidence, facts: Facts): ServerIdentity {
  const host = server.target.host;
  if (/^[0-9.]+$/.test(host) || host.includes(':'))
    return { host, addresses: [host.replace(/^\[|\]$/g, '')] };
  const resolved = facts.endpoints.flatMap((endpoint) =>
    endpoint.target.host === host && endpoint.address !== null ? [endpoint.address] : [],
  );
  return { host, addresses: resolved.length > 0 ? [...new Set(resolved)] : null };
}

/** Server-wide IIS and http.sys facts: the Default Web Site, ConfigMgr's site, the IP listen list. */
export function iisServerFacts(
  server: ServerEvidence,
  facts: Facts,
): Pick<ServerTree, keyof typeof iisServerFields> {
  const { bundle } = server;
  const config = bundle.applicationHost;
  const identity = identityOf(server, facts);
  const idOne = config?.sites.find((site) => site.id === 1);
  const site = config ? configMgrSiteOf(config, facts.change.customWebsite) : undefined;
  // An empty list (the default) listens everywhere: that needs no addresses to decide.
  const excluded =
    bundle.iplisten === null
      ? null
      : bundle.iplisten.length === 0
        ? []
        : identity.addresses && addressesOutsideIpListen(bundle.iplisten, identity.addresses);
  return {
    defaultWebSiteExists: config ? findSite(config, DEFAULT_WEB_SITE) !== undefined : null,
    siteIdOneText: idOne ? `site id 1 is "${idOne.name}" (${bindingsText(idOne)})` : 'no site has id 1',
    siteIdOneRef: idOne ? sourceRef(idOne) : config ? `${config.file}:1` : '',
    configMgrSite: site?.name ?? (facts.change.customWebsite ? CUSTOM_WEBSITE : DEFAULT_WEB_SITE),
    configMgrSiteStopped: config ? site?.serverAutoStart === false : null,
    configMgrSiteRef: site ? sourceRef(site) : '',
    clientAddresses: identity.addresses ? [...identity.addresses] : null,
    clientAddressesText: (identity.addresses ?? []).join(', '),
    ipListenExcluded: excluded,
    ipListenExcludedText: (excluded ?? []).join(', '),
    ipListenText: (bundle.iplisten ?? []).map((entry) => entry.address).join(', '),
    ipListenRemediation: (excluded ?? [])
      .map((address) => `netsh http add iplisten ipaddress=${address}`)
      .join(', then '),
    ipListenRefs: (bundle.iplisten ?? []).map(sourceRef),
  };
}

function bindingsText(site: IisSite): string {
  const bindings = site.bindings.map((binding) => `${binding.protocol} ${binding.bindingInformation}`);
  return bindings.length > 0 ? bindings.join(', ') : 'no bindings';
}

const overlapFact = ({ site, binding, effect }: BindingOverlap) => ({
  site: site.name,
  binding: `${binding.protocol} ${binding.bindingInformation}`,
  effect,
  ref: sourceRef(binding),
});
const overlapText = (overlap: ReturnType<typeof overlapFact>) =>
  `"${overlap.site}" (${overlap.binding}) ${overlap.effect}`;
const sitesOf = (overlaps: readonly BindingOverlap[] | null) =>
  [...new Set((overlaps ?? []).map(({ site }) => `"${site.name}"`))].join(', ');

/** Other bindings on a new port, and the certificate and URL reservations ConfigMgr's binding meets there. */
export function iisPortFacts(
  server: ServerEvidence,
  port: NewPort,
  facts: Facts,
): Pick<PortTree, keyof typeof iisPortFields> {
  const { bundle } = server;
  const config = bundle.applicationHost;
  const customWebsite = facts.change.customWebsite;
  const all = config
    ? bindingOverlaps(config, port.scheme, port.port, identityOf(server, facts), (site) =>
        isConfigMgrSite(site.name, customWebsite),
      ).filter((overlap) => !(port.kind === 'candidate' && isDwsClash(overlap, customWebsite)))
    : null;
  const pick = (keep: (overlap: BindingOverlap) => boolean) => all?.filter(keep) ?? null;
  const conflicts = pick((o) => !o.stopped && o.clientAddress === true);
  const stopped = pick((o) => o.stopped);
  return {
    ...summary('iisConflicts', conflicts, overlapFact, overlapText, '; '),
    iisConflictSites: sitesOf(conflicts),
    ...summary(
      'iisOtherAddress',
      pick((o) => !o.stopped && o.clientAddress !== true),
      overlapFact,
      overlapText,
      '; ',
    ),
    ...summary('iisStoppedConflicts', stopped, overlapFact, overlapText, '; '),
    iisStoppedConflictSites: sitesOf(stopped),
    ...certificateFacts(server, port, facts),
    ...summary(
      'urlReservations',
      bundle.urlacl ? urlReservationsOnPort(bundle.urlacl, port.port) : null,
      (r) => ({ url: r.url, users: r.users.map((u) => u.user).join(', '), ref: sourceRef(r) }),
      (r) => (r.users === '' ? r.url : `${r.url} (${r.users})`),
    ),
  };
}

/**
 * With the custom website, a started Default Web Site taking SMSWEB's requests on a request port is
 * IIS-DWS-SMSWEB-SAME-PORT's finding: IIS-BINDING-CONFLICT leaves it out, so one clash is one finding.
 */
function isDwsClash(overlap: BindingOverlap, customWebsite: boolean | null): boolean {
  return (
    customWebsite === true &&
    overlap.site.name.toLowerCase() === DEFAULT_WEB_SITE.toLowerCase() &&
    !overlap.stopped &&
    overlap.clientAddress === true
  );
}

/**
 * The certificate ConfigMgr's https binding uses today (the http.sys entry of ConfigMgr's own site's
 * binding on today's port, never another application's on that port), and what its binding on the new
 * port would be served with.
 */
function certificateFacts(server: ServerEvidence, port: NewPort, facts: Facts) {
  const { sslcert, applicationHost: config } = server.bundle;
  const today = configMgrHttpsEndpoint(config, facts.change.customWebsite, port.current);
  const current = sslcert ? certificateBindingsServing(sslcert, today)[0] : undefined;
  const target: CertificateEndpoint = { ...today, port: port.port };
  const serving = sslcert ? certificateBindingsServing(sslcert, target) : null;
  const hash = current?.certificateHash ?? null;
  return {
    certificateBindings: serving ? serving.length : null,
    certificateEndpoint: describeCertificateEndpoint(target),
    certificateRemediation: current
      ? `${addSslcertCommand(target, current)} (or add the https binding in IIS with that certificate)`
      : `add an https binding on port ${port.port} with the site system's PKI certificate in IIS`,
    currentCertificateRef: current ? sourceRef(current) : '',
    ...summary(
      'differentCertificates',
      serving === null
        ? null
        : hash === null
          ? []
          : serving.filter((b) => b.certificateHash !== null && b.certificateHash !== hash),
      (b) => ({ hash: b.certificateHash ?? '', ref: sourceRef(b) }),
      (b) => b.hash,
    ),
    currentCertificates: hash ?? '',
  };
}

/** The http.sys endpoint of ConfigMgr's https binding on `port`: from its site's binding, else `*:port`. */
function configMgrHttpsEndpoint(
  config: ApplicationHostConfig | null,
  customWebsite: boolean | null,
  port: number,
): CertificateEndpoint {
  const binding = config?.sites
    .filter((site) => isConfigMgrSite(site.name, customWebsite))
    .flatMap((site) => site.bindings)
    .find((b) => b.protocol === 'https' && b.port === port);
  return binding ? certificateEndpointOf(binding, port) : anyAddressEndpoint(port);
}

/** The client request port of each scheme the change names, after the change. */
export function requestPortsOf(change: Facts['change']) {
  return (['http', 'https'] as const).flatMap((scheme) => {
    const ports = change[scheme];
    return ports ? [{ scheme, port: ports.candidate, changed: ports.candidate !== ports.current }] : [];
  });
}

export function requestPortFacts(
  server: ServerEvidence,
  { scheme, port, changed }: ReturnType<typeof requestPortsOf>[number],
  facts: Facts,
): ServerTree['requestPorts'][number] {
  const config = server.bundle.applicationHost;
  const smsweb = config ? findSite(config, CUSTOM_WEBSITE) : undefined;
  const clashes = config
    ? bindingOverlaps(config, scheme, port, identityOf(server, facts), (site) => site === smsweb).filter(
        (overlap) => isDwsClash(overlap, true),
      )
    : null;
  return {
    scheme,
    schemeUpper: scheme.toUpperCase(),
    port,
    changed,
    smswebBound: config
      ? (smsweb?.bindings.some((b) => b.protocol === scheme && b.port === port && b.host === '') ?? false)
      : null,
    ...summary('dwsClashes', clashes, overlapFact, (clash) => clash.binding),
  };
}

import type { Facts } from '../facts/types.js';
import type { PrimarySiteSpec } from '../plan/scan-spec.js';
import type { ClientPopulation } from '../plan/schema.js';
import type { FactTreeOf } from './catalogue.js';
import { siteSystemTargets } from './fact-tree-links.js';

type Tree = FactTreeOf;
type SiteSteps = Tree['remediation']['sites'][number];

/**
 * What to run for the clients that cannot learn the new ports, one set of lines per primary site: each
 * site's clients are reinstalled with its own site code and management point (DOMAIN.md (b), S2, S9,
 * S13). Every line runs as printed in cmd.exe and PowerShell, except the `<…>` placeholders the plan
 * cannot fill (an internet-facing management point or CMG, a Linux package name), which the admin
 * replaces and the remediation says so.
 */
export function remediationFacts(facts: Facts): Tree['remediation'] {
  const sites = facts.primarySites.map((site) => siteSteps(facts, site));
  return {
    sites,
    ccmsetupText: joinedBySite(sites, (site) => site.ccmsetup),
    internetOnlyText: joinedBySite(sites, (site) => site.internetOnlyCcmsetup),
    onInternetText: joinedBySite(sites, (site) => site.onInternetCcmsetup),
    linuxInstallText: joinedBySite(sites, (site) => site.linuxInstall),
    portswitch: `wscript.exe portswitch.vbs ${finalPort(facts, 'http')} ${finalPort(facts, 'https')}`,
  };
}

const INTERNET_MP = '<CMG or internet-facing MP FQDN>';

function siteSteps(facts: Facts, site: PrimarySiteSpec): SiteSteps {
  const { http, https } = facts.change;
  const planned = site.systems?.find((system) => system.roles.includes('management-point'));
  const managementPoint = planned?.host ?? managementPointOf(facts, site.siteCode);
  const code = `SMSSITECODE=${site.siteCode}`;
  const ports = [
    ...(http ? [`CCMHTTPPORT=${http.candidate}`] : []),
    ...(https ? [`CCMHTTPSPORT=${https.candidate}`] : []),
  ];
  // An HTTPS-only site (the plan names no HTTP port) needs the client's PKI certificate from the start.
  const pki = https && !http ? ['/UsePKICert'] : [];
  const httpsPort = https ? [`CCMHTTPSPORT=${https.candidate}`] : [];
  // Internet clients never use the intranet MP: /mp and CCMHOSTNAME name the site's internet-facing
  // MP when the plan marks one, else a placeholder for it or the CMG (whose name the plan does not hold).
  const internetMp = internetFacingManagementPointOf(facts, site.siteCode) ?? INTERNET_MP;
  const internet = ['CCMSetup.exe', '/UsePKICert', `/mp:https://${internetMp}`];
  return {
    siteCode: site.siteCode,
    managementPoint,
    ccmsetup: ['CCMSetup.exe', ...pki, `/mp:${managementPoint}`, code, ...ports].join(' '),
    internetOnlyCcmsetup: [
      ...internet,
      'CCMALWAYSINF=1',
      `CCMHOSTNAME=${internetMp}`,
      code,
      ...httpsPort,
    ].join(' '),
    onInternetCcmsetup: [...internet, `CCMHOSTNAME=${internetMp}`, code, ...httpsPort].join(' '),
    linuxInstall: [
      `./install -mp ${managementPoint} -sitecode ${site.siteCode}`,
      `-httpport ${finalPort(facts, 'http')} -httpsport ${finalPort(facts, 'https')} -keepdb <package>.tar`,
    ].join(' '),
  };
}

function internetFacingManagementPointOf(facts: Facts, siteCode: string): string | undefined {
  return facts.targets.find(
    (target) =>
      target.internetFacing &&
      target.sites.some((site) => site.siteCode === siteCode || site.primarySiteCode === siteCode),
  )?.host;
}

/** A probed management point of the site itself, else of one of its secondary sites, else a placeholder. */
function managementPointOf(facts: Facts, siteCode: string): string {
  const mps = siteSystemTargets(facts).filter((target) => target.systemRoles.includes('management-point'));
  const own = mps.find((t) => t.sites.some((s) => s.kind === 'primary' && s.siteCode === siteCode));
  const child = mps.find((t) => t.sites.some((s) => s.primarySiteCode === siteCode));
  return (own ?? child)?.host ?? `<management point FQDN of ${siteCode}>`;
}

const finalPort = (facts: Facts, scheme: 'http' | 'https') =>
  facts.change[scheme]?.candidate ?? (scheme === 'http' ? 80 : 443);

/** `P01: line` for one site; `P01: line; P02: line` when the hierarchy has several. */
function joinedBySite(sites: readonly SiteSteps[], line: (site: SiteSteps) => string): string {
  if (sites.length === 1) return line(sites[0] as SiteSteps);
  return sites.map((site) => `for ${site.siteCode}: ${line(site)}`).join('; ');
}

/** The whole population: the top-level counts, or the sum of the per-site ones; null when none. */
export function clientsFact(facts: Facts): Tree['clients'] {
  const perSite = facts.primarySites.flatMap((site) => (site.clients ? [site.clients] : []));
  const clients = facts.clients ?? (perSite.length > 0 ? sumOf(perSite) : null);
  if (!clients) return null;
  return {
    ...clients,
    perSite: facts.clients === null,
    internetFacing: clients.internetOnly + clients.onInternet,
  };
}

function sumOf(populations: readonly ClientPopulation[]): ClientPopulation {
  const sum = (key: keyof ClientPopulation) => populations.reduce((total, p) => total + p[key], 0);
  return {
    domain: sum('domain'),
    workgroup: sum('workgroup'),
    otherForest: sum('otherForest'),
    internetOnly: sum('internetOnly'),
    onInternet: sum('onInternet'),
    linuxUnix: sum('linuxUnix'),
  };
}

/**
 * The counted populations: one per primary site when the plan counts per site (each with its own
 * lines), or one for the whole hierarchy (with every site's lines, since the plan does not say which
 * client belongs where).
 */
export function clientGroupsFact(facts: Facts, remediation: Tree['remediation']): Tree['clientGroups'] {
  if (facts.clients) {
    const unpublished = facts.primarySites.filter((site) => !site.publishedToActiveDirectory);
    const scope = facts.primarySites.length > 1 ? 'the hierarchy' : `primary site ${siteList(facts)}`;
    return [
      groupFact(facts, facts.clients, {
        scope,
        subject: 'clients',
        ref: 'plan:clients',
        unpublished: unpublished.map((site) => site.siteCode),
        steps: remediation.sites,
        unattributed: facts.primarySites.length > 1,
      }),
    ];
  }
  return facts.primarySites.flatMap((site, index) => {
    const steps = remediation.sites[index];
    if (!site.clients || !steps) return [];
    return [
      groupFact(facts, site.clients, {
        scope: `primary site ${site.siteCode}`,
        subject: `clients:${site.siteCode}`,
        ref: `plan:hierarchy.primarySites.${site.siteCode}.clients`,
        unpublished: site.publishedToActiveDirectory ? [] : [site.siteCode],
        steps: [steps],
        unattributed: false,
      }),
    ];
  });
}

const siteList = (facts: Facts) => facts.primarySites.map((site) => site.siteCode).join(', ');

interface GroupContext {
  readonly scope: string;
  readonly subject: string;
  readonly ref: string;
  readonly unpublished: readonly string[];
  readonly steps: readonly SiteSteps[];
  readonly unattributed: boolean;
}

function groupFact(
  facts: Facts,
  clients: ClientPopulation,
  context: GroupContext,
): Tree['clientGroups'][number] {
  // Internet clients talk HTTPS only (internet-facing MP or CMG): an HTTP-only change leaves them be.
  const httpsChanges =
    facts.change.https !== null && facts.change.https.current !== facts.change.https.candidate;
  const internetOnly = httpsChanges ? clients.internetOnly : 0;
  const onInternet = httpsChanges ? clients.onInternet : 0;
  const unpublishedDomain = context.unpublished.length > 0 ? clients.domain : 0;
  const groups: [number, string][] = [
    [clients.workgroup, 'workgroup'],
    [clients.otherForest, 'in another forest'],
    [internetOnly, 'internet-only'],
    [onInternet, 'currently on the internet'],
    [unpublishedDomain, `domain clients of sites not published to AD (${context.unpublished.join(', ')})`],
  ];
  const stranded = groups.filter(([count]) => count > 0);
  const line = (pick: (site: SiteSteps) => string) => joinedBySite(context.steps, pick);
  return {
    scope: context.scope,
    subject: context.subject,
    linuxSubject: context.subject.replace(/^clients/, 'clients.linuxUnix'),
    ref: context.ref,
    siteCodes: context.steps.map((steps) => steps.siteCode),
    ...clients,
    cannotReadAd: stranded.reduce((sum, [count]) => sum + count, 0),
    strandedSummary: stranded.map(([count, what]) => `${count} ${what}`).join(', '),
    attributionNote: context.unattributed
      ? ` The plan counts them for the whole hierarchy (${siteList(facts)}), not per primary site: reinstall each with the line of its own primary site, or count them under each primary site for one finding per site.`
      : '',
    pushStep:
      unpublishedDomain + clients.otherForest > 0
        ? `Domain clients that client push can reach (${unpublishedDomain} of unpublished sites, ${clients.otherForest} in another forest whose computers the site discovers and where the push account is an administrator): reinstall with client push (Devices > Install Client, "Always install"), which uses the site's current ports, so run it after the site's ports change. `
        : '',
    ccmsetupStep:
      clients.workgroup + clients.otherForest + unpublishedDomain > 0
        ? `${clients.workgroup > 0 ? 'Workgroup clients, and clients' : 'Clients'} that push cannot reach: after the site's ports change, run ${line((s) => s.ccmsetup)}. `
        : '',
    internetStep: [
      internetOnly > 0 ? `Internet-only clients: ${line((s) => s.internetOnlyCcmsetup)}. ` : '',
      onInternet > 0 ? `Clients currently on the internet: ${line((s) => s.onInternetCcmsetup)}. ` : '',
      internetOnly + onInternet > 0
        ? `Replace ${INTERNET_MP} with the cloud management gateway (for /mp, its URL https://<CMG FQDN>/CCM_Proxy_MutualAuth/<MP role ID>) or the internet-facing management point, never the intranet one, before running them. `
        : '',
    ].join(''),
    linuxInstall: line((s) => s.linuxInstall),
  };
}

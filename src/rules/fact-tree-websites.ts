import {
  CUSTOM_WEBSITE,
  DEFAULT_WEB_SITE,
  findSite,
  isConfigMgrApplication,
  sourceRef,
} from '../evidence/analysis.js';
import type { IisApplication, IisSite } from '../evidence/types.js';
import type { Facts, ServerEvidence } from '../facts/types.js';
import type { FactTreeOf } from './catalogue.js';

type WebsiteFacts = Pick<
  FactTreeOf['servers'][number],
  | 'configMgrWebsite'
  | 'configMgrWebsiteRef'
  | 'plannedWebsite'
  | 'websiteSwitch'
  | 'wsusOnDefaultWebSite'
  | 'wsusRef'
>;

/**
 * The web service roots WSUS creates in the site it is installed to (its own "WSUS Administration" site
 * on 8530/8531, or the Default Web Site on 80/443). Finding them under the Default Web Site means WSUS
 * answers on whatever ports the Default Web Site is bound to.
 */
const WSUS_ROOTS = new Set(
  [
    'ApiRemoting30',
    'ClientWebService',
    'DssAuthWebService',
    'ServerSyncWebService',
    'SimpleAuthWebService',
  ].map((name) => `/${name.toLowerCase()}`),
);

/**
 * Which website ConfigMgr uses on this server today (where its applications are) against the one the
 * plan asks for, and whether WSUS shares the Default Web Site (DOMAIN.md S12, S3). Null when the
 * bundle has no applicationHost.config, or (planned website) in ad-hoc mode.
 */
export function websiteFacts(server: ServerEvidence, facts: Facts): WebsiteFacts {
  const config = server.bundle.applicationHost;
  const custom = facts.change.customWebsite;
  const plannedWebsite = custom === null ? null : custom ? CUSTOM_WEBSITE : DEFAULT_WEB_SITE;
  if (!config) {
    const unknown = { configMgrWebsite: null, configMgrWebsiteRef: '', websiteSwitch: null };
    return { ...unknown, plannedWebsite, wsusOnDefaultWebSite: null, wsusRef: '' };
  }
  // Switching to SMSWEB leaves the old directories under the Default Web Site, so SMSWEB wins.
  const [current] = [CUSTOM_WEBSITE, DEFAULT_WEB_SITE].flatMap((name) => {
    const site = findSite(config, name);
    const app = site ? configMgrApplications(site)[0] : undefined;
    return site && app ? [{ name: site.name, app }] : [];
  });
  const wsus = findSite(config, DEFAULT_WEB_SITE)?.applications.find((app) =>
    WSUS_ROOTS.has(app.path.toLowerCase()),
  );
  return {
    configMgrWebsite: current?.name ?? '',
    configMgrWebsiteRef: current ? sourceRef(current.app) : '',
    plannedWebsite,
    websiteSwitch:
      plannedWebsite === null
        ? null
        : current !== undefined && current.name.toLowerCase() !== plannedWebsite.toLowerCase(),
    wsusOnDefaultWebSite: wsus !== undefined,
    wsusRef: wsus ? sourceRef(wsus) : '',
  };
}

const configMgrApplications = (site: IisSite): IisApplication[] =>
  site.applications.filter((app) => app.path !== '/' && isConfigMgrApplication(app.path));

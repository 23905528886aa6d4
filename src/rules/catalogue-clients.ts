import { b, list, maybe, n, obj, s } from './catalogue-terms.js';

/**
 * The client part of the catalogue: the population the plan counts (whole, and per primary site) and
 * the paste-ready lines to reconfigure it, one set per primary site (fact-tree-clients.ts builds them).
 */

/** The counts of a client population, as the plan's `clients` sections give them. */
const populationFields = {
  domain: n('Domain clients'),
  workgroup: n('Workgroup clients'),
  otherForest: n('Clients in another forest'),
  internetOnly: n('Internet-only clients'),
  onInternet: n('Clients currently on the internet'),
  linuxUnix: n('Linux/UNIX clients'),
};

export const clientsNode = maybe(
  obj(
    {
      ...populationFields,
      perSite: b('The plan counts the clients per primary site (these are the sums)'),
      internetFacing: n('Internet-only clients plus clients currently on the internet'),
    },
    'The whole client population (null: the plan counts no clients)',
  ),
);

export const clientGroupsNode = list(
  obj(
    {
      scope: s('`primary site P01`, or `the hierarchy` when the plan counts several sites together'),
      subject: s('`clients:P01`, or `clients` for the top-level counts'),
      linuxSubject: s('`clients.linuxUnix:P01`, or `clients.linuxUnix`'),
      ref: s('`plan:hierarchy.primarySites.P01.clients` or `plan:clients`'),
      siteCodes: list(s('site code'), 'The primary sites the group counts clients of'),
      ...populationFields,
      cannotReadAd: n(
        'Clients that cannot learn the new ports from AD (internet clients only when HTTPS changes; domain clients of unpublished sites)',
      ),
      strandedSummary: s('`25 workgroup, 40 in another forest …`'),
      attributionNote: s('Says that hierarchy-wide counts are not attributed to a site, or empty'),
      pushStep: s('The client push step for the domain clients push can reach, or empty'),
      ccmsetupStep: s('The CCMSetup step for the intranet clients push cannot reach, or empty'),
      internetStep: s('The CCMSetup steps for internet-only and on-internet clients, or empty'),
      linuxInstall: s('The Linux/UNIX install line(s) of the group’s site(s)'),
    },
    'group',
  ),
  'The counted clients: one group per primary site that has a `clients:` section, or one for the top-level section',
);

export const remediationNode = obj(
  {
    sites: list(
      obj(
        {
          siteCode: s('Primary site code'),
          managementPoint: s('A management point of the site (or of its secondary sites), or a placeholder'),
          ccmsetup: s('CCMSetup.exe line for its intranet clients, with the new ports'),
          internetOnlyCcmsetup: s(
            'CCMSetup.exe line for its internet-only clients (CMG/internet MP placeholder)',
          ),
          onInternetCcmsetup: s('CCMSetup.exe line for its clients currently on the internet'),
          linuxInstall: s('Linux/UNIX `./install …` line with the new ports and -keepdb'),
        },
        'site',
      ),
      'Paste-ready lines per primary site, each with its own site code and management point',
    ),
    ccmsetupText: s('The CCMSetup lines, `for P01: …; for P02: …` when there are several sites'),
    internetOnlyText: s('The internet-only CCMSetup lines, likewise'),
    onInternetText: s('The on-internet CCMSetup lines, likewise'),
    linuxInstallText: s('The Linux/UNIX install lines, likewise'),
    portswitch: s('Portswitch.vbs command line with the new ports'),
  },
  'Paste-ready steps',
);

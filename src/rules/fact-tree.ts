import type { EndpointFacts, Facts } from '../facts/types.js';
import type { ProbeRecord } from '../probes/types.js';
import type { FactTreeOf } from './catalogue.js';
import { endpointLabel, probeEvidence, PROTOCOL_UPPER } from './describe.js';
import { clientGroupsFact, clientsFact, remediationFacts } from './fact-tree-clients.js';
import { linksFact } from './fact-tree-links.js';
import { blockGroupsOf } from './fact-tree-paths.js';
import { baselineFailuresOf, comparisonsOf, probeFact, type ProbeTree } from './fact-tree-probes.js';
import { wellKnownUse } from './fact-tree-port-state.js';
import { serverFacts } from './fact-tree-servers.js';
import { internetFacts, systemFacts } from './fact-tree-systems.js';

type Tree = FactTreeOf;

/** Projects the typed facts into the tree rule files read (RULE_CATALOGUE). Pure. */
export function factTreeOf(facts: Facts): Tree {
  const { change } = facts;
  const finalHttp = change.http?.candidate ?? 80;
  const finalHttps = change.https?.candidate ?? 443;
  const remediation = remediationFacts(facts);
  // One pass over the endpoints: a big scan has thousands of probe records (fact-tree-probes.ts).
  const records: ProbeRecord[] = [];
  const probes: ProbeTree[] = [];
  const comparisons: Tree['comparisons'][number][] = [];
  const endpoints: Tree['endpoints'][number][] = [];
  for (const endpoint of facts.endpoints) {
    const label = endpointLabel(endpoint);
    const own: ProbeTree[] = [];
    for (const record of endpoint.probes) {
      const fact = probeFact(record, endpoint, label);
      records.push(record);
      own.push(fact);
      probes.push(fact);
    }
    for (const comparison of comparisonsOf(endpoint, label, own)) comparisons.push(comparison);
    endpoints.push(endpointFact(endpoint, label, own));
  }
  return {
    change: {
      http: change.http ? requestPortFact(change.http) : null,
      https: change.https ? requestPortFact(change.https) : null,
      portsChanged: facts.newPorts.some((port) => port.kind === 'candidate'),
      customWebsite: change.customWebsite,
      clientNotificationPort: change.clientNotificationPort,
      finalHttp,
      finalHttps,
      currentHttp: change.http?.current ?? 80,
      currentHttps: change.https?.current ?? 443,
      newPorts: facts.newPorts.map((port) => ({
        ...port,
        label: `${port.kind === 'candidate' ? 'Candidate' : 'Alternate'} ${port.scheme.toUpperCase()} port ${port.port}`,
        wellKnownUse: wellKnownUse(port.port, port.scheme, change.clientNotificationPort),
      })),
      newPortsText: [...new Set(facts.newPorts.map((port) => port.port))].join('/'),
      unchanged: (['http', 'https'] as const).flatMap((scheme) => {
        const ports = change[scheme];
        return ports && ports.current === ports.candidate
          ? [{ scheme: scheme.toUpperCase(), key: scheme, port: ports.current }]
          : [];
      }),
      alternates: (['http', 'https'] as const).flatMap((scheme) => {
        const ports = change[scheme];
        return ports?.alternate === undefined
          ? []
          : [
              {
                scheme,
                schemeUpper: scheme.toUpperCase(),
                port: ports.alternate,
                candidate: ports.candidate,
                current: ports.current,
              },
            ];
      }),
      wakeUp: change.wakeUp && {
        ...change.wakeUp,
        clientPort: change.wakeUp.clientSettingPort ?? change.wakeUp.sitePort,
      },
    },
    clients: clientsFact(facts),
    clientGroups: clientGroupsFact(facts, remediation),
    hierarchy: {
      primarySites: facts.primarySites.map((site) => site.siteCode),
      primaryCount: facts.primarySites.length,
      secondarySites: facts.primarySites.flatMap((site) => site.secondarySiteCodes),
      secondaryCount: facts.primarySites.reduce((sum, site) => sum + site.secondarySiteCodes.length, 0),
      secondarySystems: secondarySystemsOf(facts),
      ...internetFacts(facts),
    },
    remediation,
    scan: scanFact(facts, records),
    endpoints,
    probes,
    blockGroups: blockGroupsOf(records, probeEvidence),
    comparisons,
    servers: facts.servers.map((server) => serverFacts(server, facts)),
    systems: systemFacts(facts),
    links: linksFact(facts),
    vantage: { hostname: facts.vantage.hostname, rawSocket: facts.vantage.privileges.rawSocket },
  };
}

function requestPortFact(ports: { current: number; candidate: number; alternate?: number }) {
  return {
    current: ports.current,
    candidate: ports.candidate,
    alternate: ports.alternate ?? null,
    changed: ports.current !== ports.candidate,
  };
}

/** Hosts of the site systems that belong to a secondary site, as the plan lists them. */
function secondarySystemsOf(facts: Facts): string {
  const targets = [...facts.endpoints.map((e) => e.target), ...facts.servers.map((s) => s.target)];
  const hosts = new Set(
    targets.filter((target) => target.sites.some((site) => site.kind === 'secondary')).map((t) => t.host),
  );
  return hosts.size > 0 ? [...hosts].join(', ') : 'none listed in the plan';
}

const INTERRUPTION_TEXT = {
  signal: 'interrupted',
  deadline: 'stopped at its deadline',
  'host-deadline': 'cut short by a per-host deadline',
} as const;

/** `all`: every probe record of the endpoints, in order. */
function scanFact(facts: Facts, all: readonly ProbeRecord[]): Tree['scan'] {
  const pathSkip = facts.scan.skipped.find((entry) => entry.probe === 'path');
  const attributionSkip = facts.scan.skipped.find((entry) => entry.probe === 'attribution');
  const aborted: ProbeRecord[] = [];
  const unlocated: ProbeRecord[] = [];
  const unknownBlocker: ProbeRecord[] = [];
  for (const p of all) {
    if (p.reason === 'aborted') aborted.push(p);
    if (p.state !== 'filtered') continue;
    if (p.blockedBy === undefined) unlocated.push(p);
    if (p.localisation === 'unknown') unknownBlocker.push(p);
  }
  return {
    phase: facts.scan.phase,
    complete: facts.scan.complete,
    offline: facts.scan.offline,
    interruption: facts.scan.complete ? '' : INTERRUPTION_TEXT[facts.scan.interruption ?? 'signal'],
    probeCount: all.length,
    abortedRefs: aborted.map(probeEvidence),
    abortedCount: aborted.length,
    pathProbingSkipped: pathSkip !== undefined,
    pathSkipReason: pathSkip?.reason ?? '',
    unlocatedFilteredRefs: unlocated.map(probeEvidence),
    unlocatedFilteredCount: unlocated.length,
    attributionSkipped: attributionSkip !== undefined,
    attributionSkipReason: attributionSkip?.reason ?? '',
    unknownBlockerRefs: unknownBlocker.map(probeEvidence),
    unknownBlockerCount: unknownBlocker.length,
    unknownBlockerWhy: [...new Set(unknownBlocker.map((p) => lastClause(p.detail)))].join('; '),
    evidenceDirs: facts.servers.map((server) => server.bundle.dir),
    evidenceRefs: facts.servers.map((server) => `evidence:${server.bundle.dir}`),
    bundleCount: facts.servers.length,
  };
}

/** Whether the address still answered, at the end of the scan, a port that answered it before. */
function recheckOf(endpoint: EndpointFacts) {
  const { recheck } = endpoint;
  const asked =
    recheck && endpoint.probes.find((p) => p.protocol === recheck.protocol && p.port === recheck.port);
  if (!recheck || !asked) return { vanished: false, recheckText: '', recheckRef: '' };
  return {
    vanished: !recheck.stillAnswers,
    recheckText:
      `${PROTOCOL_UPPER[recheck.protocol]} ${recheck.port} was ${recheck.before} during the scan and ` +
      `${recheck.after.state} (${recheck.after.reason}) when asked again at its end`,
    recheckRef: probeEvidence(asked),
  };
}

/** The last clause of a probe's detail: the engine appends the newest conclusion last. */
const lastClause = (detail: string | undefined) => (detail ?? 'no detail').split('; ').at(-1) as string;

function endpointFact(
  endpoint: EndpointFacts,
  label: string,
  probes: readonly ProbeTree[],
): Tree['endpoints'][number] {
  const host = endpoint.target.host;
  return {
    host,
    label,
    subject: endpoint.address === null || endpoint.address === host ? host : `${host}@${endpoint.address}`,
    resolved: endpoint.address !== null,
    resolveDetail: endpoint.address === null ? (endpoint.probes[0]?.detail ?? 'no address') : '',
    reachedHost: endpoint.reachedHost,
    aborted: endpoint.probes.some((probe) => probe.reason === 'aborted'),
    probeCount: endpoint.probes.length,
    reasons: [...new Set(endpoint.probes.map((probe) => probe.reason))].join(', '),
    probeRefs: probes.map((probe) => probe.ref),
    ...baselineFailuresOf(endpoint),
    ...recheckOf(endpoint),
  };
}

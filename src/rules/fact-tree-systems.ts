import { clientsFact } from './fact-tree-clients.js';
import type { Facts } from '../facts/types.js';
import type { ScanTarget } from '../plan/scan-spec.js';
import { NOT_PROBED_WHY, ROLE_WORDS, rolesOnConfigMgrWebsite } from '../plan/site-roles.js';
import type { FactTreeOf } from './catalogue.js';

type SystemTree = FactTreeOf['systems'][number];
type HierarchyTree = FactTreeOf['hierarchy'];

/**
 * Whether ConfigMgr hosts a role of the target on IIS. Roles unknown (ad-hoc check): the operator
 * checks the host on the client request ports, so it is taken for an IIS site system.
 */
export function usesIis(target: ScanTarget, customWebsite: boolean | null): boolean {
  return (
    target.systemRoles.length === 0 || rolesOnConfigMgrWebsite(target.systemRoles, customWebsite).length > 0
  );
}

/** Every site system of the scan, with its roles and what they mean for probing (RULE_CATALOGUE `systems`). */
export function systemFacts(facts: Facts): SystemTree[] {
  const { https } = facts.change;
  return facts.targets.map((target) => {
    const managementPoints = managementPointsOfSites(facts.targets, target);
    const cmgConnectionPoint = target.systemRoles.includes('cmg-connection-point');
    return {
      host: target.host,
      roles: target.systemRoles,
      rolesText:
        target.systemRoles.length === 0
          ? 'unknown roles (ad-hoc check)'
          : target.systemRoles.map((role) => ROLE_WORDS[role]).join(', '),
      rolesKnown: target.systemRoles.length > 0,
      portCount: target.ports.length,
      notProbedWhy: notProbedWhy(target, facts.change),
      cmgConnectionPoint,
      managementPoints,
      managementPointsText: managementPoints.join(', '),
      cmgCheckCommand:
        https && https.candidate !== https.current && managementPoints.length > 0
          ? [
              'portflight check',
              ...managementPoints,
              `--current-https ${https.current}`,
              `--https ${https.candidate}`,
              ...(https.alternate === undefined ? [] : [`--alt-https ${https.alternate}`]),
            ].join(' ')
          : '',
    };
  });
}

function notProbedWhy(target: ScanTarget, change: Facts['change']): string {
  return target.systemRoles
    .flatMap((role) => {
      const why =
        role === 'fallback-status-point' && change.http === null
          ? 'it serves clients over HTTP only, and the change names no HTTP port'
          : role === 'enrollment-point' && target.enrollmentPointPort !== null
            ? `the enrollment proxy point connects to it on TCP ${target.enrollmentPointPort}, not the devices`
            : NOT_PROBED_WHY[role];
      return why === undefined ? [] : [`${ROLE_WORDS[role]}: ${why}`];
    })
    .join('; ');
}

/** The management points of the primary site(s) of `target` (a CMG connection point forwards to them). */
function managementPointsOfSites(targets: readonly ScanTarget[], target: ScanTarget): string[] {
  const codes = new Set(target.sites.map((site) => site.primarySiteCode));
  return targets
    .filter(
      (other) =>
        other.systemRoles.includes('management-point') &&
        other.sites.some((site) => site.kind === 'primary' && codes.has(site.siteCode)),
    )
    .map((other) => other.host);
}

/** Internet-based client management: which management points internet clients reach directly. */
export function internetFacts(
  facts: Facts,
): Pick<HierarchyTree, 'internetFacingManagementPoints' | 'cmgConnectionPoints' | 'internetClientRoute'> {
  const internetFacing = facts.targets.filter((t) => t.internetFacing).map((t) => t.host);
  const connectionPoints = facts.targets
    .filter((t) => t.systemRoles.includes('cmg-connection-point'))
    .map((t) => t.host);
  // Counted per primary site or for the hierarchy: the whole population either way.
  const counted = clientsFact(facts)?.internetFacing ?? 0;
  return {
    internetFacingManagementPoints: internetFacing,
    cmgConnectionPoints: connectionPoints,
    internetClientRoute:
      internetFacing.length > 0
        ? `the internet-facing management point(s) ${internetFacing.join(', ')}`
        : `an internet-facing management point (the plan counts ${counted} client(s) on the internet, marks no management point internetFacing and lists no CMG connection point)`,
  };
}

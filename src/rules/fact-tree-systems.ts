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
  const managementPointsOf = managementPointsBySites(facts.targets, facts.change);
  return facts.targets.map((target) => {
    const { managementPoints, managementPointsText, cmgCheckCommand } = managementPointsOf(target);
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
      managementPointsText,
      cmgCheckCommand,
    };
  });
}

/** Why a system is not probed, role by role; empty when every role serves a client port. */
export function notProbedWhy(target: ScanTarget, change: Facts['change']): string {
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

type SiteManagementPoints = Pick<SystemTree, 'managementPoints' | 'managementPointsText' | 'cmgCheckCommand'>;

/**
 * The management points of the primary site(s) of a target (a CMG connection point forwards to
 * them). Computed once per set of primary sites and shared by the targets of that set: a plan with
 * 10,000 management points would otherwise build 10,000 lists of 10,000 names.
 */
function managementPointsBySites(
  targets: readonly ScanTarget[],
  { https }: Facts['change'],
): (target: ScanTarget) => SiteManagementPoints {
  const bySiteSet = new Map<string, SiteManagementPoints>();
  return (target) => {
    const codes = new Set(target.sites.map((site) => site.primarySiteCode));
    const key = [...codes].sort().join('\n');
    let found = bySiteSet.get(key);
    if (found === undefined) {
      const managementPoints = targets
        .filter(
          (other) =>
            other.systemRoles.includes('management-point') &&
            other.sites.some((site) => site.kind === 'primary' && codes.has(site.siteCode)),
        )
        .map((other) => other.host);
      const managementPointsText = managementPoints.join(', ');
      const cmgCheckCommand =
        https && https.candidate !== https.current && managementPoints.length > 0
          ? [
              `portflight check ${managementPoints.join(' ')}`,
              `--current-https ${https.current}`,
              `--https ${https.candidate}`,
              ...(https.alternate === undefined ? [] : [`--alt-https ${https.alternate}`]),
            ].join(' ')
          : '';
      found = { managementPoints, managementPointsText, cmgCheckCommand };
      bySiteSet.set(key, found);
    }
    return found;
  };
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

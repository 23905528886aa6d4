import type { ChangeSpec, ScanTarget } from '../../plan/scan-spec.js';
import type { SiteSystemRole } from '../../plan/schema.js';
import { notProbedWhy } from '../../rules/fact-tree-systems.js';
import type { PortRole, ProbeProtocol, ProbeRecord } from '../../probes/types.js';
import type { HostResolution } from '../../probes/resolve-host.js';
import { isHop, probeMarkKind } from '../../report/marks.js';
import type { CellKind } from '../theme.js';

/** One column of the matrix: a (protocol, port) of the change. */
export interface MatrixColumn {
  readonly key: string;
  readonly protocol: ProbeProtocol;
  readonly port: number;
  readonly role: PortRole;
  /** `8080`, or `u9` for UDP: short enough for narrow terminals. */
  readonly label: string;
}

/** One row: a target's address, or the target itself while unresolved or when it did not resolve. */
export interface MatrixRow {
  readonly key: string;
  readonly target: string;
  readonly address: string | null;
  readonly label: string;
  /** Column keys this target is probed on; the other cells are blank. */
  readonly columnKeys: ReadonlySet<string>;
  /** Site codes of the target (`P01`, `S01`), empty in ad-hoc mode. */
  readonly site: string;
  /** Its roles in short (`MP DP`), empty when unknown. */
  readonly roles: string;
  /** Why its roles serve no client port, when it has none to probe. */
  readonly notProbedWhy: string | null;
  /** With `g`: the rows this one stands for (itself first), when it stands for more than itself. */
  readonly members?: readonly MatrixRow[];
}

/** Short role names for the matrix's roles column, as ConfigMgr administrators abbreviate them. */
const ROLE_CODES: Readonly<Record<SiteSystemRole, string>> = {
  'management-point': 'MP',
  'distribution-point': 'DP',
  'fallback-status-point': 'FSP',
  'state-migration-point': 'SMP',
  'enrollment-point': 'EP',
  'enrollment-proxy-point': 'EPP',
  'software-update-point': 'SUP',
  'reporting-services-point': 'RSP',
  'cmg-connection-point': 'CMG',
  'site-server': 'SS',
  'sms-provider': 'PROV',
  'site-database-server': 'SQL',
};

export const roleCodes = (roles: readonly SiteSystemRole[]) =>
  roles.map((role) => ROLE_CODES[role]).join(' ');

/** Codes that make the site column: the target's sites, secondary ones included. */
export const siteCodes = (target: ScanTarget) => target.sites.map((site) => site.siteCode).join(' ');

export const columnKeyOf = (protocol: ProbeProtocol, port: number) => `${protocol}/${port}`;
export const rowKeyOf = (target: string, address: string | null) => `${target}|${address ?? ''}`;
export const cellKeyOf = (target: string, address: string | null, protocol: ProbeProtocol, port: number) =>
  `${rowKeyOf(target, address)}|${columnKeyOf(protocol, port)}`;
export const cellKeyOfRecord = (record: Pick<ProbeRecord, 'target' | 'address' | 'protocol' | 'port'>) =>
  cellKeyOf(record.target, record.address, record.protocol, record.port);

/** Columns in role order (current ports first, as the change line reads), then by port. */
export function matrixColumns(targets: readonly ScanTarget[]): readonly MatrixColumn[] {
  const byKey = new Map<string, MatrixColumn>();
  for (const target of targets) {
    for (const assignment of target.ports) {
      const key = columnKeyOf(assignment.protocol, assignment.port);
      const role = assignment.roles[0] ?? 'extra';
      const known = byKey.get(key);
      if (known && rank(known.role) <= rank(role)) continue;
      const label = assignment.protocol === 'udp' ? `u${assignment.port}` : String(assignment.port);
      byKey.set(key, { key, protocol: assignment.protocol, port: assignment.port, role, label });
    }
  }
  return [...byKey.values()].sort((a, b) => rank(a.role) - rank(b.role) || a.port - b.port);
}

/** Reading order of a change: today's port, then where it moves, then the rest. */
const COLUMN_ORDER: readonly PortRole[] = [
  'current-http',
  'candidate-http',
  'alternate-http',
  'current-https',
  'candidate-https',
  'alternate-https',
  'client-notification',
  'enrollment',
  'extra',
];
const rank = (role: PortRole) => COLUMN_ORDER.indexOf(role);

/** Rows for every target: one per resolved address, else one for the name itself. */
export function matrixRows(
  targets: readonly ScanTarget[],
  resolutions: Readonly<Record<string, HostResolution>>,
  change: ChangeSpec | null = null,
): readonly MatrixRow[] {
  return targets.flatMap((target): MatrixRow[] => {
    const columnKeys = new Set(target.ports.map((p) => columnKeyOf(p.protocol, p.port)));
    const why = target.ports.length === 0 && change !== null ? notProbedWhy(target, change) : '';
    const about = {
      target: target.host,
      columnKeys,
      site: siteCodes(target),
      roles: roleCodes(target.systemRoles),
      notProbedWhy: target.ports.length === 0 ? why || 'its roles serve no client port' : null,
    };
    const resolution = resolutions[target.host];
    // A system with nothing to probe is never resolved: one row says why.
    if (resolution?.ok && target.ports.length > 0) {
      return resolution.addresses.map((address) => ({
        ...about,
        key: rowKeyOf(target.host, address),
        address,
        label: address === target.host ? address : `${target.host} ${address}`,
      }));
    }
    return [{ ...about, key: rowKeyOf(target.host, null), address: null, label: target.host }];
  });
}

/** A finished probe as the matrix shows it: filtered splits by who blocks it (report/marks.ts). */
export function cellKindOfRecord(record: Pick<ProbeRecord, 'state' | 'reason' | 'blockedBy'>): CellKind {
  return probeMarkKind(record);
}

export { isHop };

import type { ProbeRecord } from '../../probes/types.js';
import type { Finding, Severity } from '../../rules/types.js';
import type { Verdict } from '../../verdict/compute-verdict.js';
import type { CellKind } from '../theme.js';
import {
  cellKeyOf,
  cellKindOfRecord,
  matrixColumns,
  matrixRows,
  type MatrixColumn,
  type MatrixRow,
} from './matrix.js';
import type { UiState } from './types.js';

/** Worst first: the order findings are listed and the main reason is picked in. */
export const SEVERITY_ORDER: readonly Severity[] = ['no-go', 'incomplete', 'condition', 'info'];

/** Something the cursor can rest on: a finding, then each probed cell of the matrix. */
export type NavigableItem =
  | { readonly kind: 'finding'; readonly finding: Finding }
  | {
      readonly kind: 'probe';
      readonly cellKey: string;
      readonly row: MatrixRow;
      readonly column: MatrixColumn;
      readonly record: ProbeRecord | null;
    };

export function visibleFindings(state: UiState): readonly Finding[] {
  const findings = state.report?.findings ?? [];
  return SEVERITY_ORDER.flatMap((severity) =>
    state.filter === 'all' || state.filter === severity
      ? findings.filter((finding) => finding.severity === severity)
      : [],
  );
}

/** Columns and rows of the matrix; with `g`, rows alike in site, roles and every cell drawn as one. */
export function matrixOf(state: UiState): {
  readonly columns: readonly MatrixColumn[];
  readonly rows: readonly MatrixRow[];
} {
  const columns = matrixColumns(state.targets);
  const rows = matrixRows(state.targets, state.resolutions, state.change);
  return { columns, rows: state.grouped ? groupRows(state, rows, columns) : rows };
}

function groupRows(
  state: UiState,
  rows: readonly MatrixRow[],
  columns: readonly MatrixColumn[],
): readonly MatrixRow[] {
  const groups = new Map<string, MatrixRow[]>();
  for (const row of rows) {
    const kinds = columns.map((column) => cellKind(state, row, column)).join(',');
    const key = [row.site, row.roles, row.notProbedWhy ?? '', kinds].join('|');
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return [...groups.values()].map((members) => {
    const first = members[0] as MatrixRow;
    if (members.length === 1) return first;
    const noun = members.every((member) => member.address !== null) ? 'addresses' : 'systems';
    const kinds = new Set(
      columns
        .filter((column) => first.columnKeys.has(column.key))
        .map((column) => cellKind(state, first, column)),
    );
    const all = kinds.size === 1 ? `: all ${[...kinds][0] as string}` : ' alike';
    return { ...first, label: `${members.length} ${noun}${all}`, members };
  });
}

export function navigableItems(state: UiState): readonly NavigableItem[] {
  const findings = visibleFindings(state).map((finding): NavigableItem => ({ kind: 'finding', finding }));
  const { columns, rows } = matrixOf(state);
  const probes = rows.flatMap((row) =>
    columns
      .filter((column) => row.columnKeys.has(column.key))
      .map((column): NavigableItem => {
        const cellKey = cellKeyOf(row.target, row.address, column.protocol, column.port);
        return { kind: 'probe', cellKey, row, column, record: state.probes.get(cellKey) ?? null };
      }),
  );
  return [...findings, ...probes];
}

export function selectedItem(state: UiState): NavigableItem | null {
  return navigableItems(state)[state.cursor] ?? null;
}

export function cellKind(state: UiState, row: MatrixRow, column: MatrixColumn): CellKind {
  if (!row.columnKeys.has(column.key)) return 'not-probed';
  const key = cellKeyOf(row.target, row.address, column.protocol, column.port);
  const record = state.probes.get(key);
  if (record) return cellKindOfRecord(record);
  if (state.inFlight.has(key)) return 'in-flight';
  // A run that ended without this probe never sent it.
  return state.status === 'finished' || state.status === 'failed' ? 'aborted' : 'pending';
}

/**
 * Where the run is, as the progress line says it: a stopped scan is never "done", and counts what
 * it did and what it never sent.
 */
export function progressOf(state: UiState): {
  readonly status: 'starting' | 'running' | 'stopping' | 'stopped' | 'done' | 'failed';
  readonly done: number;
  readonly total: number;
  /** Probes planned and never sent (stopped scans). */
  readonly notSent: number;
} {
  const report = state.report;
  if (report) {
    const notSent = report.probes.filter((probe) => probe.reason === 'aborted').length;
    const total = Math.max(report.probes.length, state.total);
    const done = report.probes.length - notSent;
    const stopped = state.stoppedByUser || !report.scan.complete;
    return { status: stopped ? 'stopped' : 'done', done, total, notSent: total - done };
  }
  const notSent = Math.max(0, state.total - state.done);
  if (state.status === 'failed') return { status: 'failed', done: state.done, total: state.total, notSent };
  if (state.status === 'stopping')
    return { status: 'stopping', done: state.done, total: state.total, notSent };
  const status = state.status === 'idle' || state.phase === null ? 'starting' : 'running';
  return { status, done: state.done, total: state.total, notSent: 0 };
}

/** How many cells are in each state, finished probes and probes in flight alike. */
export function stateCounts(state: UiState): Readonly<Partial<Record<CellKind, number>>> {
  const counts: Partial<Record<CellKind, number>> = {};
  for (const record of state.probes.values()) {
    const kind = cellKindOfRecord(record);
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  if (state.inFlight.size > 0) counts['in-flight'] = state.inFlight.size;
  return counts;
}

/** Seconds left at the probe rate seen so far; null until a rate is known or when nothing is left. */
export function etaSeconds(state: UiState): number | null {
  if (state.status !== 'running' || state.plannedAt === null || state.updatedAt === null) return null;
  const left = state.total - state.done;
  const elapsed = state.updatedAt - state.plannedAt;
  if (state.done === 0 || left <= 0 || elapsed <= 0) return null;
  return Math.ceil((left * elapsed) / state.done / 1000);
}

/**
 * The verdict the screen shows, or null while there is none. A run the user stopped is never shown
 * as GO: the engine already says INCOMPLETE for it, and this keeps the promise if it ever did not.
 */
export function displayedVerdict(state: UiState): Verdict | null {
  if (state.report) {
    return state.stoppedByUser && state.report.verdict === 'go' ? 'incomplete' : state.report.verdict;
  }
  if (state.status === 'failed' && state.stoppedByUser) return 'incomplete';
  return null;
}

/** The one line under the verdict: the worst standing finding, else why there is nothing to say. */
export function mainReason(state: UiState): string {
  const report = state.report;
  if (!report) {
    if (state.failure) return state.failure.message;
    return state.status === 'stopping' ? 'stopping the scan…' : 'probing…';
  }
  const standing = report.findings.filter((finding) => finding.waived === undefined);
  for (const severity of SEVERITY_ORDER) {
    const finding = standing.find((candidate) => candidate.severity === severity);
    if (finding && severity !== 'info') return finding.message;
  }
  if (displayedVerdict(state) === 'incomplete') return 'the scan was stopped before every probe ran';
  return standing[0]?.message ?? 'no finding calls for more than the planned change';
}

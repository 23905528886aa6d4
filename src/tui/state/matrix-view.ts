import { isIP } from 'node:net';
import type { CellKind } from '../theme.js';
import { isHop, type MatrixColumn, type MatrixRow } from './matrix.js';
import { cellKind, matrixOf, selectedItem } from './selectors.js';
import type { UiState } from './types.js';
import { scrollWindow } from '../layout.js';

export interface MatrixCellView {
  readonly kind: CellKind;
  readonly selected: boolean;
}

export interface MatrixRowView {
  readonly key: string;
  readonly label: string;
  readonly site: string;
  readonly roles: string;
  readonly cells: readonly MatrixCellView[];
  /** The first hop that blocks a probe of this row, shown beside it. */
  readonly blockedAt: string | null;
  /** Why this row holds nothing to probe (its cells are then this text). */
  readonly notProbedWhy: string | null;
}

/** Exactly what ProbeMatrix draws: the rows and columns that fit, and how many do not. */
export interface MatrixView {
  readonly labelWidth: number;
  /** 0 when no target has a site (ad-hoc checks), and the column is left out. */
  readonly siteWidth: number;
  readonly rolesWidth: number;
  readonly cellWidth: number;
  readonly columns: readonly MatrixColumn[];
  /** Columns scrolled off to the left and to the right. */
  readonly columnsBefore: number;
  readonly hiddenColumns: number;
  /** The last first column ←/→ can scroll to (0: every column fits). */
  readonly columnsMax: number;
  readonly rows: readonly MatrixRowView[];
  readonly rowsAbove: number;
  readonly rowsBelow: number;
}

/** Wide enough for the `target/address` heading and an IPv4 address. */
const MIN_LABEL_WIDTH = 16;
const MIN_CELL_WIDTH = 5;
/** `255.255.255.255`: room kept beside a name for the address it resolves to. */
const IPV4_WIDTH = 15;

/**
 * Label width decided from the targets, before any name resolves: a name gets room for its IPv4
 * address beside it, so the columns do not jump when resolution comes in.
 */
function reservedLabelWidth(state: UiState, rows: readonly MatrixRow[], width: number): number {
  const longest = Math.max(
    MIN_LABEL_WIDTH,
    // A group's label (`196 addresses: all open`) is known as soon as it is drawn, and says it all.
    ...rows.filter((row) => row.members).map((row) => row.label.length + 1),
    ...state.targets.map((target) =>
      isIP(target.host) !== 0 || target.ports.length === 0
        ? target.host.length + 1
        : target.host.length + 2 + IPV4_WIDTH,
    ),
  );
  return Math.min(longest, Math.max(MIN_LABEL_WIDTH, Math.floor(width * 0.4)));
}

const columnWidth = (values: readonly string[], heading: string, max: number) =>
  values.some((value) => value !== '')
    ? Math.min(max, Math.max(heading.length, ...values.map((value) => value.length)) + 1)
    : 0;

/** Lays the matrix out in `width` columns and `maxRows` lines, keeping the cursor's row in view. */
export function matrixView(state: UiState, width: number, maxRows: number): MatrixView {
  const { columns, rows } = matrixOf(state);
  const cellWidth = Math.max(MIN_CELL_WIDTH, ...columns.map((column) => column.label.length + 2));
  const labelWidth = reservedLabelWidth(state, rows, width);
  const siteWidth = columnWidth(
    rows.map((row) => row.site),
    'site',
    9,
  );
  const rolesWidth = columnWidth(
    rows.map((row) => row.roles),
    'roles',
    13,
  );
  const room = width - labelWidth - siteWidth - rolesWidth;
  const fitting = Math.max(1, Math.floor(room / cellWidth));
  // Keep room for the " ◂n n▸ ←/→" note when some columns do not fit.
  const noteWidth = ` ◂${columns.length} ${columns.length}▸ ←/→`.length;
  const shown =
    columns.length > fitting ? Math.max(1, Math.floor((room - noteWidth) / cellWidth)) : columns.length;
  const columnsMax = columns.length - shown;

  const selected = selectedItem(state);
  const selectedRow = selected?.kind === 'probe' ? rows.findIndex((row) => row.key === selected.row.key) : -1;
  const selectedColumn =
    selected?.kind === 'probe' ? columns.findIndex((column) => column.key === selected.column.key) : -1;
  const window = scrollWindow(rows.length, selectedRow, maxRows);
  // ←/→ choose the first column; a selected port is brought into view whatever they chose.
  let start = Math.min(state.columnStart, columnsMax);
  if (selectedColumn >= 0 && selectedColumn < start) start = selectedColumn;
  if (selectedColumn >= start + shown) start = selectedColumn - shown + 1;
  const visibleColumns = columns.slice(start, start + shown);

  const rowViews = rows.slice(window.start, window.end).map((row): MatrixRowView => {
    const cells = visibleColumns.map((column) => ({
      kind: cellKind(state, row, column),
      selected:
        selected?.kind === 'probe' && selected.row.key === row.key && selected.column.key === column.key,
    }));
    const blocked = [...state.probes.values()].find(
      (record) => record.target === row.target && record.address === row.address && isHop(record.blockedBy),
    );
    return {
      key: row.key,
      label: row.label,
      site: row.site,
      roles: row.roles,
      cells,
      blockedAt: blocked?.blockedBy ?? null,
      notProbedWhy: row.notProbedWhy,
    };
  });
  return {
    labelWidth,
    siteWidth,
    rolesWidth,
    cellWidth,
    columns: visibleColumns,
    columnsBefore: start,
    hiddenColumns: columns.length - start - visibleColumns.length,
    columnsMax,
    rows: rowViews,
    rowsAbove: window.above,
    rowsBelow: window.below,
  };
}

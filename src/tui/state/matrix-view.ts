import type { CellKind } from '../theme.js';
import { isHop, type MatrixColumn } from './matrix.js';
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
  readonly cells: readonly MatrixCellView[];
  /** The first hop that blocks a probe of this row, shown beside it. */
  readonly blockedAt: string | null;
}

/** Exactly what ProbeMatrix draws: the rows and columns that fit, and how many do not. */
export interface MatrixView {
  readonly labelWidth: number;
  readonly cellWidth: number;
  readonly columns: readonly MatrixColumn[];
  /** Columns scrolled off to the left and to the right. */
  readonly columnsBefore: number;
  readonly hiddenColumns: number;
  readonly rows: readonly MatrixRowView[];
  readonly rowsAbove: number;
  readonly rowsBelow: number;
}

/** Wide enough for the `target/address` heading and an IPv4 address. */
const MIN_LABEL_WIDTH = 16;
const MIN_CELL_WIDTH = 5;

/** Lays the matrix out in `width` columns and `maxRows` lines, keeping the cursor's row in view. */
export function matrixView(state: UiState, width: number, maxRows: number): MatrixView {
  const { columns, rows } = matrixOf(state);
  const cellWidth = Math.max(MIN_CELL_WIDTH, ...columns.map((column) => column.label.length + 2));
  const longest = Math.max(MIN_LABEL_WIDTH, ...rows.map((row) => row.label.length + 1));
  const labelWidth = Math.min(longest, Math.max(MIN_LABEL_WIDTH, Math.floor(width * 0.4)));
  const fitting = Math.max(1, Math.floor((width - labelWidth - 1) / cellWidth));
  // Keep room for the "+n ports" note when some columns do not fit.
  const shown = columns.length > fitting ? Math.max(1, fitting - 2) : columns.length;

  const selected = selectedItem(state);
  const selectedRow = selected?.kind === 'probe' ? rows.findIndex((row) => row.key === selected.row.key) : -1;
  const selectedColumn =
    selected?.kind === 'probe' ? columns.findIndex((column) => column.key === selected.column.key) : -1;
  const window = scrollWindow(rows.length, selectedRow, maxRows);
  // Columns scroll with the cursor too, so a selected port is never off screen.
  const columnWindow = scrollWindow(columns.length, selectedColumn, shown);
  const visibleColumns = columns.slice(columnWindow.start, columnWindow.end);

  const rowViews = rows.slice(window.start, window.end).map((row): MatrixRowView => {
    const cells = visibleColumns.map((column) => ({
      kind: cellKind(state, row, column),
      selected:
        selected?.kind === 'probe' && selected.row.key === row.key && selected.column.key === column.key,
    }));
    const blocked = [...state.probes.values()].find(
      (record) => record.target === row.target && record.address === row.address && isHop(record.blockedBy),
    );
    return { key: row.key, label: row.label, cells, blockedAt: blocked?.blockedBy ?? null };
  });
  return {
    labelWidth,
    cellWidth,
    columns: visibleColumns,
    columnsBefore: columnWindow.above,
    hiddenColumns: columnWindow.below,
    rows: rowViews,
    rowsAbove: window.above,
    rowsBelow: window.below,
  };
}

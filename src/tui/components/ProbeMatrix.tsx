import { Box, Text } from 'ink';
import { useTheme } from '../hooks/use-theme.js';
import { fit, truncate } from '../layout.js';
import type { MatrixCellView, MatrixView } from '../state/matrix-view.js';

export interface ProbeMatrixProps {
  readonly view: MatrixView;
  readonly width: number;
}

/** Targets × ports; each cell a state symbol, the cursor's cell in brackets so it shows without colour. */
export function ProbeMatrix({ view, width }: ProbeMatrixProps) {
  const theme = useTheme();
  const cellsWidth = view.labelWidth + view.columns.length * view.cellWidth;
  const hidden = view.columnsBefore + view.hiddenColumns;
  const more = hidden > 0 ? ` ←${view.columnsBefore} →${view.hiddenColumns} ports` : '';
  return (
    <Box flexDirection="column">
      <Text bold>
        {truncate(
          fit('target/address', view.labelWidth) +
            view.columns.map((column) => fit(` ${column.label}`, view.cellWidth)).join('') +
            more,
          width,
        )}
      </Text>
      {view.rowsAbove > 0 && <Text color={theme.muted}>{`↑ ${view.rowsAbove} more`}</Text>}
      {view.rows.map((row) => (
        <Box key={row.key}>
          <Text>{fit(row.label, view.labelWidth - 1) + ' '}</Text>
          {row.cells.map((cell, index) => (
            <Cell key={index} cell={cell} width={view.cellWidth} />
          ))}
          {row.blockedAt !== null && (
            <Text color={theme.cell('blocked-by-hop').colour}>
              {truncate(` ⊘ at ${row.blockedAt}`, Math.max(0, width - cellsWidth))}
            </Text>
          )}
        </Box>
      ))}
      {view.rowsBelow > 0 && <Text color={theme.muted}>{`↓ ${view.rowsBelow} more`}</Text>}
    </Box>
  );
}

function Cell({ cell, width }: { readonly cell: MatrixCellView; readonly width: number }) {
  const style = useTheme().cell(cell.kind);
  const text = cell.selected ? `[${style.symbol}]` : ` ${style.symbol} `;
  return (
    <Text color={style.colour} bold={cell.selected} inverse={cell.selected}>
      {fit(text, width)}
    </Text>
  );
}

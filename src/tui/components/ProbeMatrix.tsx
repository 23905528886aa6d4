import { Box, Text } from 'ink';
import { useTheme } from '../hooks/use-theme.js';
import { fit, truncate } from '../layout.js';
import type { MatrixCellView, MatrixView } from '../state/matrix-view.js';

export interface ProbeMatrixProps {
  readonly view: MatrixView;
  readonly width: number;
}

/**
 * Targets × ports, with each target's site and roles; each cell a state symbol, the cursor's cell
 * in brackets so it shows without colour. A system with nothing to probe says why in its cells.
 */
export function ProbeMatrix({ view, width }: ProbeMatrixProps) {
  const theme = useTheme();
  const leading = view.labelWidth + view.siteWidth + view.rolesWidth;
  const cellsWidth = leading + view.columns.length * view.cellWidth;
  const left = view.columnsBefore > 0 ? ` ◂${view.columnsBefore}` : '';
  const right = view.hiddenColumns > 0 ? ` ${view.hiddenColumns}▸` : '';
  const more = left || right ? `${left}${right} ←/→` : '';
  return (
    <Box flexDirection="column">
      <Text bold>
        {truncate(
          fit('target/address', view.labelWidth) +
            fit('site', view.siteWidth) +
            fit('roles', view.rolesWidth) +
            view.columns.map((column) => fit(` ${column.label}`, view.cellWidth)).join('') +
            more,
          width,
        )}
      </Text>
      {view.rowsAbove > 0 && <Text color={theme.muted}>{`↑ ${view.rowsAbove} more rows`}</Text>}
      {view.rows.map((row) => (
        <Box key={row.key}>
          <Text>
            {fit(row.label, view.labelWidth - 1) + ' '}
            {view.siteWidth > 0 ? fit(row.site, view.siteWidth - 1) + ' ' : ''}
            {view.rolesWidth > 0 ? fit(row.roles, view.rolesWidth - 1) + ' ' : ''}
          </Text>
          {row.notProbedWhy !== null ? (
            <Text color={theme.muted}>
              {truncate(`nothing to probe: ${row.notProbedWhy}`, Math.max(0, width - leading))}
            </Text>
          ) : (
            row.cells.map((cell, index) => <Cell key={index} cell={cell} width={view.cellWidth} />)
          )}
          {row.blockedAt !== null && (
            <Text color={theme.cell('blocked-by-hop').colour}>
              {truncate(` ⊘ at ${row.blockedAt}`, Math.max(0, width - cellsWidth))}
            </Text>
          )}
        </Box>
      ))}
      {view.rowsBelow > 0 && <Text color={theme.muted}>{`↓ ${view.rowsBelow} more rows`}</Text>}
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

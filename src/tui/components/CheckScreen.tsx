import { Box, useApp } from 'ink';
import { useCallback, useReducer } from 'react';
import { describeChange, describeVantage, findingDetailLines, probeDetailLines } from '../describe.js';
import { exitCodeOfScreen } from '../exit-code-of-verdict.js';
import { useCheckRun } from '../hooks/use-check-run.js';
import { useKeyBindings } from '../hooks/use-key-bindings.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import { screenBudget } from '../layout.js';
import type { InteractiveSession } from '../session.js';
import { matrixView } from '../state/matrix-view.js';
import { initialUiState, uiReducer } from '../state/reducer.js';
import type { UiState } from '../state/types.js';
import {
  displayedVerdict,
  etaSeconds,
  mainReason,
  matrixOf,
  selectedItem,
  stateCounts,
  visibleFindings,
} from '../state/selectors.js';
import { DetailsPanel } from './DetailsPanel.js';
import { ExportDialog } from './ExportDialog.js';
import { FindingList } from './FindingList.js';
import { Header } from './Header.js';
import { HelpOverlay } from './HelpOverlay.js';
import { KeyHints } from './KeyHints.js';
import { ProbeMatrix } from './ProbeMatrix.js';
import { ProgressLine } from './ProgressLine.js';
import { VerdictBanner } from './VerdictBanner.js';

export interface CheckScreenProps {
  readonly session: InteractiveSession;
  /** Told the exit code once, just before the app exits on `q` or an idle Ctrl-C. */
  readonly onExit: (exitCode: number) => void;
}

/**
 * The one stateful component: it owns the reducer and the run, and lays out display-only parts.
 * No <Static> here, unlike examples/jest: cells change in place, and `r` and the filter redraw
 * everything, which Static (append-only) cannot.
 */
export function CheckScreen({ session, onExit }: CheckScreenProps) {
  const { exit } = useApp();
  const { columns: width, rows } = useTerminalSize();
  const [state, dispatch] = useReducer(uiReducer, session.targets, initialUiState);
  const controls = useCheckRun(session, dispatch);
  const quit = useCallback(
    (current: UiState) => {
      onExit(exitCodeOfScreen(current));
      exit();
    },
    [onExit, exit],
  );
  useKeyBindings({ state, dispatch, controls, formats: session.formats, quit });

  const scanning = state.status === 'running' || state.status === 'stopping';
  const budget = screenBudget(rows, matrixOf(state).rows.length, state.detailsOpen);
  const findings = visibleFindings(state);
  const selected = selectedItem(state);
  const selectedFinding = selected?.kind === 'finding' ? findings.indexOf(selected.finding) : -1;
  return (
    <Box flexDirection="column" width={width}>
      <Header
        title={session.title}
        sites={session.sites}
        change={describeChange(session.change)}
        vantage={describeVantage(state.report)}
        width={width}
      />
      {state.helpOpen ? (
        <HelpOverlay width={width} />
      ) : (
        <>
          <ProbeMatrix view={matrixView(state, width, budget.matrixRows)} width={width} />
          <ProgressLine
            done={state.done}
            total={state.total}
            phase={state.status === 'finished' ? 'done' : state.phase}
            etaSeconds={etaSeconds(state)}
            counts={stateCounts(state)}
            width={width}
          />
          {state.exportDialog ? (
            <ExportDialog dialog={state.exportDialog} width={width} />
          ) : (
            <FindingList
              findings={findings}
              selected={selectedFinding}
              filter={state.filter}
              ready={state.report !== null}
              maxLines={budget.findingLines}
              width={width}
            />
          )}
          {state.detailsOpen && selected && (
            <DetailsPanel lines={detailLinesOf(selected)} maxLines={budget.detailLines} width={width} />
          )}
        </>
      )}
      <VerdictBanner
        verdict={displayedVerdict(state)}
        failed={state.status === 'failed'}
        reason={mainReason(state)}
        width={width}
      />
      <KeyHints scanning={scanning} notice={state.notice} width={width} />
    </Box>
  );
}

function detailLinesOf(item: NonNullable<ReturnType<typeof selectedItem>>): readonly string[] {
  if (item.kind === 'finding') return findingDetailLines(item.finding);
  const where = `${item.row.label} ${item.column.protocol}/${item.column.port}`;
  return probeDetailLines(item.record, where);
}

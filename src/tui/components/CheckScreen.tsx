import { Box, useApp, useStdout } from 'ink';
import { useCallback, useMemo, useReducer } from 'react';
import { describeChange, describeVantage, itemDetailLines, subjectContextOf } from '../describe.js';
import { exitCodeOfScreen } from '../exit-code-of-verdict.js';
import { proposedExportBase } from '../export-names.js';
import { useCheckRun } from '../hooks/use-check-run.js';
import { useKeyBindings } from '../hooks/use-key-bindings.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import { useTheme } from '../hooks/use-theme.js';
import { screenBudget, wrapLines } from '../layout.js';
import type { InteractiveSession } from '../session.js';
import { matrixView } from '../state/matrix-view.js';
import { initialUiState, uiReducer } from '../state/reducer.js';
import type { UiState } from '../state/types.js';
import {
  displayedVerdict,
  etaSeconds,
  mainReason,
  matrixOf,
  progressOf,
  selectedItem,
  stateCounts,
  visibleFindings,
} from '../state/selectors.js';
import { DETAILS_CHROME, DetailsPanel } from './DetailsPanel.js';
import { ExportDialog } from './ExportDialog.js';
import { FindingList } from './FindingList.js';
import { Header } from './Header.js';
import { HELP_CHROME, HelpOverlay, helpLines } from './HelpOverlay.js';
import { KeyHints } from './KeyHints.js';
import { ProbeMatrix } from './ProbeMatrix.js';
import { ProgressLine } from './ProgressLine.js';
import { VerdictBanner } from './VerdictBanner.js';

export interface CheckScreenProps {
  readonly session: InteractiveSession;
  /** Told the exit code once, just before the app exits on `q` or an idle Ctrl-C. */
  readonly onExit: (exitCode: number) => void;
}

/** Lines outside the help overlay: header 3, banner 3, key hints 1, and the spare bottom line. */
const AROUND_HELP = 3 + 3 + 1 + 1;

/**
 * The one stateful component: it owns the reducer and the run, and lays out display-only parts.
 * No <Static> here, unlike examples/jest: cells change in place, and `r` and the filter redraw
 * everything, which Static (append-only) cannot.
 */
export function CheckScreen({ session, onExit }: CheckScreenProps) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const theme = useTheme();
  const { columns: width, rows } = useTerminalSize();
  const [state, dispatch] = useReducer(uiReducer, session, (given) =>
    initialUiState(given.targets, given.change),
  );
  const controls = useCheckRun(session, dispatch, stdout);
  const quit = useCallback(
    (current: UiState) => {
      onExit(exitCodeOfScreen(current));
      exit();
    },
    [onExit, exit],
  );

  const budget = screenBudget(rows, matrixOf(state).rows.length);
  const view = matrixView(state, width, budget.matrixRows);
  const findings = visibleFindings(state);
  const selected = selectedItem(state);
  const selectedFinding = selected?.kind === 'finding' ? findings.indexOf(selected.finding) : -1;
  const detailPage = Math.max(1, budget.detailLines - DETAILS_CHROME);
  const detailLines = useMemo(
    () =>
      selected && state.detailsOpen ? wrapLines(itemDetailLines(selected, state.report), width - 2) : [],
    [selected, state.detailsOpen, state.report, width],
  );
  const helpPage = Math.max(1, rows - AROUND_HELP - HELP_CHROME);
  const help = useMemo(() => helpLines(theme, width - 4), [theme, width]);
  const exportBase = state.report
    ? proposedExportBase(session.title, state.report.finishedAt)
    : 'portflight-report';
  useKeyBindings({
    state,
    dispatch,
    controls,
    formats: session.formats,
    exportBase,
    savedOnQuit: session.savedOnQuit !== null,
    detailsPage: detailPage,
    detailsMaxScroll: Math.max(0, detailLines.length - detailPage),
    helpMaxScroll: Math.max(0, help.length - helpPage),
    columnsMax: view.columnsMax,
    quit,
  });

  const scanning = state.status === 'running' || state.status === 'stopping';
  const progress = (
    <ProgressLine
      progress={progressOf(state)}
      phase={state.phase}
      etaSeconds={etaSeconds(state)}
      counts={stateCounts(state)}
      width={width}
    />
  );
  let body;
  if (state.helpOpen) {
    body = <HelpOverlay lines={help} scroll={state.helpScroll} page={helpPage} width={width} />;
  } else if (state.detailsOpen && selected) {
    body = (
      <>
        {progress}
        <DetailsPanel lines={detailLines} scroll={state.detailsScroll} page={detailPage} width={width} />
      </>
    );
  } else {
    body = (
      <>
        <ProbeMatrix view={view} width={width} />
        {progress}
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
            subjects={subjectContextOf(state.report)}
          />
        )}
      </>
    );
  }
  return (
    <Box flexDirection="column" width={width}>
      <Header
        title={session.title}
        sites={session.sites}
        change={describeChange(session.change)}
        vantage={describeVantage(state.report)}
        width={width}
      />
      {body}
      <VerdictBanner
        verdict={displayedVerdict(state)}
        failed={state.status === 'failed'}
        reason={mainReason(state)}
        width={width}
      />
      <KeyHints
        scanning={scanning}
        detailsOpen={state.detailsOpen && selected !== null}
        search={state.search}
        notice={state.notice}
        width={width}
      />
    </Box>
  );
}

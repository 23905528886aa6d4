import { useInput, type Key } from 'ink';
import { useRef, type Dispatch } from 'react';
import type { ReportFormat } from '../../report/index.js';
import type { UiAction, UiState } from '../state/types.js';
import { isTypedText } from '../typed-text.js';
import type { CheckRunControls } from './use-check-run.js';

/** Keys → actions. Dialogs take the keyboard first, so a `q` typed into a file name is a letter. */
export function useKeyBindings(options: {
  readonly state: UiState;
  readonly dispatch: Dispatch<UiAction>;
  readonly controls: CheckRunControls;
  readonly formats: readonly ReportFormat[];
  /** Quits with the state on screen when the key was pressed. */
  readonly quit: (state: UiState) => void;
}): void {
  // Ink re-subscribes a new handler only when effects flush, which can lag the last render by tens of
  // milliseconds: a key pressed just after the verdict appeared would see the state before it.
  const latest = useRef(options);
  latest.current = options;
  useInput((input, key) => {
    const { state, dispatch, controls, formats, quit } = latest.current;
    if (key.ctrl && input === 'c') {
      // The first Ctrl-C stops the scan and keeps what was gathered; once stopping or idle it quits.
      if (state.status === 'running') controls.stop();
      else quit(state);
      return;
    }
    if (state.exportDialog) return exportKey(input, key, state, dispatch, controls);
    if (state.helpOpen) return dispatch({ type: 'help-toggled' });
    if (key.upArrow || input === 'k') dispatch({ type: 'cursor-moved', by: -1 });
    else if (key.downArrow || input === 'j') dispatch({ type: 'cursor-moved', by: 1 });
    else if (key.pageUp) dispatch({ type: 'cursor-moved', by: -10 });
    else if (key.pageDown) dispatch({ type: 'cursor-moved', by: 10 });
    else if (key.return) dispatch({ type: 'details-toggled' });
    else if (key.escape) dispatch({ type: 'details-closed' });
    else if (input === 'e') dispatch({ type: 'export-opened', formats });
    else if (input === 'r') controls.rerun();
    else if (input === 'f') dispatch({ type: 'filter-cycled' });
    else if (input === '?') dispatch({ type: 'help-toggled' });
    else if (input === 'q') quit(state);
  });
}

function exportKey(
  input: string,
  key: Key,
  state: UiState,
  dispatch: Dispatch<UiAction>,
  controls: CheckRunControls,
): void {
  const dialog = state.exportDialog;
  if (!dialog || dialog.status === 'writing') return;
  if (key.escape) return dispatch({ type: 'export-closed' });
  if (key.return) {
    if (dialog.status === 'written') return dispatch({ type: 'export-closed' });
    dispatch({ type: 'export-confirmed' });
    const format = dialog.formats[dialog.formatIndex];
    if (state.report && format && dialog.path.trim() !== '') {
      controls.exportReport(state.report, format, dialog.path.trim());
    }
    return;
  }
  if (key.tab || key.rightArrow) return dispatch({ type: 'export-format-cycled', by: key.shift ? -1 : 1 });
  if (key.leftArrow) return dispatch({ type: 'export-format-cycled', by: -1 });
  // Terminals send DEL (0x7f) for Backspace, which Ink reports as `delete`.
  if (key.backspace || key.delete) return dispatch({ type: 'export-path-erased' });
  if (isTypedText(input, key)) {
    dispatch({ type: 'export-path-typed', text: input });
  }
}

import { useInput, type Key } from 'ink';
import { useRef, type Dispatch } from 'react';
import type { ReportFormat } from '../../report/index.js';
import { itemDetailLines } from '../describe.js';
import { exportFiles } from '../export-names.js';
import { splitKeys } from '../key-events.js';
import { uiReducer } from '../state/reducer.js';
import { navigableItems, selectedItem } from '../state/selectors.js';
import type { CopiedText, UiAction, UiState } from '../state/types.js';
import { isTypedText } from '../typed-text.js';
import type { CheckRunControls } from './use-check-run.js';

/** What the keys need besides the state: sizes of what is on screen decide how far a page goes. */
export interface KeyBindingOptions {
  readonly state: UiState;
  readonly dispatch: Dispatch<UiAction>;
  readonly controls: CheckRunControls;
  readonly formats: readonly ReportFormat[];
  /** Proposed export file name, without extension. */
  readonly exportBase: string;
  /** The report is written on quitting anyway (`--output`): `q` need not ask. */
  readonly savedOnQuit: boolean;
  /** Lines of the details panel on screen, and the last first line it can scroll to. */
  readonly detailsPage: number;
  readonly detailsMaxScroll: number;
  readonly helpMaxScroll: number;
  /** The last first port column ←/→ can scroll to. */
  readonly columnsMax: number;
  /** Quits with the state on screen when the key was pressed. */
  readonly quit: (state: UiState) => void;
}

type Context = Omit<KeyBindingOptions, 'state'>;

/**
 * Keys → actions. Dialogs and the search line take the keyboard first, so a `q` typed into a file
 * name is a letter. Each character of a multi-key read is handled in order, against the state the
 * previous one left (the reducer is pure, so that state is known before React renders it).
 */
export function useKeyBindings(options: KeyBindingOptions): void {
  // Ink re-subscribes a new handler only when effects flush, which can lag the last render by tens of
  // milliseconds: a key pressed just after the verdict appeared would see the state before it.
  const latest = useRef(options);
  latest.current = options;
  useInput((input, key) => {
    const context = latest.current;
    let state = context.state;
    const dispatch = (action: UiAction) => {
      context.dispatch(action);
      state = uiReducer(state, action);
    };
    for (const [one, oneKey] of splitKeys(input, key))
      handleKey(one, oneKey, state, { ...context, dispatch });
    latest.current = { ...context, state };
  });
}

function handleKey(input: string, key: Key, state: UiState, context: Context): void {
  const { dispatch, controls } = context;
  if (key.ctrl && input === 'c') {
    // The first Ctrl-C stops the scan and keeps what was gathered; once stopping or idle it quits.
    if (state.status === 'running') controls.stop();
    else context.quit(state);
    return;
  }
  if (state.exportDialog) return exportKey(input, key, state, context);
  if (state.search?.editing) return searchKey(input, key, dispatch);
  if (state.helpOpen) return helpKey(key, input, state, context);
  if (state.detailsOpen && detailsKey(input, key, state, context)) return;
  if (key.upArrow || input === 'k') dispatch({ type: 'cursor-moved', by: -1 });
  else if (key.downArrow || input === 'j') dispatch({ type: 'cursor-moved', by: 1 });
  else if (key.pageUp) dispatch({ type: 'cursor-moved', by: -10 });
  else if (key.pageDown) dispatch({ type: 'cursor-moved', by: 10 });
  else if (key.home) dispatch({ type: 'cursor-set', to: 0 });
  else if (key.end) dispatch({ type: 'cursor-set', to: navigableItems(state).length - 1 });
  else if (key.leftArrow || input === 'h') sideways(-1, state, context);
  else if (key.rightArrow || input === 'l') sideways(1, state, context);
  else if (key.return) dispatch({ type: 'details-toggled' });
  else if (key.escape) dispatch({ type: state.search ? 'search-cancelled' : 'details-closed' });
  else if (input === '/') dispatch({ type: 'search-opened' });
  else if (input === 'n') dispatch({ type: 'search-stepped', by: 1 });
  else if (input === 'N') dispatch({ type: 'search-stepped', by: -1 });
  else if (input === 'g') dispatch({ type: 'grouping-toggled' });
  else if (input === 'c' || input === 'C') copyKey(input === 'c' ? 'remediation' : 'details', state, context);
  else if (input === 'w') saveCopied(state, context);
  else if (input === 'e')
    dispatch({ type: 'export-opened', formats: context.formats, base: context.exportBase });
  else if (input === 'r') controls.rerun();
  else if (input === 'f') dispatch({ type: 'filter-cycled' });
  else if (input === '?') dispatch({ type: 'help-toggled' });
  else if (input === 'q') quitKey(state, context);
}

/** ←/→ on a probe cell move to the next cell; elsewhere they scroll the port columns. */
function sideways(by: 1 | -1, state: UiState, { dispatch, columnsMax }: Context): void {
  if (selectedItem(state)?.kind === 'probe') return dispatch({ type: 'cursor-moved', by });
  if (columnsMax === 0) return dispatch({ type: 'notice', text: 'every port column is on screen' });
  dispatch({ type: 'columns-scrolled', by, max: columnsMax });
}

/** Keys of the open details panel; false for keys it leaves to the screen. */
function detailsKey(input: string, key: Key, state: UiState, context: Context): boolean {
  const { dispatch, detailsPage, detailsMaxScroll } = context;
  const to = (line: number) =>
    dispatch({ type: 'details-scrolled', to: Math.max(0, Math.min(detailsMaxScroll, line)) });
  const at = Math.min(state.detailsScroll, detailsMaxScroll);
  if (key.upArrow || input === 'k') to(at - 1);
  else if (key.downArrow || input === 'j') to(at + 1);
  else if (key.pageUp) to(at - Math.max(1, detailsPage - 1));
  else if (key.pageDown || input === ' ') to(at + Math.max(1, detailsPage - 1));
  else if (key.home) to(0);
  else if (key.end || input === 'G') to(detailsMaxScroll);
  else if (input === '[') dispatch({ type: 'cursor-moved', by: -1 });
  else if (input === ']') dispatch({ type: 'cursor-moved', by: 1 });
  else if (key.return || key.escape) dispatch({ type: 'details-closed' });
  else return false;
  return true;
}

function helpKey(key: Key, input: string, state: UiState, { dispatch, helpMaxScroll }: Context): void {
  const to = (line: number) =>
    dispatch({ type: 'help-scrolled', to: Math.max(0, Math.min(helpMaxScroll, line)) });
  if (key.upArrow || input === 'k') to(state.helpScroll - 1);
  else if (key.downArrow || input === 'j') to(state.helpScroll + 1);
  else if (key.pageUp || key.home) to(0);
  else if (key.pageDown || key.end) to(helpMaxScroll);
  else dispatch({ type: 'help-toggled' });
}

function searchKey(input: string, key: Key, dispatch: Dispatch<UiAction>): void {
  if (key.escape) return dispatch({ type: 'search-cancelled' });
  if (key.return) return dispatch({ type: 'search-confirmed' });
  if (key.backspace || key.delete) return dispatch({ type: 'search-erased' });
  if (isTypedText(input, key)) dispatch({ type: 'search-typed', text: input });
}

function copyKey(what: CopiedText['what'], state: UiState, { dispatch, controls }: Context): void {
  const item = selectedItem(state);
  if (!item) return dispatch({ type: 'notice', text: 'nothing selected to copy' });
  const of = item.kind === 'finding' ? item.finding.rule : `${item.row.label} ${item.column.key}`;
  let text: string;
  if (what === 'details') text = itemDetailLines(item, state.report).join('\n');
  else if (item.kind === 'finding' && item.finding.remediation) text = item.finding.remediation;
  else return dispatch({ type: 'notice', text: 'no remediation here: C copies the details' });
  controls.copy(text);
  dispatch({ type: 'copied', copied: { what, of, text } });
}

function saveCopied(state: UiState, { dispatch, controls }: Context): void {
  if (!state.copied)
    return dispatch({ type: 'notice', text: 'copy first: c the remediation, C the details' });
  controls.saveText(state.copied);
}

function quitKey(state: UiState, context: Context): void {
  const unexported = state.status === 'finished' && !state.exported && !context.savedOnQuit;
  if (unexported && !state.quitAsked) return context.dispatch({ type: 'quit-asked' });
  context.quit(state);
}

function exportKey(input: string, key: Key, state: UiState, context: Context): void {
  const { dispatch, controls } = context;
  const dialog = state.exportDialog;
  if (!dialog || dialog.status === 'writing' || dialog.status === 'checking') return;
  if (dialog.status === 'confirm-overwrite') {
    if (input === 'y' && state.report) controls.exportReport(state.report, exportFiles(dialog), true);
    else dispatch({ type: 'export-declined' });
    return;
  }
  if (key.escape) return dispatch({ type: 'export-closed' });
  if (key.return) {
    if (dialog.status === 'written') return dispatch({ type: 'export-closed' });
    dispatch({ type: 'export-checking' });
    const checked = uiReducer(state, { type: 'export-checking' }).exportDialog;
    if (state.report && checked?.status === 'checking')
      controls.exportReport(state.report, exportFiles(checked), false);
    return;
  }
  if (key.tab || key.rightArrow) return dispatch({ type: 'export-focus-moved', by: key.shift ? -1 : 1 });
  if (key.leftArrow) return dispatch({ type: 'export-focus-moved', by: -1 });
  if (input === ' ') return dispatch({ type: 'export-format-toggled' });
  if (key.backspace || key.delete) return dispatch({ type: 'export-path-erased' });
  if (isTypedText(input, key)) dispatch({ type: 'export-path-typed', text: input });
}

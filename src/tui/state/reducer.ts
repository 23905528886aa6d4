import type { ChangeSpec, ScanTarget } from '../../plan/scan-spec.js';
import type { ProbeRecord } from '../../probes/types.js';
import type { ReportFormat } from '../../report/index.js';
import type { ScanEvent } from '../../run/scan.js';
import { cellKeyOfRecord } from './matrix.js';
import { nextMatch, searchMatches } from './search.js';
import { navigableItems } from './selectors.js';
import type { ExportDialogState, SeverityFilter, UiAction, UiState } from './types.js';

const FILTER_CYCLE: readonly SeverityFilter[] = ['all', 'no-go', 'incomplete', 'condition', 'info'];

export function initialUiState(targets: readonly ScanTarget[], change: ChangeSpec | null = null): UiState {
  return {
    targets,
    change,
    runId: 0,
    status: 'idle',
    stoppedByUser: false,
    phase: null,
    resolutions: {},
    inFlight: new Set(),
    probes: new Map(),
    done: 0,
    total: 0,
    plannedAt: null,
    updatedAt: null,
    report: null,
    failure: null,
    cursor: 0,
    detailsOpen: false,
    detailsScroll: 0,
    filter: 'all',
    exportDialog: null,
    helpOpen: false,
    helpScroll: 0,
    search: null,
    grouped: false,
    columnStart: 0,
    copied: null,
    exported: false,
    quitAsked: false,
    notice: null,
  };
}

/** The whole screen state as a pure function of the actions so far. */
export function uiReducer(state: UiState, action: UiAction): UiState {
  switch (action.type) {
    case 'scan-started':
      return {
        ...initialUiState(state.targets, state.change),
        filter: state.filter,
        grouped: state.grouped,
        runId: action.runId,
        status: 'running',
        updatedAt: action.at,
      };
    case 'scan-events':
      return action.runId === state.runId ? applyEvents(state, action.events, action.at) : state;
    case 'scan-finished': {
      if (action.runId !== state.runId) return state;
      const probes = new Map<string, ProbeRecord>();
      for (const probe of action.report.probes) probes.set(cellKeyOfRecord(probe), probe);
      // The cursor goes back to the top: the worst finding is what to read first.
      return clampCursor({
        ...state,
        status: 'finished',
        report: action.report,
        probes,
        inFlight: new Set(),
        cursor: 0,
        detailsScroll: 0,
      });
    }
    case 'scan-failed':
      if (action.runId !== state.runId) return state;
      return {
        ...state,
        status: 'failed',
        inFlight: new Set(),
        failure: { message: action.message, exitCode: action.exitCode },
      };
    case 'scan-stop-requested':
      return state.status === 'running' ? { ...state, status: 'stopping', stoppedByUser: true } : state;
    case 'cursor-moved':
      return moveCursor(state, state.cursor + action.by);
    case 'cursor-set':
      return moveCursor(state, action.to);
    case 'details-toggled':
      return { ...state, detailsOpen: !state.detailsOpen, detailsScroll: 0 };
    case 'details-closed':
      return { ...state, detailsOpen: false, detailsScroll: 0 };
    case 'details-scrolled':
      return { ...state, detailsScroll: Math.max(0, action.to) };
    case 'filter-cycled': {
      const next = FILTER_CYCLE[(FILTER_CYCLE.indexOf(state.filter) + 1) % FILTER_CYCLE.length] ?? 'all';
      return clampCursor({ ...state, filter: next, cursor: 0 });
    }
    case 'grouping-toggled':
      return clampCursor({
        ...state,
        grouped: !state.grouped,
        notice: state.grouped
          ? 'every row shown'
          : 'rows alike in site, roles and states drawn as one (g undoes)',
      });
    case 'columns-scrolled':
      return {
        ...state,
        columnStart: Math.max(0, Math.min(action.max, state.columnStart + action.by)),
      };
    case 'help-toggled':
      return { ...state, helpOpen: !state.helpOpen, helpScroll: 0 };
    case 'help-scrolled':
      return { ...state, helpScroll: Math.max(0, action.to) };
    case 'copied':
      return { ...state, copied: action.copied, notice: copiedNotice(action.copied) };
    case 'notice':
      return { ...state, notice: action.text };
    case 'quit-asked':
      return {
        ...state,
        quitAsked: true,
        notice: 'the report is not exported: q again quits · e exports it',
      };
    default:
      return searchReducer(state, action) ?? exportReducer(state, action);
  }
}

function copiedNotice(copied: { what: string; text: string }): string {
  const lines = copied.text.split('\n').length;
  return `copied the ${copied.what} (${lines} line${lines === 1 ? '' : 's'}) via OSC 52 · not pasted? w writes a file`;
}

function moveCursor(state: UiState, to: number): UiState {
  const moved = clampCursor({ ...state, cursor: to, notice: null, quitAsked: false });
  return moved.cursor === state.cursor ? moved : { ...moved, detailsScroll: 0 };
}

function searchReducer(state: UiState, action: UiAction): UiState | null {
  const search = state.search;
  switch (action.type) {
    case 'search-opened':
      return { ...state, search: { query: '', editing: true, from: state.cursor }, notice: null };
    case 'search-typed':
    case 'search-erased': {
      if (!search?.editing) return state;
      const query =
        action.type === 'search-typed' ? search.query + action.text : [...search.query].slice(0, -1).join('');
      const found = nextMatch(searchMatches(state, query), search.from, 1, true);
      return { ...moveCursor(state, found ?? search.from), search: { ...search, query } };
    }
    case 'search-confirmed': {
      if (!search) return state;
      const matches = searchMatches(state, search.query);
      if (search.query.trim() === '') return { ...state, search: null };
      return {
        ...state,
        search: { ...search, editing: false },
        notice: matchNotice(matches, state.cursor, search.query),
      };
    }
    case 'search-cancelled':
      return search ? { ...moveCursor(state, search.from), search: null } : state;
    case 'search-stepped': {
      if (!search || search.query.trim() === '') return { ...state, notice: 'no search yet: / searches' };
      const matches = searchMatches(state, search.query);
      const found = nextMatch(matches, state.cursor, action.by, false);
      const moved = found === null ? state : moveCursor(state, found);
      return { ...moved, notice: matchNotice(matches, moved.cursor, search.query) };
    }
    default:
      return null;
  }
}

function matchNotice(matches: readonly number[], cursor: number, query: string): string {
  if (matches.length === 0) return `no match for /${query}`;
  const at = matches.indexOf(cursor);
  return `/${query}: match ${at + 1} of ${matches.length} · n next · N previous`;
}

function exportReducer(state: UiState, action: UiAction): UiState {
  const dialog = state.exportDialog;
  switch (action.type) {
    case 'export-opened': {
      if (!state.report) return { ...state, notice: 'no report to export yet: wait for the verdict' };
      const format = action.formats[0];
      if (format === undefined) return { ...state, notice: 'no export format is available' };
      const opened: ExportDialogState = {
        formats: action.formats,
        chosen: [format],
        focus: 0,
        base: action.base,
        status: 'editing',
        files: [],
        message: null,
      };
      return { ...state, exportDialog: opened, notice: null, quitAsked: false };
    }
    case 'export-closed':
      return dialog && isBusy(dialog) ? state : { ...state, exportDialog: null };
    case 'export-result':
      if (!dialog) return state;
      return action.ok
        ? {
            ...state,
            exported: true,
            exportDialog: { ...dialog, status: 'written', files: action.files, message: null },
          }
        : { ...state, exportDialog: { ...dialog, status: 'failed', message: action.message } };
    default:
      // While the session works, only its answer may change the dialog: keys typed meanwhile are dropped.
      if (!dialog || isBusy(dialog)) {
        const answer = action.type === 'export-exists' || action.type === 'export-writing';
        return dialog && answer ? { ...state, exportDialog: editExportDialog(dialog, action) } : state;
      }
      return { ...state, exportDialog: editExportDialog(dialog, action) };
  }
}

const isBusy = (dialog: ExportDialogState) => dialog.status === 'checking' || dialog.status === 'writing';

function editExportDialog(dialog: ExportDialogState, action: UiAction): ExportDialogState {
  const editing: ExportDialogState = { ...dialog, status: 'editing', files: [], message: null };
  switch (action.type) {
    case 'export-focus-moved': {
      const count = dialog.formats.length;
      return { ...editing, focus: (((dialog.focus + action.by) % count) + count) % count };
    }
    case 'export-format-toggled': {
      const format = dialog.formats[dialog.focus] as ReportFormat;
      const chosen = dialog.chosen.includes(format)
        ? dialog.chosen.filter((other) => other !== format)
        : [...dialog.chosen, format];
      return { ...editing, chosen };
    }
    case 'export-path-typed':
      return { ...editing, base: dialog.base + action.text };
    case 'export-path-erased':
      return { ...editing, base: [...dialog.base].slice(0, -1).join('') };
    case 'export-checking':
      if (dialog.base.trim() === '')
        return { ...dialog, status: 'failed', message: 'type a file name first' };
      if (dialog.chosen.length === 0)
        return { ...dialog, status: 'failed', message: 'choose a format first: Space ticks the one under ▸' };
      return { ...dialog, status: 'checking', message: null };
    case 'export-exists':
      return { ...dialog, status: 'confirm-overwrite', files: action.files };
    case 'export-writing':
      return { ...dialog, status: 'writing', message: null };
    case 'export-declined':
      return editing;
    default:
      return dialog;
  }
}

/** Folds a batch of events into one new state: one copy of the maps per batch, not per event. */
function applyEvents(state: UiState, events: readonly ScanEvent[], at: number): UiState {
  const inFlight = new Set(state.inFlight);
  const probes = new Map(state.probes);
  let { resolutions, done, total, phase, plannedAt } = state;
  for (const event of events) {
    switch (event.type) {
      case 'resolved':
        resolutions = { ...resolutions, [event.target]: event.resolution };
        break;
      case 'planned':
        total = event.total;
        plannedAt = at;
        break;
      case 'phase':
        phase = event.phase;
        break;
      case 'probe-started':
        inFlight.add(cellKeyOfRecord(event.request));
        break;
      case 'probe-finished': {
        const key = cellKeyOfRecord(event.record);
        inFlight.delete(key);
        probes.set(key, event.record);
        done = event.done;
        total = event.total;
        break;
      }
    }
  }
  const next = { ...state, inFlight, probes, resolutions, done, total, phase, plannedAt, updatedAt: at };
  return clampCursor(next);
}

function clampCursor(state: UiState): UiState {
  const count = navigableItems(state).length;
  const cursor = Math.max(0, Math.min(state.cursor, count - 1));
  return cursor === state.cursor ? state : { ...state, cursor };
}

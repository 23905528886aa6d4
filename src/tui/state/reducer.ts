import type { ScanTarget } from '../../plan/scan-spec.js';
import type { ProbeRecord } from '../../probes/types.js';
import type { ScanEvent } from '../../run/scan.js';
import { cellKeyOfRecord } from './matrix.js';
import { navigableItems } from './selectors.js';
import type { ExportDialogState, SeverityFilter, UiAction, UiState } from './types.js';
import { REPORT_FILE_EXTENSIONS, type ReportFormat } from '../../report/registry.js';

const FILTER_CYCLE: readonly SeverityFilter[] = ['all', 'no-go', 'incomplete', 'condition', 'info'];

export function initialUiState(targets: readonly ScanTarget[]): UiState {
  return {
    targets,
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
    filter: 'all',
    exportDialog: null,
    helpOpen: false,
    notice: null,
  };
}

/** Default export file name for a format; kept in step with the format until the user edits it. */
export const defaultExportPath = (format: ReportFormat) =>
  `portflight-report${REPORT_FILE_EXTENSIONS[format]}`;

/** The whole screen state as a pure function of the actions so far. */
export function uiReducer(state: UiState, action: UiAction): UiState {
  switch (action.type) {
    case 'scan-started':
      return {
        ...initialUiState(state.targets),
        filter: state.filter,
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
      return clampCursor({ ...state, cursor: state.cursor + action.by, notice: null });
    case 'details-toggled':
      return { ...state, detailsOpen: !state.detailsOpen };
    case 'details-closed':
      return { ...state, detailsOpen: false };
    case 'filter-cycled': {
      const next = FILTER_CYCLE[(FILTER_CYCLE.indexOf(state.filter) + 1) % FILTER_CYCLE.length] ?? 'all';
      return clampCursor({ ...state, filter: next, cursor: 0 });
    }
    case 'help-toggled':
      return { ...state, helpOpen: !state.helpOpen };
    default:
      return exportReducer(state, action);
  }
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
        formatIndex: 0,
        path: defaultExportPath(format),
        status: 'editing',
        message: null,
      };
      return { ...state, exportDialog: opened, notice: null };
    }
    case 'export-closed':
      return dialog?.status === 'writing' ? state : { ...state, exportDialog: null };
    default:
      // While writing, only the result may change the dialog: keys typed meanwhile are dropped.
      if (!dialog || (dialog.status === 'writing' && action.type !== 'export-result')) return state;
      return { ...state, exportDialog: editExportDialog(dialog, action) };
  }
}

function editExportDialog(dialog: ExportDialogState, action: UiAction): ExportDialogState {
  const editing: ExportDialogState = { ...dialog, status: 'editing', message: null };
  switch (action.type) {
    case 'export-format-cycled': {
      const count = dialog.formats.length;
      const formatIndex = (((dialog.formatIndex + action.by) % count) + count) % count;
      const before = dialog.formats[dialog.formatIndex] as ReportFormat;
      const after = dialog.formats[formatIndex] as ReportFormat;
      const path = dialog.path === defaultExportPath(before) ? defaultExportPath(after) : dialog.path;
      return { ...editing, formatIndex, path };
    }
    case 'export-path-typed':
      return { ...editing, path: dialog.path + action.text };
    case 'export-path-erased':
      return { ...editing, path: dialog.path.slice(0, -1) };
    case 'export-confirmed':
      return dialog.path.trim() === ''
        ? { ...dialog, status: 'failed', message: 'type a file path first' }
        : { ...dialog, status: 'writing', message: null };
    case 'export-result':
      return action.ok
        ? { ...dialog, status: 'written', message: action.path }
        : { ...dialog, status: 'failed', message: action.message };
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

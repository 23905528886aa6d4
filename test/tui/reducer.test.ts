import { describe, expect, it } from 'vitest';
import { cellKeyOf } from '../../src/tui/state/matrix.js';
import { exportFiles } from '../../src/tui/export-names.js';
import { initialUiState, uiReducer } from '../../src/tui/state/reducer.js';
import {
  cellKind,
  displayedVerdict,
  etaSeconds,
  mainReason,
  matrixOf,
  navigableItems,
  selectedItem,
  stateCounts,
  visibleFindings,
} from '../../src/tui/state/selectors.js';
import type { UiAction, UiState } from '../../src/tui/state/types.js';
import { SPEC, finding, record, report, scanEvents } from './fixtures.js';

const run = (actions: readonly UiAction[], from: UiState = initialUiState(SPEC.targets)) =>
  actions.reduce(uiReducer, from);
const started: UiAction = { type: 'scan-started', runId: 1, at: 0 };
const allOpen = scanEvents(() => ({}));

describe('uiReducer', () => {
  it('starts idle and goes running on scan-started', () => {
    expect(initialUiState(SPEC.targets).status).toBe('idle');
    expect(run([started]).status).toBe('running');
  });

  it('folds a batch of events: resolutions, in-flight cells, finished probes, progress', () => {
    const half = allOpen.slice(0, 6); // 2 resolved, planned, phase, one probe started and finished
    const inFlight = [...half, allOpen[6] as never];
    const state = run([started, { type: 'scan-events', runId: 1, events: inFlight, at: 500 }]);
    expect(Object.keys(state.resolutions)).toEqual(['198.18.0.1', '198.18.0.2']);
    expect(state.total).toBe(8);
    expect(state.done).toBe(1);
    expect(state.phase).toBe('connect');
    expect(state.inFlight.size).toBe(1);
    const { rows, columns } = matrixOf(state);
    expect(columns.map((column) => column.label)).toEqual(['80', '8080', '443', '8443']);
    const kinds = (row: number) => columns.map((column) => cellKind(state, rows[row]!, column)).sort();
    expect(kinds(0)).toEqual(['in-flight', 'open', 'pending', 'pending']);
    expect(kinds(1)).toEqual(['pending', 'pending', 'pending', 'pending']);
  });

  it('drops late events and results of an older run', () => {
    const state = run([
      started,
      { type: 'scan-started', runId: 2, at: 10 },
      { type: 'scan-events', runId: 1, events: allOpen, at: 20 },
      { type: 'scan-finished', runId: 1, report: report('go') },
    ]);
    expect(state.probes.size).toBe(0);
    expect(state.report).toBeNull();
    expect(state.status).toBe('running');
  });

  it('replaces the cells with the report probes and puts the cursor on the worst finding', () => {
    const blocked = record('198.18.0.1', 8080, {
      state: 'filtered',
      reason: 'no-response',
      blockedBy: '10.9.9.9',
    });
    const findings = [finding({ severity: 'info', message: 'fyi' }), finding()];
    const state = run([
      started,
      { type: 'scan-events', runId: 1, events: allOpen, at: 100 },
      { type: 'cursor-moved', by: 3 },
      { type: 'scan-finished', runId: 1, report: report('no-go', findings, [blocked]) },
    ]);
    expect(state.status).toBe('finished');
    expect(state.cursor).toBe(0);
    expect(visibleFindings(state).map((f) => f.severity)).toEqual(['no-go', 'info']);
    expect(selectedItem(state)).toMatchObject({ kind: 'finding', finding: { severity: 'no-go' } });
    expect(stateCounts(state)).toEqual({ 'blocked-by-hop': 1 });
    expect(state.probes.get(cellKeyOf('198.18.0.1', '198.18.0.1', 'tcp', 8080))?.blockedBy).toBe('10.9.9.9');
    expect(mainReason(state)).toBe('clients cannot reach 198.18.0.1 on 8080');
  });

  it('keeps the cursor within findings and probes', () => {
    const state = run([started, { type: 'scan-events', runId: 1, events: allOpen, at: 1 }]);
    expect(navigableItems(state)).toHaveLength(8);
    expect(run([{ type: 'cursor-moved', by: -5 }], state).cursor).toBe(0);
    expect(run([{ type: 'cursor-moved', by: 50 }], state).cursor).toBe(7);
  });

  it('estimates the time left from the probe rate so far', () => {
    const events = allOpen.slice(0, 8); // 2 resolved, planned, phase, two probes
    const state = run([
      started,
      { type: 'scan-events', runId: 1, events: events.slice(0, 4), at: 1000 },
      { type: 'scan-events', runId: 1, events: events.slice(4), at: 3000 },
    ]);
    expect(state.done).toBe(2);
    expect(etaSeconds(state)).toBe(6); // 6 left at one per second
  });

  it('never shows GO for a run the user stopped, nor a verdict before the report', () => {
    const stopping = run([started, { type: 'scan-stop-requested' }]);
    expect(stopping.status).toBe('stopping');
    expect(displayedVerdict(stopping)).toBeNull();
    expect(displayedVerdict(run([{ type: 'scan-finished', runId: 1, report: report('go') }], stopping))).toBe(
      'incomplete',
    );
    const engineSaidIncomplete = run(
      [{ type: 'scan-finished', runId: 1, report: report('incomplete') }],
      stopping,
    );
    expect(displayedVerdict(engineSaidIncomplete)).toBe('incomplete');
    const failed = run([{ type: 'scan-failed', runId: 1, message: 'aborted', exitCode: null }], stopping);
    expect(displayedVerdict(failed)).toBe('incomplete');
  });

  it('cycles the severity filter and resets the cursor', () => {
    const findings = [finding(), finding({ severity: 'condition', message: 'reinstall workgroup clients' })];
    let state = run([started, { type: 'scan-finished', runId: 1, report: report('no-go', findings) }]);
    const filters: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      state = uiReducer(state, { type: 'filter-cycled' });
      filters.push(`${state.filter}:${visibleFindings(state).length}`);
    }
    expect(filters).toEqual(['no-go:1', 'incomplete:0', 'condition:1', 'info:0', 'all:2']);
  });

  it('toggles details and help', () => {
    const state = run([started, { type: 'details-toggled' }, { type: 'help-toggled' }]);
    expect(state.detailsOpen).toBe(true);
    expect(state.helpOpen).toBe(true);
    expect(run([{ type: 'details-closed' }, { type: 'help-toggled' }], state)).toMatchObject({
      detailsOpen: false,
      helpOpen: false,
    });
  });

  describe('export dialog', () => {
    const finished = run([started, { type: 'scan-finished', runId: 1, report: report('go') }]);
    const formats = ['yaml', 'json'] as const;

    const opened = { type: 'export-opened', formats, base: 'plan-20250101T000001Z' } as const;

    it('refuses to open before there is a report', () => {
      const state = run([started, opened]);
      expect(state.exportDialog).toBeNull();
      expect(state.notice).toMatch(/no report/);
    });

    it('ticks several formats, one file each from the proposed name', () => {
      let state = run([opened], finished);
      expect(exportFiles(state.exportDialog!)).toEqual([
        { format: 'yaml', path: 'plan-20250101T000001Z.yaml' },
      ]);
      state = run([{ type: 'export-focus-moved', by: 1 }, { type: 'export-format-toggled' }], state);
      state = run([{ type: 'export-path-erased' }, { type: 'export-path-typed', text: 'X' }], state);
      expect(exportFiles(state.exportDialog!).map((file) => file.path)).toEqual([
        'plan-20250101T000001X.yaml',
        'plan-20250101T000001X.json',
      ]);
    });

    it('checks, asks before replacing existing files, then shows the result or the error', () => {
      const checking = run([opened, { type: 'export-checking' }], finished);
      expect(checking.exportDialog?.status).toBe('checking');
      expect(run([{ type: 'export-closed' }], checking).exportDialog).not.toBeNull();
      const asking = run([{ type: 'export-exists', files: ['a.yaml'] }], checking);
      expect(asking.exportDialog).toMatchObject({ status: 'confirm-overwrite', files: ['a.yaml'] });
      expect(run([{ type: 'export-declined' }], asking).exportDialog?.status).toBe('editing');
      const writing = run([{ type: 'export-writing' }], asking);
      const written = run([{ type: 'export-result', ok: true, files: ['a.yaml'] }], writing);
      expect(written.exportDialog).toMatchObject({ status: 'written', files: ['a.yaml'] });
      expect(written.exported).toBe(true);
      const failed = run(
        [{ type: 'export-result', ok: false, message: 'EACCES: permission denied' }],
        writing,
      );
      expect(failed.exportDialog).toMatchObject({ status: 'failed', message: 'EACCES: permission denied' });
      expect(failed.exported).toBe(false);
      expect(run([{ type: 'export-closed' }], failed).exportDialog).toBeNull();
    });

    it('asks for a name, and for a format, when there is none', () => {
      let state = run([opened], finished);
      for (let i = 0; i < 30; i += 1) state = uiReducer(state, { type: 'export-path-erased' });
      state = uiReducer(state, { type: 'export-checking' });
      expect(state.exportDialog).toMatchObject({ status: 'failed', message: 'type a file name first' });
      state = run([opened, { type: 'export-format-toggled' }, { type: 'export-checking' }], finished);
      expect(state.exportDialog?.message).toMatch(/choose a format/);
    });
  });
});

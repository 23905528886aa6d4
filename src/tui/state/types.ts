import type { ScanTarget } from '../../plan/scan-spec.js';
import type { HostResolution } from '../../probes/resolve-host.js';
import type { ProbeRecord } from '../../probes/types.js';
import type { Report, ReportFormat } from '../../report/index.js';
import type { ScanEvent, ScanPhase } from '../../run/scan.js';
import type { Severity } from '../../rules/types.js';

/** Where the current run is. `stopping`: Ctrl-C or `r` asked it to abort and its report is awaited. */
export type RunStatus = 'idle' | 'running' | 'stopping' | 'finished' | 'failed';

export type SeverityFilter = 'all' | Severity;

export interface ExportDialogState {
  readonly formats: readonly ReportFormat[];
  readonly formatIndex: number;
  readonly path: string;
  readonly status: 'editing' | 'writing' | 'written' | 'failed';
  /** The written path, or the one-line error. */
  readonly message: string | null;
}

export interface UiState {
  readonly targets: readonly ScanTarget[];
  /** Increases with each run, so late events of an aborted run are told apart and dropped. */
  readonly runId: number;
  readonly status: RunStatus;
  /** True when this run was stopped by the user: whatever it reports, the screen never says GO. */
  readonly stoppedByUser: boolean;
  readonly phase: ScanPhase | null;
  readonly resolutions: Readonly<Record<string, HostResolution>>;
  /** Cell keys (state/matrix.ts) of probes started and not finished. */
  readonly inFlight: ReadonlySet<string>;
  /** Finished probes by cell key; replaced by the report's refined probes at the end. */
  readonly probes: ReadonlyMap<string, ProbeRecord>;
  readonly done: number;
  readonly total: number;
  /** Clock (ms) when the connect phase was planned, and of the latest batch: the ETA's probe rate. */
  readonly plannedAt: number | null;
  readonly updatedAt: number | null;
  readonly report: Report | null;
  readonly failure: { readonly message: string; readonly exitCode: number | null } | null;
  readonly cursor: number;
  readonly detailsOpen: boolean;
  readonly filter: SeverityFilter;
  readonly exportDialog: ExportDialogState | null;
  readonly helpOpen: boolean;
  /** One-line note for a key that cannot act now (e.g. `e` before a report exists). */
  readonly notice: string | null;
}

/** Everything that changes the screen. `at` is the clock, passed in so the reducer stays pure. */
export type UiAction =
  | { readonly type: 'scan-started'; readonly runId: number; readonly at: number }
  | {
      readonly type: 'scan-events';
      readonly runId: number;
      readonly events: readonly ScanEvent[];
      readonly at: number;
    }
  | { readonly type: 'scan-finished'; readonly runId: number; readonly report: Report }
  | {
      readonly type: 'scan-failed';
      readonly runId: number;
      readonly message: string;
      readonly exitCode: number | null;
    }
  | { readonly type: 'scan-stop-requested' }
  | { readonly type: 'cursor-moved'; readonly by: number }
  | { readonly type: 'details-toggled' }
  | { readonly type: 'details-closed' }
  | { readonly type: 'filter-cycled' }
  | { readonly type: 'export-opened'; readonly formats: readonly ReportFormat[] }
  | { readonly type: 'export-format-cycled'; readonly by: number }
  | { readonly type: 'export-path-typed'; readonly text: string }
  | { readonly type: 'export-path-erased' }
  | { readonly type: 'export-confirmed' }
  | { readonly type: 'export-result'; readonly ok: true; readonly path: string }
  | { readonly type: 'export-result'; readonly ok: false; readonly message: string }
  | { readonly type: 'export-closed' }
  | { readonly type: 'help-toggled' };

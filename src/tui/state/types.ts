import type { ChangeSpec, ScanTarget } from '../../plan/scan-spec.js';
import type { HostResolution } from '../../probes/resolve-host.js';
import type { ProbeRecord } from '../../probes/types.js';
import type { Report, ReportFormat } from '../../report/index.js';
import type { ScanEvent, ScanPhase } from '../../run/scan.js';
import type { Severity } from '../../rules/types.js';

/** Where the current run is. `stopping`: Ctrl-C or `r` asked it to abort and its report is awaited. */
export type RunStatus = 'idle' | 'running' | 'stopping' | 'finished' | 'failed';

export type SeverityFilter = 'all' | Severity;

export interface ExportDialogState {
  /** Every format the report layer offers; `chosen` are the ones written on Enter. */
  readonly formats: readonly ReportFormat[];
  readonly chosen: readonly ReportFormat[];
  /** The format under the cursor (Space toggles it). */
  readonly focus: number;
  /** File name without its extension: each chosen format adds its own. */
  readonly base: string;
  /**
   * `confirm-overwrite`: some of the files exist and `y` replaces them; `checking`/`writing`: the
   * session is at work and keys wait.
   */
  readonly status: 'editing' | 'checking' | 'confirm-overwrite' | 'writing' | 'written' | 'failed';
  /** Files that exist (confirm-overwrite), or were written (written). */
  readonly files: readonly string[];
  /** The one-line error, or what to do next. */
  readonly message: string | null;
}

/** `/` search: typed in the bottom line, then kept for n/N. */
export interface SearchState {
  readonly query: string;
  readonly editing: boolean;
  /** Cursor when `/` was pressed: Esc goes back there, and typing searches forward from it. */
  readonly from: number;
}

/** The last text sent to the clipboard, kept for `w` (write it to a file) when the terminal ignored it. */
export interface CopiedText {
  /** `remediation` or `details`, for the file name and the confirmation. */
  readonly what: 'remediation' | 'details';
  /** Rule id of the finding, or the probe's row and port. */
  readonly of: string;
  readonly text: string;
}

export interface UiState {
  readonly targets: readonly ScanTarget[];
  /** The change scanned for: says why a system's roles leave nothing to probe. Null in tests that omit it. */
  readonly change: ChangeSpec | null;
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
  /** First wrapped line of the details panel on screen. */
  readonly detailsScroll: number;
  readonly filter: SeverityFilter;
  readonly exportDialog: ExportDialogState | null;
  readonly helpOpen: boolean;
  /** Help overlay's first line, when it does not fit. */
  readonly helpScroll: number;
  readonly search: SearchState | null;
  /** `g`: rows of the same site, roles and cell states are drawn as one. */
  readonly grouped: boolean;
  /** First port column on screen (←/→ scroll when they do not all fit). */
  readonly columnStart: number;
  readonly copied: CopiedText | null;
  /** True once this run's report was exported; `q` asks once before quitting otherwise. */
  readonly exported: boolean;
  readonly quitAsked: boolean;
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
  | { readonly type: 'cursor-set'; readonly to: number }
  | { readonly type: 'details-toggled' }
  | { readonly type: 'details-closed' }
  | { readonly type: 'details-scrolled'; readonly to: number }
  | { readonly type: 'filter-cycled' }
  | { readonly type: 'grouping-toggled' }
  | { readonly type: 'columns-scrolled'; readonly by: number; readonly max: number }
  | { readonly type: 'search-opened' }
  | { readonly type: 'search-typed'; readonly text: string }
  | { readonly type: 'search-erased' }
  | { readonly type: 'search-confirmed' }
  | { readonly type: 'search-cancelled' }
  | { readonly type: 'search-stepped'; readonly by: 1 | -1 }
  | { readonly type: 'copied'; readonly copied: CopiedText }
  | { readonly type: 'notice'; readonly text: string }
  | { readonly type: 'quit-asked' }
  | { readonly type: 'export-opened'; readonly formats: readonly ReportFormat[]; readonly base: string }
  | { readonly type: 'export-focus-moved'; readonly by: number }
  | { readonly type: 'export-format-toggled' }
  | { readonly type: 'export-path-typed'; readonly text: string }
  | { readonly type: 'export-path-erased' }
  | { readonly type: 'export-checking' }
  | { readonly type: 'export-exists'; readonly files: readonly string[] }
  | { readonly type: 'export-writing' }
  | { readonly type: 'export-declined' }
  | { readonly type: 'export-result'; readonly ok: true; readonly files: readonly string[] }
  | { readonly type: 'export-result'; readonly ok: false; readonly message: string }
  | { readonly type: 'export-closed' }
  | { readonly type: 'help-toggled' }
  | { readonly type: 'help-scrolled'; readonly to: number };

import type { ChangeSpec, ScanTarget } from '../plan/scan-spec.js';
import type { Report, ReportFormat } from '../report/index.js';
import type { ScanEvent } from '../run/scan.js';

/**
 * What the interactive UI gets from cli/: everything it shows comes from here, and it never probes
 * or writes by itself — `run` and `exportReport` are the composition root's.
 */
export interface InteractiveSession {
  /** The plan's name, or the ad-hoc command line. */
  readonly title: string;
  /** Site codes of the plan (empty in ad-hoc mode). */
  readonly sites: readonly string[];
  readonly change: ChangeSpec;
  readonly targets: readonly ScanTarget[];
  /** Runs the whole check once (at start, and again on `r`); events arrive as probes finish. */
  run(options: {
    readonly signal: AbortSignal;
    readonly onEvent: (event: ScanEvent) => void;
  }): Promise<Report>;
  /** Writes the report atomically, for `e`; throws a UserError with a one-line message on failure. */
  exportReport(report: Report, format: ReportFormat, path: string): Promise<void>;
  /** Report formats `e` offers: the report registry's, never a list of the UI's own. */
  readonly formats: readonly ReportFormat[];
  /** Which of these files exist already, so `e` asks before replacing them. */
  existingFiles(paths: readonly string[]): Promise<readonly string[]>;
  /** Writes copied text to a new file (`w`, when the terminal ignored OSC 52); never replaces one. */
  writeText(path: string, text: string): Promise<void>;
  /** Where the report is written on quitting (`--output`), or null: then `q` asks once if unexported. */
  readonly savedOnQuit: string | null;
}

/** What the first-run prompt asks when neither a plan nor hosts were given. */
export interface PromptAnswers {
  readonly hosts: readonly string[];
  readonly currentHttp: number;
  readonly candidateHttp: number;
  readonly currentHttps: number;
  readonly candidateHttps: number;
}

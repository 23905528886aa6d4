import { useCallback, useEffect, useRef, type Dispatch } from 'react';
import type { ReportFormat, Report } from '../../report/index.js';
import type { ScanEvent } from '../../run/scan.js';
import type { InteractiveSession } from '../session.js';
import { osc52 } from '../clipboard.js';
import { proposedExportBase } from '../export-names.js';
import type { CopiedText, UiAction } from '../state/types.js';

/** Events are folded into the state at most this often: big scans finish thousands of probes a second. */
export const EVENT_FLUSH_MS = 100;

interface RunningScan {
  readonly controller: AbortController;
  readonly settled: Promise<void>;
}

export interface CheckRunControls {
  /** Aborts the running scan; its report (INCOMPLETE) still arrives. */
  readonly stop: () => void;
  /** Aborts any running scan, waits for it to settle, then starts a fresh one. */
  readonly rerun: () => void;
  /**
   * Writes the report in each format to its file; unless `overwrite`, first asks the session which
   * exist and, if any does, stops there for the user to confirm.
   */
  readonly exportReport: (
    report: Report,
    files: readonly { readonly format: ReportFormat; readonly path: string }[],
    overwrite: boolean,
  ) => void;
  /** Sends text to the terminal's clipboard (OSC 52). */
  readonly copy: (text: string) => void;
  /** Writes the last copied text to a new file in the working directory. */
  readonly saveText: (copied: CopiedText) => void;
}

/** Where the screen writes escape sequences that draw nothing (the clipboard's). */
export interface TerminalWriter {
  write(text: string): unknown;
}

/**
 * Runs the session's check (once at mount, again on `r`) and feeds the reducer. This is the only
 * place that touches the session, so every component stays display-only.
 */
export function useCheckRun(
  session: InteractiveSession,
  dispatch: Dispatch<UiAction>,
  terminal: TerminalWriter,
  now: () => number = Date.now,
): CheckRunControls {
  const current = useRef<RunningScan | null>(null);
  const nextRunId = useRef(0);
  const unmounted = useRef(false);

  const start = useCallback(() => {
    const runId = (nextRunId.current += 1);
    const controller = new AbortController();
    let pending: ScanEvent[] = [];
    const flush = () => {
      if (pending.length === 0 || unmounted.current) return;
      const events = pending;
      pending = [];
      dispatch({ type: 'scan-events', runId, events, at: now() });
    };
    const timer = setInterval(flush, EVENT_FLUSH_MS);
    dispatch({ type: 'scan-started', runId, at: now() });
    const settled = session
      .run({ signal: controller.signal, onEvent: (event) => pending.push(event) })
      .then(
        (report) => {
          flush();
          if (!unmounted.current) dispatch({ type: 'scan-finished', runId, report });
        },
        (error: unknown) => {
          flush();
          if (!unmounted.current) dispatch({ type: 'scan-failed', runId, ...describeFailure(error) });
        },
      )
      .finally(() => clearInterval(timer));
    current.current = { controller, settled };
  }, [session, dispatch, now]);

  useEffect(() => {
    unmounted.current = false;
    start();
    return () => {
      // Quitting mid-scan: stop sending probes; nobody is left to show the result.
      unmounted.current = true;
      current.current?.controller.abort();
    };
  }, [start]);

  const stop = useCallback(() => {
    if (current.current && !current.current.controller.signal.aborted) {
      dispatch({ type: 'scan-stop-requested' });
      current.current.controller.abort();
    }
  }, [dispatch]);

  const rerun = useCallback(() => {
    const running = current.current;
    running?.controller.abort();
    void (running?.settled ?? Promise.resolve()).then(() => {
      if (!unmounted.current) start();
    });
  }, [start]);

  const exportReport = useCallback(
    (
      report: Report,
      files: readonly { readonly format: ReportFormat; readonly path: string }[],
      overwrite: boolean,
    ) => {
      const write = async () => {
        if (!overwrite) {
          const existing = await session.existingFiles(files.map((file) => file.path));
          if (existing.length > 0) return dispatch({ type: 'export-exists', files: existing });
        }
        dispatch({ type: 'export-writing' });
        for (const file of files) await session.exportReport(report, file.format, file.path);
        dispatch({ type: 'export-result', ok: true, files: files.map((file) => file.path) });
      };
      write().catch((error: unknown) =>
        dispatch({ type: 'export-result', ok: false, message: oneLine(describeFailure(error).message) }),
      );
    },
    [session, dispatch],
  );

  const copy = useCallback((text: string) => void terminal.write(osc52(text)), [terminal]);

  const saveText = useCallback(
    (copied: CopiedText) => {
      const of = copied.of
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '');
      const path = `${proposedExportBase(`portflight ${of} ${copied.what}`, new Date(now()).toISOString())}.txt`;
      session.writeText(path, `${copied.text}\n`).then(
        () => dispatch({ type: 'notice', text: `wrote the ${copied.what} to ${path}` }),
        (error: unknown) => dispatch({ type: 'notice', text: oneLine(describeFailure(error).message) }),
      );
    },
    [session, dispatch, now],
  );

  return { stop, rerun, exportReport, copy, saveText };
}

/** A UserError's message and exit code; anything else is shown by its message with no exit code. */
function describeFailure(error: unknown): { message: string; exitCode: number | null } {
  const message = oneLine(error instanceof Error ? error.message : String(error));
  const exitCode = (error as { exitCode?: unknown } | null)?.exitCode;
  return { message, exitCode: typeof exitCode === 'number' ? exitCode : null };
}

const oneLine = (text: string) => text.split('\n')[0] ?? '';

import { REPORT_FILE_EXTENSIONS, type ReportFormat } from '../report/registry.js';
import type { ExportDialogState } from './state/types.js';

/** `.md`, `.junit.xml`: as `--output-dir` names the files (one home: the report registry). */
export const extensionOf = (format: ReportFormat): string => REPORT_FILE_EXTENSIONS[format];

/**
 * `move-client-request-ports-of-p01-20250101T120000Z`: the plan's name and when the scan finished,
 * so two exports of two runs never share a name and a folder of them sorts by time.
 */
export function proposedExportBase(title: string, finishedAt: string): string {
  const slug = title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  const stamp = finishedAt.replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
  return `${slug || 'portflight-report'}-${stamp}`;
}

/** The files Enter writes: one per chosen format, in the registry's order. */
export function exportFiles(dialog: Pick<ExportDialogState, 'formats' | 'chosen' | 'base'>) {
  const base = dialog.base.trim();
  return dialog.formats
    .filter((format) => dialog.chosen.includes(format))
    .map((format) => ({ format, path: `${base}${extensionOf(format)}` }));
}

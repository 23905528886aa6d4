/** report/: one model, one renderer per format, the seal. Reporters only read the result. */
export { buildReport, type ReportInput } from './build-report.js';
export { REPORT_FILE_EXTENSIONS, REPORT_FORMATS, REPORT_RENDERERS, type ReportFormat } from './registry.js';
export { REPORT_FORMAT_VERSION, type Report, type ReportProbe } from './model.js';
export { mergeReports, type MergeOptions } from './merge-reports.js';
export { diffReports, type ReportDiff } from './diff-reports.js';
export { DIFF_FORMATS, DIFF_RENDERERS, type DiffFormat } from './render-diff.js';
export { readReportFile, parseReportText, type ReportSource } from './read-report.js';
export { checkSeal, keyIdOf, sealReport, type SealedReport } from './integrity.js';
export { verifyReportBytes, type VerifyOutcome } from './verify-report.js';

import type { Report } from './model.js';
import { renderJsonReport } from './render-json.js';
import { renderYamlReport } from './render-yaml.js';

/** One renderer per format; the CLI's --format choices come from this map. */
export const REPORT_RENDERERS = {
  yaml: renderYamlReport,
  json: renderJsonReport,
} as const satisfies Record<string, (report: Report) => string>;

export type ReportFormat = keyof typeof REPORT_RENDERERS;
export const REPORT_FORMATS = Object.keys(REPORT_RENDERERS) as ReportFormat[];

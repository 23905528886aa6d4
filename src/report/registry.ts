import type { Report } from './model.js';
import { renderHtmlReport } from './render-html.js';
import { renderJsonReport } from './render-json.js';
import { renderJunitReport } from './render-junit.js';
import { renderMarkdownReport } from './render-markdown.js';
import { renderYamlReport } from './render-yaml.js';

/** One renderer per format; the CLI's --format choices come from this map. Each seals what it writes. */
export const REPORT_RENDERERS = {
  yaml: renderYamlReport,
  json: renderJsonReport,
  markdown: renderMarkdownReport,
  html: renderHtmlReport,
  junit: renderJunitReport,
} as const satisfies Record<string, (report: Report) => string>;

export type ReportFormat = keyof typeof REPORT_RENDERERS;
export const REPORT_FORMATS = Object.keys(REPORT_RENDERERS) as ReportFormat[];

/** File name endings for `--output-dir`. */
export const REPORT_FILE_EXTENSIONS: Readonly<Record<ReportFormat, string>> = {
  yaml: '.yaml',
  json: '.json',
  markdown: '.md',
  html: '.html',
  junit: '.junit.xml',
};

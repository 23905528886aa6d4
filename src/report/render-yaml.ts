import { stringify } from 'yaml';
import type { Report } from './model.js';

/** YAML for people and pipelines: no line folding, so messages grep as one line. */
export function renderYamlReport(report: Report): string {
  return stringify(report, { lineWidth: 0, aliasDuplicateObjects: false });
}

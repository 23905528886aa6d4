import { sealedOrBare } from './integrity.js';
import type { Report } from './model.js';
import { yamlText } from './yaml-text.js';

/** YAML for people and pipelines: no line folding, so messages grep as one line. */
export function renderYamlReport(report: Report): string {
  return yamlText(sealedOrBare(report));
}

import { sealedOrBare } from './integrity.js';
import type { Report } from './model.js';

export function renderJsonReport(report: Report): string {
  return `${JSON.stringify(sealedOrBare(report), null, 2)}\n`;
}

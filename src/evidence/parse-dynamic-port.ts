import {
  foldLabel,
  inputErrorAt,
  isDashesLine,
  splitLabelValue,
  outputLines,
  type LabelledValue,
  type TextLine,
} from './text-lines.js';
import { RowBudget } from './evidence-budget.js';
import type { DynamicPortRange } from './types.js';

/**
 * `netsh int ipv4 show dynamicport tcp`: a title, dashes, `Start Port : 49152` and
 * `Number of Ports : 16384`. Known English, French and German labels are matched; in any other
 * language the first number after the dashes is the start and the second the count, the fixed order
 * netsh prints them in.
 */

type Field = 'start' | 'count';

/** A Map, not an object literal: a `constructor :` line must not find Object.prototype's members. */
const FIELD_LABELS: ReadonlyMap<string, Field> = new Map([
  ['start port', 'start'],
  ['port de demarrage', 'start'],
  ['port de debut', 'start'],
  ['startport', 'start'],
  ['number of ports', 'count'],
  ['nombre de ports', 'count'],
  ['anzahl der ports', 'count'],
  ['anzahl ports', 'count'],
]);

/** Parses the output; a session that ran the command twice gives its last range. */
export function parseDynamicPort(text: string, file: string): DynamicPortRange {
  let result: DynamicPortRange | null = null;
  let start: { value: number; line: TextLine } | null = null;
  let afterDashes = false;
  let lastLine = 1;
  const budget = new RowBudget(file, 'dynamic port ranges');
  for (const line of outputLines(text, file)) {
    if (line.text.trim() !== '') lastLine = line.number;
    if (isDashesLine(line.text)) {
      afterDashes = true;
      start = null;
      continue;
    }
    const pair = splitLabelValue(line);
    if (pair === null) continue;
    const known = FIELD_LABELS.get(foldLabel(pair.label));
    // Without a known label, only `label : number` lines under the dashes are taken (by order).
    if (known === undefined && !(afterDashes && /^\d+$/.test(pair.value))) continue;
    const field = known ?? (start === null ? 'start' : 'count');
    if (field === 'start') {
      start = { value: readNumber(pair, line, file, 1, 65535, 'a start port (1-65535)'), line };
      continue;
    }
    if (start === null) {
      throw inputErrorAt(
        file,
        line.number,
        pair.labelCol,
        `expected a 'Start Port' line before '${pair.label}'`,
      );
    }
    const count = readNumber(pair, line, file, 1, 65535, 'a number of ports (1-65535)');
    if (start.value + count - 1 > 65535) {
      throw inputErrorAt(
        file,
        line.number,
        pair.valueCol,
        `expected start + count - 1 to be at most 65535, found ${start.value} + ${count} - 1`,
      );
    }
    budget.take(start.line.number, start.line.offset + 1);
    result = { start: start.value, count, source: { file, line: start.line.number } };
    start = null;
    afterDashes = false;
  }
  if (start !== null) {
    throw inputErrorAt(
      file,
      lastLine + 1,
      1,
      `expected a 'Number of Ports' line after 'Start Port' (line ${start.line.number})`,
    );
  }
  if (result === null) {
    throw inputErrorAt(
      file,
      1,
      1,
      "expected the output of 'netsh int ipv4 show dynamicport tcp' ('Start Port : <n>' and 'Number of Ports : <n>')",
    );
  }
  return result;
}

function readNumber(
  pair: LabelledValue,
  line: TextLine,
  file: string,
  min: number,
  max: number,
  expected: string,
): number {
  const value = /^\d{1,5}$/.test(pair.value) ? Number(pair.value) : NaN;
  if (!(value >= min && value <= max)) {
    throw inputErrorAt(
      file,
      line.number,
      pair.valueCol,
      `expected ${expected} after '${pair.label}', found '${pair.value}'`,
    );
  }
  return value;
}

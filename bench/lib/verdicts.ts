// PASS/FAIL/SKIP lines, state comparisons and the number formats the bench prints.
import type { StateMap } from './nmap-xml.js';

const SHOWN_MISMATCHES = 8;

export interface Verdict {
  readonly ok: boolean | null; // null: not measured
  readonly line: string;
}

export const target = (name: string, ok: boolean | null, detail: string): Verdict => ({
  ok,
  line: `${ok === null ? 'SKIP' : ok ? 'PASS' : 'FAIL'}  ${name}: ${detail}`,
});

export function shownList(lines: readonly string[], total = lines.length): string {
  const shown = lines.slice(0, SHOWN_MISMATCHES).map((line) => `\n        ${line}`);
  const more = total > shown.length ? `\n        … ${total - shown.length} more` : '';
  return `${shown.join('')}${more}`;
}

export function compare(name: string, actual: StateMap, reference: ReadonlyMap<string, string>): Verdict {
  const mismatches: string[] = [];
  for (const [key, want] of reference) {
    const got = actual.get(key) ?? 'missing';
    if (got !== want) mismatches.push(`${key}: ${got} (expected ${want})`);
  }
  for (const key of actual.keys()) if (!reference.has(key)) mismatches.push(`${key}: unexpected`);
  return target(
    name,
    mismatches.length === 0,
    `${mismatches.length} mismatches in ${reference.size} probes${shownList(mismatches)}`,
  );
}

/** The first run whose states disagree, or the last run when every one agrees. */
export function compareRuns(name: string, runs: readonly [StateMap, ReadonlyMap<string, string>][]): Verdict {
  const verdicts = runs.map(([actual, reference], index) =>
    compare(`${name}${runLabel(runs.length, index)}`, actual, reference),
  );
  const failed = verdicts.find((verdict) => verdict.ok === false);
  if (failed !== undefined || runs.length === 1) return failed ?? (verdicts[0] as Verdict);
  const [last] = runs.slice(-1) as [[StateMap, ReadonlyMap<string, string>]];
  return compare(`${name}${runLabel(runs.length, null)}`, ...last);
}

/** ` (run 2)` for one of several runs, ` (all 3 runs)` for every one; nothing when there is one run. */
export const runLabel = (runCount: number, index: number | null) =>
  runCount === 1 ? '' : index === null ? ` (all ${runCount} runs)` : ` (run ${index + 1})`;

export function tally(states: StateMap): string {
  const counts = new Map<string, number>();
  for (const state of states.values()) counts.set(state, (counts.get(state) ?? 0) + 1);
  return counts.size === 0 ? 'none' : [...counts].map(([state, count]) => `${state} ${count}`).join(', ');
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
export const megabytes = (mb: number | null) => (mb === null ? 'n/a' : `${mb.toFixed(1)} MB`);

export const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

/** The highest value, or null when any is null (not measured). */
export const peak = (values: readonly (number | null)[]) =>
  values.includes(null) ? null : Math.max(...(values as number[]));

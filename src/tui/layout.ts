/** Pure sizing helpers: the screen must fit 80×24 without wrapping, so every width is decided here. */

/** Cuts text to `width` columns with an ellipsis (symbols used here are all one column wide). */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}

/** Pads or truncates to exactly `width` columns, so matrix columns line up. */
export function fit(text: string, width: number): string {
  const cut = truncate(text, width);
  return cut + ' '.repeat(Math.max(0, width - [...cut].length));
}

/** The slice of a list that fits in `size` lines and keeps `focus` in view (focus -1: from the top). */
export function scrollWindow(count: number, focus: number, size: number) {
  const visible = Math.max(1, size);
  if (count <= visible) return { start: 0, end: count, above: 0, below: 0 };
  const wanted = focus < 0 ? 0 : focus - Math.floor(visible / 2);
  const start = Math.max(0, Math.min(wanted, count - visible));
  const end = start + visible;
  return { start, end, above: start, below: count - end };
}

export interface ScreenBudget {
  /** Matrix body lines (without its header and the "more" lines). */
  readonly matrixRows: number;
  /** Lines for the findings list (group headings included). */
  readonly findingLines: number;
  readonly detailLines: number;
}

/**
 * Splits the terminal height between the matrix, the findings and the details panel. Lines outside
 * these three are fixed: header 3, matrix heading and scroll notes 3, progress 2, findings title 1,
 * banner 3, key hints 1, and a spare line so Ink never reaches the bottom row (it would then clear
 * the whole screen on each frame, which flickers).
 */
export function screenBudget(rows: number, matrixRowCount: number, detailsOpen: boolean): ScreenBudget {
  const fixed = 3 + 3 + 2 + 1 + 3 + 1 + 1;
  const free = Math.max(4, rows - fixed);
  const detailLines = detailsOpen ? Math.max(5, Math.floor(free / 2)) : 0;
  const rest = free - detailLines;
  const matrixRows = Math.max(1, Math.min(matrixRowCount, Math.ceil(rest / 2)));
  return { matrixRows, findingLines: Math.max(1, rest - matrixRows), detailLines };
}

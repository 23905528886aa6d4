/** Pure sizing helpers: the screen must fit 80×24 without wrapping, so every width is decided here. */
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';

/** Columns a text takes on a terminal (wide CJK characters count two, combining marks none). */
export const displayWidth = (text: string): number => stringWidth(text);

/** Cuts text to `width` display columns with an ellipsis. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (stringWidth(text) <= width) return text;
  let cut = '';
  for (const char of text) {
    if (stringWidth(cut + char) > width - 1) break;
    cut += char;
  }
  return `${cut}…`;
}

/** Pads or truncates to exactly `width` columns, so matrix columns line up. */
export function fit(text: string, width: number): string {
  const cut = truncate(text, width);
  return cut + ' '.repeat(Math.max(0, width - stringWidth(cut)));
}

/**
 * Wraps each line to `width` display columns, words kept whole where they fit and long words (URLs,
 * paths, commands) broken, so nothing the user must read or paste is cut off.
 */
export function wrapLines(lines: readonly string[], width: number): readonly string[] {
  const room = Math.max(1, width);
  return lines.flatMap((line) =>
    line === '' ? [''] : wrapAnsi(line, room, { hard: true, trim: false }).split('\n'),
  );
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

/** The slice of a list that fits in `size` lines from line `offset`, clamped so the end stays full. */
export function offsetWindow(count: number, offset: number, size: number) {
  const visible = Math.max(1, size);
  const start = Math.max(0, Math.min(offset, count - visible));
  const end = Math.min(count, start + visible);
  return { start, end, above: start, below: count - end };
}

export interface ScreenBudget {
  /** Matrix body lines (without its header and the "more" lines). */
  readonly matrixRows: number;
  /** Lines for the findings list (group headings included). */
  readonly findingLines: number;
  /** Lines of the details panel, its border included; it takes the place of the matrix and findings. */
  readonly detailLines: number;
}

/**
 * Splits the terminal height between the matrix, the findings and the details panel. Lines outside
 * these are fixed: header 3, matrix heading and scroll notes 3, progress 2, findings title 1, banner
 * 3, key hints 1, and a spare line so Ink never reaches the bottom row (it would then clear the
 * whole screen on each frame, which flickers). Open details take the matrix's and findings' room:
 * a finding's remediation is what the user came for, and it must be readable whole at 80×24.
 */
export function screenBudget(rows: number, matrixRowCount: number): ScreenBudget {
  const fixed = 3 + 3 + 2 + 1 + 3 + 1 + 1;
  const free = Math.max(4, rows - fixed);
  const matrixRows = Math.max(1, Math.min(matrixRowCount, Math.ceil(free / 2)));
  return {
    matrixRows,
    findingLines: Math.max(1, free - matrixRows),
    detailLines: Math.max(5, rows - (3 + 2 + 3 + 1 + 1)),
  };
}

import { InputError } from '../shared/errors.js';

/**
 * How much one evidence file may hold. Files are read whole (at most MAX_INPUT_BYTES, see
 * read-input-file.ts), and within that a file may not hold more lines or rows than these: a parser
 * then does linear work on any file it accepts (a 16 MiB file in well under 2 s), and refuses the
 * rest at the line where the budget runs out, instead of building millions of objects for a file
 * no server writes (16 MiB of line breaks, a listing pasted a thousand times).
 */

/** Lines of one command output: about 80 bytes a line at the size limit would be 210,000. */
export const MAX_OUTPUT_LINES = 1_000_000;

/**
 * Rows of one file (listening sockets, certificate bindings, URL reservations, addresses, port
 * ranges; the elements of an applicationHost.config): a busy server has thousands.
 */
export const MAX_EVIDENCE_ROWS = 200_000;

function budgetError(file: string, line: number, col: number, message: string): InputError {
  return new InputError([{ position: { file, line, col }, message }]);
}

/**
 * The number of lines of a text (LF, CRLF or CR each end one), refusing more than MAX_OUTPUT_LINES
 * at the first line past the budget: counted before the text is split, so a file of line breaks
 * costs no array.
 */
export function countLinesWithinBudget(text: string, file: string): number {
  let lines = 1;
  if (text.includes('\r')) {
    const breaks = /\r\n?|\n/g;
    while (breaks.exec(text) !== null) if (++lines > MAX_OUTPUT_LINES) break;
  } else {
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1))
      if (++lines > MAX_OUTPUT_LINES) break;
  }
  if (lines > MAX_OUTPUT_LINES) {
    throw budgetError(
      file,
      MAX_OUTPUT_LINES + 1,
      1,
      `more than ${MAX_OUTPUT_LINES} lines: not the output of one command on one server (portflight reads at most that many)`,
    );
  }
  return lines;
}

/** Counts the rows a parser reads from one file, refusing the first one past MAX_EVIDENCE_ROWS. */
export class RowBudget {
  private rows = 0;

  /** `what`: the rows in the plural, as the message names them ("listening sockets"). */
  constructor(
    private readonly file: string,
    private readonly what: string,
  ) {}

  /** One more row, at `line`:`col` of the file. */
  take(line: number, col = 1): void {
    this.rows += 1;
    if (this.rows > MAX_EVIDENCE_ROWS) throw tooManyRowsError(this.file, line, col, this.what);
  }
}

/** The refusal of the first row past MAX_EVIDENCE_ROWS, at `line`:`col`. */
export function tooManyRowsError(file: string, line: number, col: number, what: string): InputError {
  return budgetError(
    file,
    line,
    col,
    `more than ${MAX_EVIDENCE_ROWS} ${what} in one file: not one server's state (portflight reads at most that many)`,
  );
}

/**
 * Maps a character offset to a 1-based line and column (lines end at LF; a CR before it counts as the
 * line's last character). Built once per file: looking positions up per row must not rescan the text.
 */
export class LineIndex {
  /** Offset of the first character of each line; lineStarts[0] is 0. */
  private readonly lineStarts: number[] = [0];

  constructor(text: string) {
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', end + 1)) {
      this.lineStarts.push(end + 1);
    }
  }

  /** Binary search: positions are looked up per element, and a bench file has ~30,000 of them. */
  line(offset: number): number {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.lineStarts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  }

  position(offset: number): { line: number; col: number } {
    const line = this.line(offset);
    return { line, col: offset - (this.lineStarts[line - 1] ?? 0) + 1 };
  }
}

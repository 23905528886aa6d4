// The order reports list text in, the same on every machine. Not Intl.Collator or localeCompare:
// their order follows the process's locale (LANG), so the same scan could list its hosts in another
// order on another machine (and a diff or a sealed copy would differ for nothing); and building
// ICU's collator took ~15 ms of every command's start-up. Written here because it is a dozen lines
// and the npm packages for it (natural-compare, string-natural-compare) are unmaintained.

/** Code-point order, for identifiers: rule ids, protocols. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const isDigit = (code: number) => code >= 48 && code <= 57;

/**
 * Natural order, for names and addresses: letters without regard to case, and each run of digits by
 * its value (`host2` before `host10`, 198.18.0.9 before 198.18.0.10). Texts equal that way (`A` and
 * `a`, `01` and `1`) come in code-point order, so only identical texts compare equal.
 */
export function compareNatural(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const cx = x.charCodeAt(i);
    const cy = y.charCodeAt(j);
    if (isDigit(cx) && isDigit(cy)) {
      let endX = i;
      let endY = j;
      while (endX < x.length && isDigit(x.charCodeAt(endX))) endX += 1;
      while (endY < y.length && isDigit(y.charCodeAt(endY))) endY += 1;
      const byValue = compareDigitRuns(x, i, endX, y, j, endY);
      if (byValue !== 0) return byValue;
      i = endX;
      j = endY;
    } else {
      if (cx !== cy) return cx - cy;
      i += 1;
      j += 1;
    }
  }
  return x.length - i - (y.length - j) || compareText(a, b);
}

/**
 * Two runs of digits by value: leading zeros skipped (one digit kept), then the longer run is the
 * larger number, else the first digit that differs decides. By index, without copies: report
 * sorting compares every subject and address this way thousands of times.
 */
function compareDigitRuns(x: string, i: number, endX: number, y: string, j: number, endY: number): number {
  while (i < endX - 1 && x.charCodeAt(i) === 48) i += 1;
  while (j < endY - 1 && y.charCodeAt(j) === 48) j += 1;
  const length = endX - i;
  if (length !== endY - j) return length - (endY - j);
  for (let k = 0; k < length; k += 1) {
    const difference = x.charCodeAt(i + k) - y.charCodeAt(j + k);
    if (difference !== 0) return difference < 0 ? -1 : 1;
  }
  return 0;
}

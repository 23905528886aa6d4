/**
 * How deep a YAML text nests, found by one pass over its characters before the YAML parser sees it:
 * the parser and the checks after it recurse per level, and 5,000 nested `[` ended in "Maximum call
 * stack size exceeded" instead of a message about the file. Plans and rule packs nest a dozen levels;
 * a limit far above that refuses only hostile or generated input.
 */
export const MAX_YAML_DEPTH = 64;

/** The offset where nesting first passes `limit` (flow brackets and block indentation), or null. */
export function excessiveNestingAt(text: string, limit = MAX_YAML_DEPTH): number | null {
  let flow = 0;
  const indents: number[] = [];
  let lineStart = true;
  for (let at = 0; at < text.length; at += 1) {
    const char = text[at];
    if (lineStart && flow === 0) {
      lineStart = false;
      let end = at;
      while (text[end] === ' ') end += 1;
      const next = text[end];
      if (next !== undefined && next !== '\n' && next !== '\r' && next !== '#') {
        const indent = end - at;
        while (indents.length > 0 && (indents.at(-1) ?? 0) >= indent) indents.pop();
        indents.push(indent);
        // A `- ` item opens one more level on the same line.
        for (let dash = end; text[dash] === '-' && text[dash + 1] === ' '; dash += 2)
          indents.push(indent + 1);
        if (indents.length > limit) return end;
      }
    }
    if (char === '\n') lineStart = true;
    else if (char === '#' && (at === 0 || /\s/.test(text[at - 1] ?? ''))) {
      while (at + 1 < text.length && text[at + 1] !== '\n') at += 1;
    } else if (char === '"' || char === "'") at = closingQuote(text, at);
    else if (char === '[' || char === '{') {
      flow += 1;
      if (flow + indents.length > limit) return at;
    } else if ((char === ']' || char === '}') && flow > 0) flow -= 1;
  }
  return null;
}

/** The offset of the quote that closes the one at `open` (YAML doubles `'` to escape it). */
function closingQuote(text: string, open: number): number {
  const quote = text[open];
  for (let at = open + 1; at < text.length; at += 1) {
    if (quote === '"' && text[at] === '\\') at += 1;
    else if (text[at] === quote) {
      if (quote === "'" && text[at + 1] === "'") at += 1;
      else return at;
    }
  }
  return text.length;
}

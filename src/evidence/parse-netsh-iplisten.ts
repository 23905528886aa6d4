import { inputErrorAt, isDashesLine, isIpAddress, outputLines } from './text-lines.js';
import { RowBudget } from './evidence-budget.js';
import type { IpListenEntry } from './types.js';

/**
 * `netsh http show iplisten`: a header (`IP addresses present in the IP listen list:`, localized),
 * dashes, then one address per line. An empty list is valid and common: http.sys then listens on
 * every address.
 *
 * The header is recognised by its dashes only, so any language works. The listing ends at the blank
 * line after its addresses or at a line of several words (a prompt, a message). When a file holds
 * several listings (a pasted session), the last one is the state the session left: it is returned.
 */
export function parseNetshIplisten(text: string, file: string): IpListenEntry[] {
  let listing: IpListenEntry[] | null = null;
  let state: 'outside' | 'beforeRows' | 'rows' = 'outside';
  const budget = new RowBudget(file, 'listen-list addresses');
  for (const line of outputLines(text, file)) {
    const trimmed = line.text.trim();
    if (isDashesLine(line.text)) {
      listing = [];
      state = 'beforeRows';
      continue;
    }
    if (state === 'outside' || listing === null) continue;
    if (trimmed === '') {
      if (state === 'rows') state = 'outside';
      continue;
    }
    if (/\s/.test(trimmed)) {
      state = 'outside';
      continue;
    }
    if (!isIpAddress(trimmed)) {
      const col = line.offset + line.text.indexOf(trimmed) + 1;
      throw inputErrorAt(
        file,
        line.number,
        col,
        `expected an IP address of the IP listen list (such as 10.0.0.5 or ::), found '${trimmed}'`,
      );
    }
    budget.take(line.number, line.offset + line.text.indexOf(trimmed) + 1);
    listing.push({ address: trimmed, source: { file, line: line.number } });
    state = 'rows';
  }
  if (listing === null) {
    throw inputErrorAt(
      file,
      1,
      1,
      "expected the output of 'netsh http show iplisten' (a header line, a line of dashes, then one address per line)",
    );
  }
  return listing;
}

import { humanSubject } from '../../report/human-subject.js';
import { navigableItems, type NavigableItem } from './selectors.js';
import type { UiState } from './types.js';

/** What `/` looks in: hosts, addresses, ports, sites and roles of a cell; rule, subject and message of a finding. */
function searchableText(item: NavigableItem): string {
  if (item.kind === 'finding') {
    const { finding } = item;
    return [
      finding.rule,
      finding.subject,
      humanSubject(finding.subject),
      finding.message,
      ...finding.evidence,
    ]
      .join('\n')
      .toLowerCase();
  }
  const { row, column, record } = item;
  return [
    row.target,
    row.address ?? '',
    row.site,
    row.roles,
    ...(row.members?.map((member) => member.address ?? member.target) ?? []),
    `${column.protocol}/${column.port}`,
    column.label,
    record?.state ?? '',
  ]
    .join('\n')
    .toLowerCase();
}

/** Indexes of the items that match, in cursor order. */
export function searchMatches(state: UiState, query: string): readonly number[] {
  const wanted = query.trim().toLowerCase();
  if (wanted === '') return [];
  const matches: number[] = [];
  navigableItems(state).forEach((item, index) => {
    if (searchableText(item).includes(wanted)) matches.push(index);
  });
  return matches;
}

/**
 * The match at or after `from` going forward (before it going back), wrapping round as vim and less
 * do; null when nothing matches.
 */
export function nextMatch(
  matches: readonly number[],
  from: number,
  direction: 1 | -1,
  inclusive: boolean,
): number | null {
  if (matches.length === 0) return null;
  if (direction === 1) {
    return matches.find((index) => (inclusive ? index >= from : index > from)) ?? (matches[0] as number);
  }
  return [...matches].reverse().find((index) => index < from) ?? (matches.at(-1) as number);
}

// Facts about where probes are stopped: per-probe localisation fields and the grouping of many
// filtered probes of one port into one statement ("tcp/8443 at 198.18.2.2 for 240 addresses").
import type { ProbeRecord } from '../probes/types.js';
import type { FactTreeOf } from './catalogue.js';
import { estimateDistance } from '../probes/raw/walk.js';

type Tree = FactTreeOf;

/** Rewrites seen on the path, `hop 2 198.18.2.2: dscp 0→8`, `; `-separated; empty when none. */
export function rewritesText(record: ProbeRecord): string {
  let text = '';
  for (const hop of record.path ?? []) {
    for (const rewrite of hop.rewrites ?? []) {
      text += `${text ? '; ' : ''}hop ${hop.ttl} ${hop.address ?? '?'}: ${rewrite}`;
    }
  }
  return text;
}

/** Routers the deciding answer crossed (from its TTL), or 0 when unknown. */
export function replyHopsOf(record: ProbeRecord): number {
  return (
    record.answeredCloser?.replyHops ??
    (record.replyTtl === undefined ? 0 : estimateDistance(record.replyTtl) - 1)
  );
}

/** Where a filtered probe is stopped, in words; undefined when it was not localised. */
export function whereStopped(record: ProbeRecord): string | undefined {
  if (record.blockedBetween) return `between ${record.blockedBetween[0]} and ${record.blockedBetween[1]}`;
  if (record.blockedBy === 'destination') return 'by the destination hosts themselves';
  if (record.blockedBy) return `at ${record.blockedBy}`;
  return undefined;
}

type BlockGroup = Tree['blockGroups'][number];

/**
 * Localised filtered probes grouped by protocol, port and where they are stopped, in the order each
 * group is first met; `refOf` gives each probe's evidence reference.
 */
export function blockGroupsOf(
  records: readonly ProbeRecord[],
  refOf: (record: ProbeRecord) => string,
): Tree['blockGroups'] {
  const groups = new Map<string, { -readonly [K in keyof BlockGroup]: BlockGroup[K] } & { refs: string[] }>();
  for (const record of records) {
    const where = record.state === 'filtered' ? whereStopped(record) : undefined;
    if (where === undefined) continue;
    const key = `${record.protocol}/${record.port}/${where}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = {
        protocol: record.protocol,
        protocolUpper: record.protocol.toUpperCase(),
        port: record.port,
        where,
        count: 0,
        probed: 0,
        inferred: 0,
        refs: [],
      };
      groups.set(key, group);
    }
    group.count += 1;
    if (record.localisation === 'inferred') group.inferred += 1;
    else group.probed += 1;
    group.refs.push(refOf(record));
  }
  return [...groups.values()];
}

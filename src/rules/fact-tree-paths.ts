// Facts about where probes are stopped: per-probe localisation fields and the grouping of many
// filtered probes of one port into one statement ("tcp/8443 at 198.18.2.2 for 240 addresses").
import type { ProbeRecord } from '../probes/types.js';
import type { FactTreeOf } from './catalogue.js';
import { probeEvidence } from './describe.js';
import { estimateDistance } from '../probes/raw/walk.js';

type Tree = FactTreeOf;

/** The localisation fields of one probe fact. */
export function pathFieldsOf(record: ProbeRecord) {
  const rewrites = (record.path ?? []).flatMap((hop) =>
    (hop.rewrites ?? []).map((rewrite) => `hop ${hop.ttl} ${hop.address ?? '?'}: ${rewrite}`),
  );
  return {
    attributed: record.replyFrom !== undefined,
    replyFrom: record.replyFrom ?? '',
    blockedBetween: record.blockedBetween ? record.blockedBetween.join(' and ') : '',
    localisation: record.localisation ?? '',
    inferredFrom: record.inferredFrom ?? '',
    answeredCloser: record.answeredCloser !== undefined,
    replyHops: record.answeredCloser?.replyHops ?? (record.replyTtl === undefined ? 0 : estimateDistance(record.replyTtl) - 1),
    destinationHops: record.answeredCloser?.destinationHops ?? 0,
    rewrites: rewrites.join('; '),
  };
}

/** Where a filtered probe is stopped, in words; undefined when it was not localised. */
export function whereStopped(record: ProbeRecord): string | undefined {
  if (record.blockedBetween) return `between ${record.blockedBetween[0]} and ${record.blockedBetween[1]}`;
  if (record.blockedBy === 'destination') return 'by the destination hosts themselves';
  if (record.blockedBy) return `at ${record.blockedBy}`;
  return undefined;
}

/** Localised filtered probes grouped by protocol, port and where they are stopped. */
export function blockGroupsOf(records: readonly ProbeRecord[]): Tree['blockGroups'] {
  const groups = new Map<string, Tree['blockGroups'][number]>();
  for (const record of records) {
    const where = record.state === 'filtered' ? whereStopped(record) : undefined;
    if (where === undefined) continue;
    const key = `${record.protocol}/${record.port}/${where}`;
    const group = groups.get(key) ?? {
      protocol: record.protocol,
      protocolUpper: record.protocol.toUpperCase(),
      port: record.port,
      where,
      count: 0,
      probed: 0,
      inferred: 0,
      refs: [],
    };
    groups.set(key, {
      ...group,
      count: group.count + 1,
      probed: group.probed + (record.localisation === 'inferred' ? 0 : 1),
      inferred: group.inferred + (record.localisation === 'inferred' ? 1 : 0),
      refs: [...group.refs, probeEvidence(record)],
    });
  }
  return [...groups.values()];
}

// What the TTL of an answer says about its sender. A reply's received TTL is its initial TTL
// (64, 128, 255…) less the routers it crossed, so two answers "from the destination" that crossed
// different numbers of routers did not come from the same machine: the closer one came from a
// firewall forging a RST, or from a NAT, load balancer or proxy answering in the server's place.
import type { ProbeRecord } from '../types.js';
import { withDetail } from './attribute.js';
import type { RawReply } from './engine.js';
import { hopAddress, type AddressView, type ReferencePath } from './path-groups.js';
import { estimateDistance } from './walk.js';
import { pushTo } from '../../shared/push-to.js';

/** Routers between the sender and here, from a received TTL. */
export const hopsOf = (ttl: number) => estimateDistance(ttl) - 1;

/** Refinements from reply TTLs alone (no packet sent): closer SYN-ACKs and RSTs of one address. */
export function analyseReplyTtls(view: AddressView): Map<ProbeRecord, ProbeRecord> {
  const out = new Map<ProbeRecord, ProbeRecord>();
  const own = view.records.filter(
    (r) => r.protocol === 'tcp' && r.replyFrom === view.address && r.replyTtl !== undefined,
  );
  for (const [record, suspected] of suspectResets(own)) out.set(record, suspected);
  const synAcks = own.filter((r) => r.reason === 'syn-ack');
  if (synAcks.length === 0) return out;
  // The destination is the farthest machine answering with its address: middleboxes sit closer.
  const destinationHops = Math.max(...synAcks.map((r) => hopsOf(r.replyTtl as number)));
  for (const record of own) {
    const replyHops = hopsOf(record.replyTtl as number);
    if (replyHops >= destinationHops) continue;
    if (record.reason === 'syn-ack') {
      const detail = `its SYN-ACK crossed ${replyHops} router(s), the destination's own answers ${destinationHops}: a NAT, load balancer or proxy ${destinationHops - replyHops} hop(s) closer answered in the server's place`;
      out.set(record, {
        ...record,
        answeredCloser: { replyHops, destinationHops },
        detail: withDetail(record, detail),
      });
    } else if (record.state === 'closed') {
      const detail = `RST TTL ${record.replyTtl}: it crossed ${replyHops} router(s), the destination's SYN-ACKs ${destinationHops}: forged ${destinationHops - replyHops} hop(s) closer`;
      out.set(record, {
        ...record,
        state: 'filtered',
        reason: 'reset-injected',
        // Named by nameForger once the path is traced.
        blockedBy: null,
        localisation: 'probed',
        detail: withDetail(record, detail),
      });
    }
  }
  return out;
}

/**
 * RSTs of one host come from one stack and carry its marks (IP ID behaviour, window). When most
 * RSTs of an address share them and one does not, that one most likely came from something else
 * (a firewall forging it with the host's TTL): `reset-suspected`, not proof — the TTL-limited
 * test below may still prove it.
 */
function suspectResets(own: readonly ProbeRecord[]): Map<ProbeRecord, ProbeRecord> {
  const out = new Map<ProbeRecord, ProbeRecord>();
  const resets = own.filter((r) => r.state === 'closed' && r.replyFingerprint !== undefined);
  const markOf = (r: ProbeRecord) => {
    const { ipId, window } = r.replyFingerprint as NonNullable<ProbeRecord['replyFingerprint']>;
    return `IP ID ${ipId === 0 ? 'zero' : 'non-zero'}, window ${window ?? '?'}`;
  };
  const counts = new Map<string, number>();
  for (const record of resets) counts.set(markOf(record), (counts.get(markOf(record)) ?? 0) + 1);
  const [common, commonCount] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
  if (counts.size < 2 || commonCount * 2 <= resets.length) return out;
  for (const record of resets) {
    if (markOf(record) === common) continue;
    const detail = `its RST (${markOf(record)}) differs from the host's other RSTs (${common}): likely forged on the way`;
    out.set(record, { ...record, reason: 'reset-suspected', detail: withDetail(record, detail) });
  }
  return out;
}

/** A RST found forged by its TTL alone, whose forger is not named yet. */
export const awaitsForger = (record: ProbeRecord) =>
  record.reason === 'reset-injected' && record.path === undefined && record.replyTtl !== undefined;

/** Names the forger of a RST found forged by its TTL, once the path is known. */
export function nameForger(record: ProbeRecord, reference: ReferencePath): ProbeRecord {
  // The forger is the router a probe reaches with TTL (routers the RST crossed) + 1.
  const forgerTtl = hopsOf(record.replyTtl as number) + 1;
  const device = hopAddress(reference, forgerTtl);
  return {
    ...record,
    blockedBy: device,
    path: reference.hops.filter((hop) => hop.ttl <= forgerTtl),
    ...(device === null
      ? { detail: withDetail(record, `hop ${forgerTtl} sends no time-exceeded: its address is unknown`) }
      : {}),
  };
}

/**
 * A RST whose TTL matches the destination's can still be forged (a firewall may set the TTL):
 * a SYN with a TTL too small to reach the destination that still draws a RST proves it, and the
 * smallest such TTL names the forger (the hop just before it). One sample per port and path.
 */
export async function checkResetsByTtlLimit(
  closed: readonly ProbeRecord[],
  reference: ReferencePath,
  ask: (record: ProbeRecord, ttl: number) => Promise<RawReply | 'no-budget'>,
  questionOf: (record: ProbeRecord) => string,
): Promise<Map<ProbeRecord, ProbeRecord>> {
  const out = new Map<ProbeRecord, ProbeRecord>();
  const distance = reference.distance;
  if (distance === null || distance < 2) return out;
  const questions = new Map<string, ProbeRecord[]>();
  for (const record of closed) {
    pushTo(questions, questionOf(record), record);
  }
  await Promise.all(
    [...questions.values()].map(async (records) => {
      const sample = records[0] as ProbeRecord;
      const isRst = (reply: RawReply | 'no-budget') => reply !== 'no-budget' && reply.kind === 'rst';
      if (!isRst(await ask(sample, distance - 1))) return; // time-exceeded (or nothing): not forged on the way
      let smallest = distance - 1;
      while (smallest > 1 && isRst(await ask(sample, smallest - 1))) smallest -= 1;
      const forgerTtl = smallest - 1;
      const device = forgerTtl >= 1 ? hopAddress(reference, forgerTtl) : null;
      const proof = `a SYN with TTL ${smallest} (short of the destination at ${distance}) drew a RST: forged at hop ${forgerTtl}`;
      for (const record of records) {
        const inferred = record !== sample;
        out.set(record, {
          ...record,
          state: 'filtered',
          reason: 'reset-injected',
          blockedBy: device,
          localisation: inferred ? 'inferred' : 'probed',
          ...(inferred ? { inferredFrom: sample.address as string } : {}),
          path: reference.hops.filter((hop) => hop.ttl <= Math.max(forgerTtl, 0)),
          detail: withDetail(record, inferred ? `inferred from ${sample.address}: ${proof}` : proof),
        });
      }
    }),
  );
  return out;
}

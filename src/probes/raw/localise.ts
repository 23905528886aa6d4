// Localisation of a scan's records: the free analyses (reply TTLs), one trace per path, forged
// resets, then one question per (path, protocol, port) — see questions.ts and docs/localisation.md.
import type { ProbeRecord } from '../types.js';
import { budgetedAsk } from './budgeted-ask.js';
import type { RawReply } from './engine.js';
import type { HopBudgets } from './hop-budget.js';
import { Semaphore } from './pacer.js';
import { answerQuestions } from './questions.js';
import { tracePaths } from './trace-paths.js';
import {
  addressViews,
  groupByPath,
  hopAddress,
  type AddressView,
  type Ask,
  type ReferencePath,
} from './path-groups.js';
import { FULL_TTL } from './walk.js';
import { analyseReplyTtls, awaitsForger, checkResetsByTtlLimit, nameForger } from './reply-ttls.js';
import { pushTo } from '../../shared/push-to.js';

export interface LocaliseOptions {
  /** Shortest and longest wait for one raw probe's reply. */
  readonly minTimeoutMs: number;
  readonly maxTimeoutMs: number;
  readonly concurrency: number;
  /** Samples per question before the rest are inferred (at least 2). */
  readonly samples: number;
  readonly maxTtl: number;
  /** performance.now() after which nobody waits for a router's budget: unknown instead. */
  readonly deadline: number;
  readonly signal: AbortSignal;
}

export interface LocaliseResult {
  readonly records: ProbeRecord[];
  readonly skipped: readonly string[];
}

type Key = string;
const questionKey = (group: string, record: ProbeRecord) => `${group}|${record.protocol}|${record.port}`;

/** Records whose blocker is still to be found: silence, or a refusal nobody was seen sending. */
const needsWalk = (record: ProbeRecord) =>
  record.address !== null &&
  record.localisation === undefined &&
  (record.state === 'filtered' || record.state === 'open|filtered');

/** Refines every record the raw probes can say more about; returns them in input order. */
export async function localiseRecords(
  records: readonly ProbeRecord[],
  rawAsk: Ask,
  budgets: HopBudgets,
  options: LocaliseOptions,
): Promise<LocaliseResult> {
  const skipped = new Set<string>();
  // Input record → its latest refinement, and back: refinements chain (TTL analysis, then walks).
  const out = new Map<ProbeRecord, ProbeRecord>();
  const inputOf = new Map<ProbeRecord, ProbeRecord>(records.map((record) => [record, record]));
  const refine = (before: ProbeRecord, after: ProbeRecord) => {
    const input = inputOf.get(before) ?? before;
    out.set(input, after);
    inputOf.set(after, input);
  };
  const isIpv4 = (r: ProbeRecord) => r.address !== null && /^\d+\.\d+\.\d+\.\d+$/.test(r.address);
  const ipv4 = records.filter(isIpv4);
  for (const record of records)
    if (record.address !== null && !isIpv4(record) && needsWalk(record))
      skipped.add(`raw probes are IPv4 only (${record.address})`);

  // Free analyses first: reply TTLs already say which answers came from closer than the server.
  const views = addressViews(ipv4);
  for (const view of views) for (const [before, after] of analyseReplyTtls(view)) refine(before, after);
  const current = (record: ProbeRecord) => out.get(record) ?? record;

  const semaphore = new Semaphore(options.concurrency);
  // A walk's TTL-limited asks go before the full-TTL ones waiting (the engine's pacer does the same).
  const ask: Ask = (address, protocol, port, ttl, timeoutMs) =>
    semaphore.run(
      () =>
        options.signal.aborted ? Promise.resolve(silence) : rawAsk(address, protocol, port, ttl, timeoutMs),
      ttl < FULL_TTL,
    );
  const needsPath = (view: AddressView) =>
    view.records.map(current).some((r) => needsWalk(r) || awaitsForger(r) || awaitsPath(r) || isClosedTcp(r));
  const groups = [...groupByPath(views).values()]
    .map((members) => members.filter(needsPath))
    .filter((members) => members.length > 0);
  const paths = await tracePaths(groups, ask, options.maxTtl, budgets, options.deadline);

  await Promise.all(
    paths.map(async ({ members, reference }, index) => {
      const group = String(index);
      const walking = members.flatMap((view) => view.records.map(current).filter(needsWalk));
      const closedTcp = members.flatMap((view) => view.records.map(current).filter(isClosedTcp));
      const forged = members.flatMap((view) => view.records.map(current).filter(awaitsForger));
      const rejects = members.flatMap((view) => view.records.map(current).filter(awaitsPath));
      for (const record of forged) refine(record, nameForger(record, reference));
      for (const record of rejects) refine(record, withPathTo(record, reference));
      const timeoutMs = walkTimeout(reference, options);
      const hopAsk = budgetedAsk(ask, budgets, options, timeoutMs);
      const questions = new Map<Key, ProbeRecord[]>();
      for (const record of walking) {
        const key = questionKey(group, record);
        pushTo(questions, key, record);
      }
      const resets = await checkResetsByTtlLimit(
        closedTcp,
        reference,
        (record, ttl) => hopAsk(record, ttl, hopAddress(reference, ttl)),
        (record) => questionKey(group, record),
      );
      for (const [before, after] of resets) refine(before, after);
      const answered = await answerQuestions([...questions.values()], reference, hopAsk, budgets, options);
      for (const [before, after] of answered) refine(before, after);
    }),
  );
  return { records: records.map(current), skipped: [...skipped] };
}

const isClosedTcp = (record: ProbeRecord) => record.protocol === 'tcp' && record.state === 'closed';

/** A reject attributed from the connect phase: its sender is known, the hops before it are not yet. */
const awaitsPath = (record: ProbeRecord) =>
  record.localisation === 'probed' &&
  record.replyFrom !== undefined &&
  record.path === undefined &&
  record.reason !== 'reset-injected';

/** The reference hops up to the sender of the reject (all of them for the destination itself). */
function withPathTo(record: ProbeRecord, reference: ReferencePath): ProbeRecord {
  const senderTtl = reference.hops.find((hop) => hop.address === record.replyFrom)?.ttl;
  return { ...record, path: reference.hops.filter((hop) => senderTtl === undefined || hop.ttl <= senderTtl) };
}

const silence: RawReply = {
  kind: 'none',
  from: null,
  ttl: null,
  icmpType: null,
  icmpCode: null,
  rttMs: null,
};

/**
 * Routers answer no slower than the destination behind them: a few times the slowest answer of the
 * reference trace is plenty (the caller's default when the trace got none).
 */
function walkTimeout(reference: ReferencePath, options: LocaliseOptions): number | undefined {
  if (reference.rttMs === null) return undefined;
  return rawProbeTimeout(reference.rttMs, options.minTimeoutMs, options.maxTimeoutMs);
}

/**
 * How long a raw probe waits: routers answer no slower than the destination behind them, so a few
 * times the RTT seen is plenty, within [minMs, maxMs].
 */
export function rawProbeTimeout(rttMs: number, minMs: number, maxMs: number): number {
  return Math.round(Math.min(maxMs, Math.max(minMs, 4 * rttMs + 20)));
}

// Localisation per question, not per probe: probes of one port over one path are one question.
// Pilots (one sample per question) go first so the routers' ICMP budget is spent where it decides
// something; a second sample, spread over the group, checks that the group agrees; when samples
// disagree (a per-destination rule) every probe of the question is localised on its own.
import type { PathHop, ProbeRecord } from '../types.js';
import { attributeSocketProbe, withDetail } from './attribute.js';
import type { RawReply } from './engine.js';
import type { HopBudgets } from './hop-budget.js';
import { localiseSample, type SampleResult } from './localise-sample.js';
import { Semaphore } from './pacer.js';
import { estimateDistance, FULL_TTL } from './walk.js';
import {
  addressViews,
  groupByPath,
  traceReference,
  type AddressView,
  type Ask,
  type ReferencePath,
} from './path-groups.js';
import { analyseReplyTtls, awaitsForger, checkResetsByTtlLimit, nameForger } from './reply-ttls.js';

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
  const out = new Map<ProbeRecord, ProbeRecord>();
  const ipv4 = records.filter((r) => r.address !== null && /^\d+\.\d+\.\d+\.\d+$/.test(r.address));
  for (const record of records)
    if (record.address !== null && !ipv4.includes(record) && needsWalk(record))
      skipped.add(`raw probes are IPv4 only (${record.address})`);

  // Free analyses first: reply TTLs already say which answers came from closer than the server.
  const views = addressViews(ipv4);
  for (const view of views) for (const [before, after] of analyseReplyTtls(view)) out.set(before, after);
  const current = (record: ProbeRecord) => out.get(record) ?? record;

  const semaphore = new Semaphore(options.concurrency);
  const ask: Ask = (address, protocol, port, ttl, timeoutMs) =>
    semaphore.run(() =>
      options.signal.aborted ? Promise.resolve(silence) : rawAsk(address, protocol, port, ttl, timeoutMs),
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
      for (const record of forged) out.set(original(records, out, record), nameForger(record, reference));
      for (const record of rejects) out.set(original(records, out, record), withPathTo(record, reference));
      const timeoutMs = walkTimeout(reference, options);
      const hopAsk = budgetedAsk(ask, budgets, options, timeoutMs);
      const questions = new Map<Key, ProbeRecord[]>();
      for (const record of walking) {
        const key = questionKey(group, record);
        questions.set(key, [...(questions.get(key) ?? []), record]);
      }
      const resets = await checkResetsByTtlLimit(
        closedTcp,
        reference,
        (record, ttl) => hopAsk(record, ttl, reference.hops.find((h) => h.ttl === ttl)?.address ?? null),
        (record) => questionKey(group, record),
      );
      for (const [before, after] of resets) out.set(original(records, out, before), after);
      const answered = await answerQuestions([...questions.values()], reference, hopAsk, budgets, options);
      for (const [before, after] of answered) out.set(original(records, out, before), after);
    }),
  );
  return { records: records.map(current), skipped: [...skipped] };
}

const isClosedTcp = (record: ProbeRecord) => record.protocol === 'tcp' && record.state === 'closed';

/** One path: the addresses it leads to (possibly several /24s) and its trace. */
interface TracedPath {
  readonly members: AddressView[];
  readonly reference: ReferencePath;
}

/**
 * One full trace per path. A /24 at the same distance as a traced one is asked only for its last
 * router (one time-exceeded, from a router that is rarely the blocker): the same router there
 * means the same path up to the destinations, and the /24 joins it — so four /24s behind one
 * firewall cost the firewall's ICMP budget once, not four times.
 */
async function tracePaths(
  groups: readonly AddressView[][],
  ask: Ask,
  maxTtl: number,
  budgets: HopBudgets,
  deadline: number,
): Promise<TracedPath[]> {
  const paths: TracedPath[] = [];
  for (const members of groups) {
    const traced = pickReferenceView(members);
    const joined = await joinTracedPath(paths, traced, ask);
    if (joined) {
      joined.members.push(...members);
      continue;
    }
    const reference = await traceReference(traced, ask, maxTtl);
    paths.push({
      members: [...members],
      reference: await refillSilentHops(reference, ask, budgets, deadline),
    });
  }
  return paths;
}

/**
 * A TTL that stayed silent on the trace while some router was out of ICMP budget may be that
 * router: asked again once they have all refilled, so a rate-limited firewall is not taken for a
 * router that never answers.
 */
async function refillSilentHops(
  reference: ReferencePath,
  ask: Ask,
  budgets: HopBudgets,
  deadline: number,
): Promise<ReferencePath> {
  const silent = reference.hops.filter((hop) => hop.address === null);
  const wait = budgets.msUntilNoneDrained();
  if (silent.length === 0 || wait === 0 || reference.protocol === null || performance.now() + wait > deadline)
    return reference;
  await sleep(wait);
  const protocol = reference.protocol;
  const again = await Promise.all(
    silent.map((hop) => ask(reference.address, protocol, reference.port, hop.ttl)),
  );
  const found = new Map(
    silent.flatMap((hop, i) => {
      const reply = again[i] as RawReply;
      return reply.kind === 'time-exceeded' && reply.from !== null
        ? [[hop.ttl, { ttl: hop.ttl, address: reply.from, rttMs: reply.rttMs }] as const]
        : [];
    }),
  );
  return { ...reference, hops: reference.hops.map((hop) => found.get(hop.ttl) ?? hop) };
}

async function joinTracedPath(paths: readonly TracedPath[], view: AddressView, ask: Ask) {
  const candidates = paths.filter(
    ({ reference }) =>
      reference.distance !== null &&
      reference.distance > 1 &&
      view.answerTtl !== null &&
      estimateDistance(view.answerTtl) === reference.distance,
  );
  for (const path of candidates) {
    const { reference } = path;
    const distance = reference.distance as number;
    const lastRouter = reference.hops.find((hop) => hop.ttl === distance - 1)?.address;
    if (!lastRouter || reference.protocol === null) continue;
    const port = view.records.find((r) => r.reason === 'syn-ack')?.port ?? reference.port;
    const protocol = view.records.some((r) => r.reason === 'syn-ack') ? 'tcp' : reference.protocol;
    const reply = await ask(view.address, protocol, port, distance - 1);
    if (reply.kind === 'time-exceeded' && reply.from === lastRouter) return path;
  }
  return undefined;
}

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

/** The input record a refined one stands for (refinements chain: TTL analysis, then walks). */
function original(records: readonly ProbeRecord[], out: Map<ProbeRecord, ProbeRecord>, record: ProbeRecord) {
  if (records.includes(record)) return record;
  for (const [before, after] of out) if (after === record) return before;
  return record;
}

/**
 * Routers answer no slower than the destination behind them: a few times the slowest answer of the
 * reference trace is plenty (the caller's default when the trace got none).
 */
function walkTimeout(reference: ReferencePath, options: LocaliseOptions): number | undefined {
  if (reference.rttMs === null) return undefined;
  return Math.round(Math.min(options.maxTimeoutMs, Math.max(options.minTimeoutMs, 4 * reference.rttMs + 20)));
}

/** The address to trace: one with an open TCP port (a SYN-ACK cannot be forged by a dropping filter). */
function pickReferenceView(members: readonly AddressView[]): AddressView {
  return (
    members.find((view) => view.synAckTtl !== null) ??
    members.find((view) => view.answerTtl !== null) ??
    (members[0] as AddressView)
  );
}

const BUDGET_POLL_MS = 20;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const isDestinationReply = (reply: RawReply) =>
  reply.kind === 'syn-ack' ||
  reply.kind === 'rst' ||
  reply.kind === 'udp-reply' ||
  (reply.kind === 'unreachable' && reply.icmpCode === 3);

export type RecordAsk = (
  record: ProbeRecord,
  ttl: number,
  hop: string | null,
  /** Wait for the hop's budget to refill (pilots); otherwise answer `no-budget` at once. */
  wait?: boolean,
) => Promise<RawReply | 'no-budget'>;

/**
 * An ask that respects each router's ICMP budget: it waits for the hop to have budget left (until
 * the deadline), holds one message of it while the probe is out (so concurrent asks do not count
 * the same message twice) and gives it back when the reply came — the reply itself is counted
 * when it arrives, like every ICMP error from that hop.
 */
function budgetedAsk(
  ask: Ask,
  budgets: HopBudgets,
  options: LocaliseOptions,
  timeoutMs: number | undefined,
): RecordAsk {
  return async (record, ttl, hop, mayWait = true) => {
    if (hop === null && ttl !== FULL_TTL && mayWait) {
      // A router not known yet may be one that is out of budget now: let them all refill first.
      const wait = budgets.msUntilNoneDrained();
      if (wait > 0 && performance.now() + wait <= options.deadline) await sleep(wait);
    }
    if (hop !== null) {
      for (;;) {
        const wait = budgets.msUntilAvailable(hop);
        if (wait === 0) break;
        if (!mayWait || performance.now() + wait > options.deadline || options.signal.aborted)
          return 'no-budget';
        // Look again soon: messages held by probes still out come back when they time out.
        await sleep(Math.min(wait, BUDGET_POLL_MS));
      }
      budgets.spent(hop);
    }
    try {
      return await ask(record.address as string, record.protocol, record.port, ttl, timeoutMs);
    } finally {
      if (hop !== null) budgets.refund(hop);
    }
  };
}

/** Pilots deciding within this window of each other share one control (one message of budget). */
const CONTROL_SHARE_MS = 100;

/**
 * "Does the router at this TTL answer a probe that passes it, now?" — asked with the reference
 * port right after the silence it is to prove. An answer from a while ago proves nothing (a
 * router that just answered may have spent its last message on it); concurrent pilots share one.
 */
function controlAsk(reference: ReferencePath, ask: RecordAsk) {
  const recent = new Map<number, { at: number; answer: Promise<'answers' | 'silent' | 'no-budget'> }>();
  const probe: ProbeRecord = {
    target: reference.address,
    address: reference.address,
    protocol: reference.protocol === 'udp' ? 'udp' : 'tcp',
    port: reference.port,
    roles: [],
    state: 'open',
    reason: 'syn-ack',
    rttMs: null,
  };
  return (ttl: number, mayWait: boolean): Promise<'answers' | 'silent' | 'no-budget'> => {
    const hop = reference.hops.find((h) => h.ttl === ttl)?.address ?? null;
    // An ICMP-traceroute reference has no port to control with: its silences stand as they are.
    if (hop === null || reference.protocol === 'icmp' || reference.protocol === null)
      return Promise.resolve('answers');
    const shared = recent.get(ttl);
    if (shared && performance.now() - shared.at < CONTROL_SHARE_MS) return shared.answer;
    const answer = ask(probe, ttl, hop, mayWait).then((reply) =>
      reply === 'no-budget' ? reply : reply.kind === 'time-exceeded' ? 'answers' : 'silent',
    );
    recent.set(ttl, { at: performance.now(), answer });
    return answer;
  };
}

async function answerQuestions(
  questions: readonly ProbeRecord[][],
  reference: ReferencePath,
  ask: RecordAsk,
  budgets: HopBudgets,
  options: LocaliseOptions,
): Promise<Map<ProbeRecord, ProbeRecord>> {
  const out = new Map<ProbeRecord, ProbeRecord>();
  const results = new Map<ProbeRecord, SampleResult>();
  // Every probe of every question asked again at full TTL, alongside the pilots: a port whose
  // connect-phase packets were lost answers now, and is never inferred blocked from its neighbours.
  const full = new Map<ProbeRecord, Promise<RawReply | 'no-budget'>>();
  for (const record of questions.flat()) full.set(record, ask(record, FULL_TTL, null));
  const control = controlAsk(reference, ask);
  const run = (record: ProbeRecord, mayWait: boolean) =>
    localiseSample({
      address: record.address as string,
      protocol: record.protocol,
      reference,
      ask: (ttl, hop) => ask(record, ttl, hop, mayWait),
      ...(full.has(record) ? { full: full.get(record) } : {}),
      control: (ttl) => control(ttl, mayWait),
      overestimated: (ttl) => {
        const hop = reference.hops.find((h) => h.ttl === ttl)?.address;
        if (hop) budgets.overestimated(hop);
      },
    }).then((result) => results.set(record, result));
  const sampled = questions.map((records) => spread(records, Math.max(2, options.samples)));
  // Pilots of every question first, waiting for budget if need be; then the other samples, with
  // what budget is left (a sample out of budget keeps its partial answer and is checked for
  // consistency with the pilot).
  await Promise.all(sampled.map((samples) => (samples[0] ? run(samples[0], true) : undefined)));
  await Promise.all(sampled.flatMap((samples) => samples.slice(1).map((s) => run(s, false))));
  const answered = new Map<ProbeRecord, RawReply>();
  for (const [record, reply] of full) {
    const got = await reply;
    if (got !== 'no-budget' && got.from === record.address && isDestinationReply(got))
      answered.set(record, got);
  }
  for (const [index, all] of questions.entries()) {
    for (const record of all.filter((r) => answered.has(r) && !results.has(r)))
      results.set(record, { kind: 'answered', reply: answered.get(record) as RawReply });
    const records = all.filter((r) => results.get(r)?.kind !== 'answered');
    for (const record of all.filter((r) => results.get(r)?.kind === 'answered'))
      out.set(record, refine(record, results.get(record), undefined, reference));
    let samples = (sampled[index] ?? []).filter((r) => records.includes(r));
    if (samples.length === 0 && records.length > 0) {
      // The samples got through after all: others of the question are asked instead.
      samples = spread(records, Math.max(2, options.samples));
      await Promise.all(samples.map((sample, i) => run(sample, i === 0)));
    }
    const sampleResults = samples.map((s) => results.get(s) as SampleResult);
    // Disagreeing samples (a per-destination rule): every probe of the question is answered on its own.
    if (!agree(sampleResults)) {
      await Promise.all(records.filter((r) => !results.has(r)).map((r) => run(r, true)));
    }
    const decided = records.filter((r) => results.get(r)?.kind === 'blocked');
    for (const record of records) {
      const own = results.get(record);
      const inferred = own?.kind === 'blocked' ? undefined : nearest(record, decided);
      out.set(
        record,
        refine(
          record,
          own,
          inferred && { from: inferred, result: results.get(inferred) as SampleResult },
          reference,
        ),
      );
    }
  }
  return out;
}

/** `count` records spread over the list (first, last, then evenly between). */
function spread(records: readonly ProbeRecord[], count: number): ProbeRecord[] {
  if (records.length <= count) return [...records];
  const picks = new Set<number>();
  for (let i = 0; i < count; i += 1) picks.add(Math.round((i * (records.length - 1)) / (count - 1)));
  return [...picks].sort((a, b) => a - b).map((i) => records[i] as ProbeRecord);
}

const verdictOf = (result: SampleResult) =>
  result.kind === 'blocked' ? `${result.blockedBy}|${result.between?.join('-') ?? ''}` : result.kind;

/**
 * Samples agree when every decided one names the same device and the partial ones (out of budget)
 * are consistent with it (silent from the hop after the device). An answered sample (the port
 * gets through to it) disagrees with a blocked one.
 */
function agree(results: readonly SampleResult[]): boolean {
  const blocked = results.filter((r) => r.kind === 'blocked');
  if (results.some((r) => r.kind === 'answered') && blocked.length > 0) return false;
  if (new Set(blocked.map(verdictOf)).size > 1) return false;
  const pilot = blocked[0];
  if (!pilot || pilot.kind !== 'blocked') return true;
  return results.every(
    (r) => r.kind !== 'unknown' || r.silentFrom === null || r.silentFrom === pilot.silentFrom,
  );
}

/** The decided sample closest in address order (the same rule most likely covers neighbours). */
function nearest(record: ProbeRecord, decided: readonly ProbeRecord[]): ProbeRecord | undefined {
  const value = (r: ProbeRecord) =>
    (r.address ?? '').split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0);
  let best: ProbeRecord | undefined;
  for (const candidate of decided)
    if (!best || Math.abs(value(candidate) - value(record)) < Math.abs(value(best) - value(record)))
      best = candidate;
  return best;
}

function refine(
  record: ProbeRecord,
  own: SampleResult | undefined,
  inferred: { from: ProbeRecord; result: SampleResult } | undefined,
  reference: ReferencePath,
): ProbeRecord {
  if (own?.kind === 'answered') return reconciled(record, own.reply);
  if (own?.kind === 'blocked') return blocked(record, own, 'probed');
  if (inferred && inferred.result.kind === 'blocked') {
    const { from, result } = inferred;
    const partial =
      own?.kind === 'unknown' && own.silentFrom !== null
        ? `; its own probes stayed silent from hop ${own.silentFrom}, as there`
        : '';
    return {
      ...blocked(
        record,
        {
          ...result,
          detail: `inferred from ${from.address} (same path, same port): ${result.detail}${partial}`,
        },
        'inferred',
      ),
      inferredFrom: from.address as string,
    };
  }
  const path: readonly PathHop[] = own?.path ?? reference.hops;
  const why =
    own?.kind === 'unknown' ? own.detail : 'not localised: no sample of this port and path could be';
  return { ...record, path, blockedBy: null, localisation: 'unknown', detail: withDetail(record, why) };
}

function blocked(
  record: ProbeRecord,
  result: Extract<SampleResult, { kind: 'blocked' }>,
  localisation: 'probed' | 'inferred',
): ProbeRecord {
  const rejectedHere = result.reason !== undefined && localisation === 'probed' && result.reply;
  if (record.state === 'open|filtered' && result.blockedBy === 'destination' && result.reason === undefined) {
    // UDP that every router passes and the destination meets with silence: an open service that
    // does not answer, a host firewall, or a port-unreachable the host's own ICMP budget held
    // back. Nothing on the path blocks it, and the destination is not proven to.
    const detail = `${result.detail}; silence at the destination is not proof of a block`;
    return { ...record, path: result.path, detail: withDetail(record, detail) };
  }
  return {
    ...record,
    // A drop proven on the path (or a reject) is filtered, for UDP too.
    state: 'filtered',
    ...(result.reason && localisation === 'probed' ? { reason: result.reason } : {}),
    ...(rejectedHere && result.reply?.from ? { replyFrom: result.reply.from } : {}),
    ...(rejectedHere && result.reply?.ttl != null ? { replyTtl: result.reply.ttl } : {}),
    path: result.path,
    blockedBy: result.blockedBy,
    localisation,
    ...(result.between ? { blockedBetween: result.between } : {}),
    detail: withDetail(record, result.detail),
  };
}

/**
 * A raw SYN for a port the connect phase saw only silence on: the destination's answer means the
 * silence was loss; a reject names its sender; silence again leaves the record to localisation.
 */
export function reconcileSilence(record: ProbeRecord, reply: RawReply): ProbeRecord {
  if (reply.from === record.address && (reply.kind === 'syn-ack' || reply.kind === 'rst'))
    return reconciled(record, reply);
  if (reply.kind === 'unreachable') return attributeSocketProbe(record, reply);
  return record;
}

/** The destination answered a raw probe: the connect-phase silence was a lost packet. */
function reconciled(record: ProbeRecord, reply: RawReply): ProbeRecord {
  const state = reply.kind === 'syn-ack' || reply.kind === 'udp-reply' ? 'open' : 'closed';
  const reason =
    reply.kind === 'syn-ack'
      ? 'syn-ack'
      : reply.kind === 'rst'
        ? 'conn-refused'
        : reply.kind === 'udp-reply'
          ? 'udp-response'
          : 'port-unreach';
  return {
    ...record,
    state,
    reason,
    rttMs: reply.rttMs,
    ...(reply.from ? { replyFrom: reply.from } : {}),
    ...(reply.ttl !== null ? { replyTtl: reply.ttl } : {}),
    detail: withDetail(
      record,
      `the connect-phase probe saw ${record.reason}; a raw probe got ${reply.kind} from the destination (a lost packet, not a filter)`,
    ),
  };
}

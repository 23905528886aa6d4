// One question per (path, protocol, port): pilots first, a second spread sample, everyone when
// they disagree; the rest inferred from the nearest sample.
import type { PathHop, ProbeRecord } from '../types.js';
import { withDetail } from './attribute.js';
import { BUDGET_POLL_MS, type RecordAsk } from './budgeted-ask.js';
import type { RawReply } from './engine.js';
import type { LocaliseOptions } from './localise.js';
import type { HopBudgets } from './hop-budget.js';
import { ProofGathering } from './proof-gathering.js';
import { localiseSample, silenceProvable, type SampleResult, type SilenceProof } from './localise-sample.js';
import { hopAddress, type ReferencePath } from './path-groups.js';
import { FULL_TTL } from './walk.js';

const isDestinationReply = (reply: RawReply) =>
  reply.kind === 'syn-ack' ||
  reply.kind === 'rst' ||
  reply.kind === 'udp-reply' ||
  (reply.kind === 'unreachable' && reply.icmpCode === 3);

/**
 * Proves that a router's silence for a port is not an empty ICMP budget: the port is asked again at
 * that TTL, twice, and right behind it a probe that passes the router (the reference port). When the
 * control gets its time-exceeded and the port does not, the router had a message to spare when the
 * port's probe came — tokens only go by sending, and it sent nothing for the port — so the probe
 * never got there. The argument holds for every port probe sent before the control in the same
 * burst, so the proofs waiting on one router go out together behind one control: a router refills
 * about once a second, and one control for a batch instead of one per port is the difference
 * between answering now and waiting a second per question. A control sent later proves nothing (a
 * scan from here a moment ago may have left the router empty), so the batch waits until the model
 * gives the router one message, the control's; the port probes hold none (their answers, if any,
 * are counted when they arrive). A port that does get through may take that message: the control's
 * silence then says nothing about the others, which go again, behind a control of their own.
 */
function silenceProver(
  reference: ReferencePath,
  ask: RecordAsk,
  budgets: HopBudgets,
  options: LocaliseOptions,
  /** Resolves when no sample walking can still join a batch, or after the window. */
  gathered: (windowMs: number) => Promise<void>,
): (record: ProbeRecord, ttl: number, mayWait: boolean) => Promise<SilenceProof> {
  const control: ProbeRecord = {
    target: reference.address,
    address: reference.address,
    protocol: reference.protocol === 'udp' ? 'udp' : 'tcp',
    port: reference.port,
    roles: [],
    state: 'open',
    reason: 'syn-ack',
    rttMs: null,
  };
  interface Pending {
    readonly record: ProbeRecord;
    readonly resolve: (proof: SilenceProof) => void;
  }
  const batches = new Map<string, Pending[]>();

  const enqueue = (key: string, hop: string, ttl: number, mayWait: boolean, entries: readonly Pending[]) => {
    const pending = batches.get(key);
    if (pending) pending.push(...entries);
    else {
      batches.set(key, [...entries]);
      void flush(key, hop, ttl, mayWait);
    }
  };

  const flush = async (key: string, hop: string, ttl: number, mayWait: boolean) => {
    // Proofs asked for in the next moments (other questions' pilots reach the same hop together) join.
    await gathered(BATCH_WINDOW_MS);
    let outcome: 'no-budget' | undefined;
    for (;;) {
      const wait = budgets.msUntilAvailable(hop);
      if (wait === 0) break;
      if (!mayWait || performance.now() + wait > options.deadline || options.signal.aborted) {
        outcome = 'no-budget';
        break;
      }
      await budgets.refundOrAfter(Math.min(wait, BUDGET_POLL_MS));
    }
    // Proofs asked for while this batch waited go with it; later ones start the next batch.
    const entries = batches.get(key) ?? [];
    batches.delete(key);
    if (outcome) {
      for (const entry of entries) entry.resolve(outcome);
      return;
    }
    // Sent in this order, in this tick: every port probe (twice: its silence counts only when it
    // holds on two), then the control.
    const ports = entries.map((entry) => ask(entry.record, ttl, null, false, 2));
    const passing = await ask(control, ttl, hop, false);
    const replies = await Promise.all(ports);
    const controlAnswered = passing !== 'no-budget' && passing.kind === 'time-exceeded';
    const reachedHop = (reply: RawReply | 'no-budget') =>
      reply !== 'no-budget' && reply.kind === 'time-exceeded' && reply.from === hop;
    // The router answered a port of the batch and not the control: that port may have had its last
    // message. The silent ports prove nothing yet, and go again with the next one.
    const retry = !controlAnswered && passing !== 'no-budget' && replies.some(reachedHop);
    const again: Pending[] = [];
    entries.forEach((entry, index) => {
      const port = replies[index] as RawReply | 'no-budget';
      if (retry && port !== 'no-budget' && port.kind === 'none') again.push(entry);
      else
        entry.resolve(
          port === 'no-budget' || passing === 'no-budget' ? 'no-budget' : { port, controlAnswered },
        );
    });
    if (again.length > 0) enqueue(key, hop, ttl, mayWait, again);
  };

  return (record, ttl, mayWait) => {
    const hop = hopAddress(reference, ttl);
    // An ICMP-traceroute reference has no port to control with: its silences stand as they are.
    if (hop === null || !silenceProvable(reference, ttl)) return Promise.resolve('unprovable');
    const key = `${hop}|${ttl}`;
    return new Promise<SilenceProof>((resolve) => enqueue(key, hop, ttl, mayWait, [{ record, resolve }]));
  };
}

/** How long a proof waits at most for others on the same router to share its control. */
const BATCH_WINDOW_MS = 25;

export async function answerQuestions(
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
  const askFull = (record: ProbeRecord) => full.set(record, ask(record, FULL_TTL, null));
  const gathering = new ProofGathering<ProbeRecord>();
  const prove = silenceProver(reference, ask, budgets, options, (ms) => gathering.gathered(ms));
  // The proofs of one batch share one control: when it met an empty router, each of them reports
  // it, but the router was overestimated once.
  const overestimatedAt = new Map<string, number>();
  // The hops each pilot still walking has asked so far: a second sample walks beside them, and
  // leaves every hop a message for each pilot that has not asked it yet — and one for the control
  // the pilots that asked it by a proof share.
  // Per pilot: hop → whether it was asked by a proof.
  const pilotsAsked = new Map<ProbeRecord, Map<string, boolean>>();
  const reserveAt = (hop: string | null) => {
    if (hop === null) return 0;
    const asked = [...pilotsAsked.values()];
    const toAsk = asked.filter((hops) => !hops.has(hop)).length;
    return toAsk + (asked.some((hops) => hops.get(hop) === true) ? 1 : 0);
  };
  const run = (record: ProbeRecord, mayWait: boolean) =>
    gathering.walk(record, () => walk(record, mayWait)).then((result) => results.set(record, result));
  const walk = (record: ProbeRecord, mayWait: boolean) =>
    localiseSample({
      address: record.address as string,
      protocol: record.protocol,
      reference,
      ask: (ttl, hop, copies) => {
        const hops = pilotsAsked.get(record);
        if (hop !== null && hops && !hops.has(hop)) hops.set(hop, false);
        return ask(record, ttl, hop, mayWait, copies, mayWait ? 0 : reserveAt(hop));
      },
      ...(full.has(record) ? { full: full.get(record) } : {}),
      // A proof waits for its message even for a second sample: without it the sample says nothing.
      proveSilence: (ttl) => {
        const hop = hopAddress(reference, ttl);
        if (hop !== null) pilotsAsked.get(record)?.set(hop, true);
        return gathering.prove(record, () => prove(record, ttl, true));
      },
      overestimated: (ttl) => {
        const hop = hopAddress(reference, ttl);
        if (hop === null || performance.now() - (overestimatedAt.get(hop) ?? -Infinity) < BATCH_WINDOW_MS)
          return;
        overestimatedAt.set(hop, performance.now());
        budgets.overestimated(hop);
      },
    });
  const sampled = questions.map((records) => spread(records, Math.max(2, options.samples)));
  // The pilot of every question waits for budget if need be; the other samples walk beside them
  // with what budget the pilots leave (on each hop, a message for every pilot yet to ask it), so
  // their silences join the pilots' proofs (one control each router, not two). A sample out of
  // budget keeps its partial answer and is checked for consistency with the pilot.
  const pilots = sampled.flatMap((samples) => (samples[0] ? [samples[0]] : []));
  for (const pilot of pilots) pilotsAsked.set(pilot, new Map());
  // The samples' own asks go out first: the engine sends in the order asked, at the scan's rate,
  // and the other full-TTL asks are most of the packets (2,000 at 1,000 addresses: 200 ms of it).
  for (const record of sampled.flat()) askFull(record);
  const walks = Promise.all([
    ...pilots.map((pilot) => run(pilot, true).finally(() => pilotsAsked.delete(pilot))),
    ...sampled.flatMap((samples) => samples.slice(1).map((s) => run(s, false))),
  ]);
  for (const record of questions.flat()) if (!full.has(record)) askFull(record);
  await walks;
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
    let sampleResults = samples.map((s) => results.get(s) as SampleResult);
    // Samples that disagree only by what the undecided ones saw are walked again first, as pilots:
    // a partial answer may be a router's empty budget (another scan from here a moment ago leaves
    // one empty, and the model starts full), and walking every probe of the question on it costs
    // a message of that router per probe. Walked again, they decide, or stand as they are.
    if (!agree(sampleResults) && agree(sampleResults.filter((r) => r.kind !== 'unknown'))) {
      await Promise.all(samples.filter((s) => results.get(s)?.kind === 'unknown').map((s) => run(s, true)));
      sampleResults = samples.map((s) => results.get(s) as SampleResult);
    }
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

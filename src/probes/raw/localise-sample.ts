// Localises ONE probe (address, protocol, port) on a traced reference path: asks from the last
// router down, so that routers before the blocker are not asked at all, and treats silence as
// evidence only when the hop had budget left to answer and stayed silent twice.
import type { PathHop, ProbeProtocol, ProbeReason } from '../types.js';
import type { RawReply } from './engine.js';
import { reasonOfUnreachable } from './attribute.js';
import { hopAddress, type ReferencePath } from './path-groups.js';
import { FULL_TTL } from './walk.js';

/** Asks one TTL of the probe (`copies` identical probes at once); `no-budget` when the hop had none. */
export type HopAsk = (ttl: number, hop: string | null, copies?: number) => Promise<RawReply | 'no-budget'>;

export type SampleResult =
  /** The destination answered a raw probe (the connect-phase silence was loss). */
  | { readonly kind: 'answered'; readonly reply: RawReply }
  | {
      readonly kind: 'blocked';
      /** Device address, `destination`, or null with `between`. */
      readonly blockedBy: string | null;
      readonly between?: readonly [string, string];
      readonly reason?: ProbeReason;
      readonly reply?: RawReply;
      readonly path: readonly PathHop[];
      readonly detail: string;
      /** TTL of the first hop that stayed silent on confirmed asks (the one after the blocker). */
      readonly silentFrom: number | null;
    }
  | {
      readonly kind: 'unknown';
      readonly path: readonly PathHop[];
      readonly detail: string;
      /** Confirmed silent from this TTL up (a partial answer): consistent with a blocker below it. */
      readonly silentFrom: number | null;
    };

/** What a simultaneous port + control pair showed; `unprovable` when there is no control to send. */
export type SilenceProof =
  'no-budget' | 'unprovable' | { readonly port: RawReply; readonly controlAnswered: boolean };

export interface SampleContext {
  readonly address: string;
  readonly protocol: ProbeProtocol;
  readonly reference: ReferencePath;
  readonly ask: HopAsk;
  /** The probe asked again at full TTL, when the caller already sent it. */
  readonly full?: Promise<RawReply | 'no-budget'>;
  /**
   * The port asked again at this TTL together with a probe that passes the router (the reference
   * port): the proof that its silence for this port is not an empty ICMP budget.
   */
  readonly proveSilence?: (ttl: number) => Promise<SilenceProof>;
  /** The router at this TTL was silent where it had to answer: it has less budget than modelled. */
  readonly overestimated?: (ttl: number) => void;
}

/**
 * A silence at this hop can be proven (questions.ts): its router is known and the reference answers
 * on a port, so a control can be sent that passes the router.
 */
export function silenceProvable(reference: ReferencePath, ttl: number): boolean {
  return (
    hopAddress(reference, ttl) !== null && (reference.protocol === 'tcp' || reference.protocol === 'udp')
  );
}

function hopOf(ttl: number, reply: RawReply | undefined): PathHop {
  const answered = reply?.kind === 'time-exceeded';
  return {
    ttl,
    address: answered ? reply.from : null,
    rttMs: answered ? reply.rttMs : null,
    ...(answered && reply.rewrites ? { rewrites: reply.rewrites } : {}),
  };
}

/** The walk of one sample; never throws for network outcomes. */
export async function localiseSample(context: SampleContext): Promise<SampleResult> {
  const { address, reference, ask } = context;
  const distance = reference.distance;
  if (distance === null)
    return {
      kind: 'unknown',
      path: [],
      detail: 'the path to this address could not be traced',
      silentFrom: null,
    };
  const replies = new Map<number, RawReply>();
  const pathUpTo = (last: number) =>
    Array.from({ length: Math.max(0, last) }, (_, i) => i + 1).map((ttl) => {
      const own = replies.get(ttl);
      if (own?.kind === 'time-exceeded') return hopOf(ttl, own);
      return reference.hops.find((hop) => hop.ttl === ttl) ?? hopOf(ttl, undefined);
    });

  // Round 1, at once: the probe again at full TTL (a lost packet must not make a port filtered)
  // and the last router, twice: behind a blocker it stays silent, and silence counts only when it
  // held on two asks; one round instead of two. (A hop that answers may spend two messages on it —
  // the last router is rarely the blocker whose budget matters.)
  const lastRouter = distance - 1;
  // Where every router below it is known, the last router is asked by its proof straight away (the
  // port twice, then a control, in one burst; the proofs of every sample share that control): its
  // silence then counts from round 1, and each answer on the way down needs no second round. A
  // router not known below means a walk that may end between hops, which the proof cannot shorten.
  const proveTop =
    lastRouter >= 1 &&
    silenceProvable(reference, lastRouter) &&
    reference.hops.filter((hop) => hop.ttl <= lastRouter && hop.address !== null).length === lastRouter
      ? context.proveSilence
      : undefined;
  const [full, top] = await Promise.all([
    context.full ?? ask(FULL_TTL, null),
    distance <= 1
      ? undefined
      : proveTop
        ? lastRouterProof(proveTop, context, lastRouter)
        : ask(lastRouter, hopAddress(reference, lastRouter), 2).then((reply) => ({
            reply,
            silence: 'asked' as const,
          })),
  ]);
  const fullReply = full === 'no-budget' ? undefined : full;
  if (fullReply && isOwnAnswer(fullReply, address)) return { kind: 'answered', reply: fullReply };
  if (fullReply?.kind === 'unreachable' && fullReply.from !== null)
    return rejected(fullReply, pathUpTo(distance - 1), distance, address);

  let reply: RawReply | 'no-budget' | undefined = top?.reply;
  let silentFrom: number | null = null;
  /** The last router's silence without a control answered: it counts once proven, never as a partial answer. */
  let provisional: number | null = null;
  for (let ttl = distance - 1; ttl >= 1; ttl -= 1) {
    const hop = hopAddress(reference, ttl);
    if (hop === null) {
      // Silent on the reference trace: a router that sends no time-exceeded, or one that was out
      // of budget then. Asked once: an answer names it (and may make it the blocker).
      const answer = reply ?? (await ask(ttl, null));
      reply = undefined;
      if (answer !== 'no-budget' && answer.kind === 'time-exceeded') {
        replies.set(ttl, answer);
        return decide(context, ttl, answer, silentFrom, pathUpTo);
      }
      continue;
    }
    const askedTwice = reply !== undefined;
    reply ??= await ask(ttl, hop);
    if (!askedTwice && reply !== 'no-budget' && reply.kind === 'none') reply = await ask(ttl, hop);
    if (reply === 'no-budget') {
      const detail = `hop ${ttl} (${hop}) had no ICMP budget left to answer (routers rate-limit time-exceeded)`;
      return { kind: 'unknown', path: pathUpTo(ttl - 1), detail, silentFrom };
    }
    replies.set(ttl, reply);
    if (reply.kind === 'time-exceeded') {
      const claimed = silentFrom ?? provisional;
      const check =
        claimed === lastRouter && top?.silence === 'proven'
          ? ({ kind: 'proven' } as const)
          : await checkSilence(context, claimed, ttl);
      if (check.kind === 'unknown')
        return { kind: 'unknown', path: pathUpTo(ttl), detail: check.detail, silentFrom };
      if (check.kind === 'reached') {
        replies.set(ttl + 1, check.reply);
        const above = silentAbove(replies, ttl + 1);
        return decide(context, ttl + 1, check.reply, above, pathUpTo);
      }
      return decide(context, ttl, reply, claimed, pathUpTo);
    }
    if (reply.kind === 'unreachable' && reply.from !== null)
      return rejected(reply, pathUpTo(ttl - 1), ttl, address);
    if (reply.kind === 'rst' || reply.kind === 'syn-ack' || reply.kind === 'udp-reply') {
      const detail = `a probe with TTL ${ttl} got ${reply.kind} from ${reply.from}: the path is not the reference path`;
      return { kind: 'unknown', path: pathUpTo(ttl - 1), detail, silentFrom };
    }
    if (ttl === lastRouter && top?.silence === 'provisional') provisional = ttl;
    else silentFrom = ttl; // silent twice, with budget: the probe did not get this far
    reply = undefined;
  }
  return {
    kind: 'unknown',
    path: pathUpTo(distance - 1),
    detail: 'no hop answered a TTL-limited probe of this port although they answer for others',
    silentFrom,
  };
}

/**
 * How round 1's silence at the last router counts: `asked`, budgeted like any ask (silent twice with
 * budget); `proven`, by a proof whose control was answered; `provisional`, by a proof whose control
 * was not (the budget model learnt from it), until the proof made when a hop below answers.
 */
type TopSilence = 'asked' | 'proven' | 'provisional';

/** Round 1's ask of the last router, made by its proof. */
async function lastRouterProof(
  prove: (ttl: number) => Promise<SilenceProof>,
  context: SampleContext,
  ttl: number,
): Promise<{ readonly reply: RawReply | 'no-budget'; readonly silence: TopSilence }> {
  const proof = await prove(ttl);
  if (proof === 'no-budget') return { reply: 'no-budget', silence: 'provisional' };
  if (proof === 'unprovable')
    return { reply: await context.ask(ttl, hopAddress(context.reference, ttl), 2), silence: 'asked' };
  if (proof.port.kind === 'none' && !proof.controlAnswered) context.overestimated?.(ttl);
  return { reply: proof.port, silence: proof.controlAnswered ? 'proven' : 'provisional' };
}

const isOwnAnswer = (reply: RawReply, address: string) =>
  reply.from === address &&
  (reply.kind === 'syn-ack' ||
    reply.kind === 'rst' ||
    reply.kind === 'udp-reply' ||
    (reply.kind === 'unreachable' && reply.icmpCode === 3));

function rejected(reply: RawReply, path: readonly PathHop[], ttl: number, address: string): SampleResult {
  const sender = reply.from as string;
  const fromDestination = sender === address;
  return {
    kind: 'blocked',
    blockedBy: fromDestination ? 'destination' : sender,
    reason: reasonOfUnreachable(reply.icmpCode),
    reply,
    path,
    detail: `a raw probe (TTL ${ttl}) was rejected with ICMP 3/${reply.icmpCode} from ${sender}`,
    silentFrom: null,
  };
}

/** The lowest TTL above `ttl` that stayed silent on this walk, or null. */
function silentAbove(replies: ReadonlyMap<number, RawReply>, ttl: number): number | null {
  const silent = [...replies].filter(([t, r]) => t > ttl && r.kind === 'none').map(([t]) => t);
  return silent.length > 0 ? Math.min(...silent) : null;
}

type SilenceCheck =
  | { readonly kind: 'proven' }
  | { readonly kind: 'unknown'; readonly detail: string }
  /** After its budget came back, the router did answer for this port: the probe gets that far. */
  | { readonly kind: 'reached'; readonly reply: RawReply };

/**
 * The decision "stopped at hop k" rests on hop k+1's silence. It counts only if, asked again
 * together with a probe that passes it (the control, sent right behind), hop k+1 answers the
 * control and not the port. When it answers neither, the model gave it budget it did not have: the
 * model learns and the pair is sent again once the budget is back; after a second such pair the
 * blocker stays unknown rather than named from an empty budget.
 */
async function checkSilence(
  context: SampleContext,
  silentFrom: number | null,
  ttl: number,
): Promise<SilenceCheck> {
  const next = ttl + 1;
  const distance = context.reference.distance as number;
  if (!context.proveSilence || silentFrom !== next || next >= distance) return { kind: 'proven' };
  const hop = hopAddress(context.reference, next);
  const outOfBudget = `hop ${next} (${hop}) did not answer even for a port that passes it (out of ICMP budget): whether it drops this port cannot be told`;
  // Twice at most: a first pair that meets an empty bucket teaches the model, which then waits.
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const proof = await context.proveSilence(next);
    if (proof === 'unprovable') return { kind: 'proven' };
    if (proof === 'no-budget') return { kind: 'unknown', detail: outOfBudget };
    if (proof.port.kind === 'time-exceeded') return { kind: 'reached', reply: proof.port };
    if (proof.port.kind !== 'none') {
      const detail = `asked again, hop ${next} (${hop}) answered ${proof.port.kind} where it was silent: the path changed`;
      return { kind: 'unknown', detail };
    }
    if (proof.controlAnswered) return { kind: 'proven' };
    context.overestimated?.(next);
  }
  return { kind: 'unknown', detail: outOfBudget };
}

/** The probe reached hop `ttl` (it sent time-exceeded) and went no farther than `silentFrom`. */
function decide(
  context: SampleContext,
  ttl: number,
  reply: RawReply,
  silentFrom: number | null,
  pathUpTo: (last: number) => PathHop[],
): SampleResult {
  const { reference } = context;
  const distance = reference.distance as number;
  const device = reply.from as string;
  if (ttl === distance - 1) {
    const detail =
      context.protocol === 'udp'
        ? 'every network hop passes it; the destination stays silent (no answer from the service, or its host firewall)'
        : 'every network hop passes it; the destination host drops it (host firewall)';
    return { kind: 'blocked', blockedBy: 'destination', path: pathUpTo(ttl), detail, silentFrom: distance };
  }
  const next = silentFrom ?? distance;
  if (next === ttl + 1) {
    const detail = `hop ${ttl} (${device}) answers for this port and hop ${next} (${hopAddress(reference, next)}) stays silent although it answers for others: dropped at hop ${ttl}`;
    return { kind: 'blocked', blockedBy: device, path: pathUpTo(ttl), detail, silentFrom };
  }
  // Hops between them send no time-exceeded at all: the device is one of them, or hop `ttl`.
  const upper = next >= distance ? 'destination' : (hopAddress(reference, next) as string);
  const detail = `dropped after hop ${ttl} (${device}) and before ${upper === 'destination' ? 'the destination' : `hop ${next} (${upper})`}; the routers between them send no time-exceeded`;
  return {
    kind: 'blocked',
    blockedBy: null,
    between: [device, upper],
    path: pathUpTo(next - 1),
    detail,
    silentFrom,
  };
}

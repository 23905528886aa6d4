// One trace per path, shared by every /24 that sits behind the same last router.
import type { RawReply } from './engine.js';
import type { HopBudgets } from './hop-budget.js';
import { traceReference, type AddressView, type Ask, type ReferencePath } from './path-groups.js';
import { estimateDistance } from './walk.js';
import { sleep } from '../../shared/sleep.js';

/** One path: the addresses it leads to (possibly several /24s) and its trace. */
export interface TracedPath {
  readonly members: AddressView[];
  readonly reference: ReferencePath;
}

/**
 * One full trace per path. A /24 at the same distance as a traced one is asked only for its last
 * router (one time-exceeded, from a router that is rarely the blocker): the same router there
 * means the same path up to the destinations, and the /24 joins it — so four /24s behind one
 * firewall cost the firewall's ICMP budget once, not four times.
 */
export async function tracePaths(
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

/** The address to trace: one with an open TCP port (a SYN-ACK cannot be forged by a dropping filter). */
function pickReferenceView(members: readonly AddressView[]): AddressView {
  return (
    members.find((view) => view.synAckTtl !== null) ??
    members.find((view) => view.answerTtl !== null) ??
    (members[0] as AddressView)
  );
}

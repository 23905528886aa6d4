// Localisation against a simulated chain client → r1 → fw → r2 → destinations whose routers
// rate-limit time-exceeded like Linux (burst 6, then 1 per second toward one source): every
// blockedBy must be right, inferred (from a probe that was right) or unknown — never a wrong device.
import { describe, expect, it } from 'vitest';
import { HopBudgets, localiseRecords, type Ask, type RawReply } from '../../../src/probes/raw/index.js';
import type { ProbeRecord } from '../../../src/probes/types.js';

const R1 = '198.18.1.2';
const FW = '198.18.2.2';
const R2 = '198.18.3.2';
const ROUTERS = [R1, FW, R2];
const DISTANCE = 4;

interface Network {
  /** Where a (address, port) is dropped: a TTL (the hop that drops it forwards nothing), or none. */
  dropAt(address: string, port: number): number | undefined;
  /** Routers that never send time-exceeded. */
  readonly silent?: ReadonlySet<string>;
  /** Routers stricter than Linux: burst and messages per second. */
  readonly strict?: ReadonlyMap<string, { burst: number; perSecond: number }>;
  /** Silence takes the probe's whole timeout, as on a real network (else 1 ms, like an answer). */
  readonly silenceTakesTimeout?: boolean;
}

const reply = (kind: RawReply['kind'], from: string | null, ttl: number | null = null): RawReply => ({
  kind,
  from,
  ttl,
  icmpType: kind === 'time-exceeded' ? 11 : null,
  icmpCode: kind === 'time-exceeded' ? 0 : null,
  rttMs: kind === 'none' ? null : 1,
});

/** Routers with Linux's per-destination token bucket; every TE sent is counted in `budgets` too. */
function simulate(network: Network, budgets: HopBudgets) {
  const limits = (router: string) => network.strict?.get(router) ?? { burst: 6, perSecond: 1 };
  const buckets = new Map(
    ROUTERS.map((router) => [router, { tokens: limits(router).burst, at: performance.now() }]),
  );
  const sent = new Map<string, number>();
  const suppressed = new Map<string, number>();
  const ask: Ask = async (address, _protocol, port, ttl, timeoutMs) => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    const silence = async () => {
      if (network.silenceTakesTimeout) await new Promise((resolve) => setTimeout(resolve, timeoutMs ?? 50));
      return reply('none', null);
    };
    const drop = network.dropAt(address, port);
    const reached = Math.min(ttl, DISTANCE);
    if (drop !== undefined && reached > drop) return silence();
    if (ttl >= DISTANCE) return reply('syn-ack', address, 61);
    const router = ROUTERS[ttl - 1] as string;
    if (network.silent?.has(router)) return silence();
    const bucket = buckets.get(router) as { tokens: number; at: number };
    const now = performance.now();
    const { burst, perSecond } = limits(router);
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    if (bucket.tokens < 1) {
      suppressed.set(router, (suppressed.get(router) ?? 0) + 1);
      return silence();
    }
    bucket.tokens -= 1;
    sent.set(router, (sent.get(router) ?? 0) + 1);
    budgets.spent(router);
    return reply('time-exceeded', router);
  };
  /** Another scan from here a moment ago: the router has `left` messages, and the model never saw it. */
  const drain = (router: string, left: number) => {
    const bucket = buckets.get(router) as { tokens: number; at: number };
    bucket.tokens = left;
    bucket.at = performance.now();
  };
  return { ask, sent, suppressed, drain };
}

const record = (address: string, port: number, state: ProbeRecord['state']): ProbeRecord => ({
  target: address,
  address,
  protocol: 'tcp',
  port,
  roles: ['extra'],
  state,
  reason: state === 'open' ? 'syn-ack' : 'no-response',
  rttMs: state === 'open' ? 1 : null,
  ...(state === 'open' ? { replyFrom: address, replyTtl: 61 } : {}),
});

const addresses = (count: number, prefix = '198.19.1') =>
  Array.from({ length: count }, (_, i) => `${prefix}.${i + 1}`);

const options = (concurrency = 64) => ({
  minTimeoutMs: 10,
  maxTimeoutMs: 50,
  concurrency,
  samples: 2,
  maxTtl: 8,
  deadline: performance.now() + 10_000,
  signal: new AbortController().signal,
});

async function localise(records: ProbeRecord[], network: Network, budgets = new HopBudgets()) {
  const sim = simulate(network, budgets);
  const result = await localiseRecords(records, sim.ask, budgets, options());
  return { ...sim, records: result.records };
}

/** Right, inferred from a right probe, or unknown: anything else is a wrong device. */
function judge(records: readonly ProbeRecord[], truth: (r: ProbeRecord) => string | null) {
  const tally = { probed: 0, inferred: 0, unknown: 0, wrong: [] as string[] };
  for (const r of records.filter((r) => r.state === 'filtered')) {
    if (r.localisation === 'unknown' && r.blockedBy === null) tally.unknown += 1;
    else if (r.blockedBy !== truth(r)) tally.wrong.push(`${r.address}/${r.port}: ${r.blockedBy}`);
    else if (r.localisation === 'inferred') tally.inferred += 1;
    else tally.probed += 1;
  }
  return tally;
}

/** Two addresses: 8080 dropped at fw, 9000 by the servers themselves (every router passes it). */
const firewallAndServerDrops = () => ({
  records: addresses(2).flatMap((a) => [
    record(a, 80, 'open'),
    record(a, 8080, 'filtered'),
    record(a, 9000, 'filtered'),
  ]),
  dropAt: (_a: string, port: number) => (port === 8080 ? 2 : port === 9000 ? DISTANCE - 1 : undefined),
  truth: (r: ProbeRecord) => (r.port === 8080 ? FW : 'destination'),
});

/**
 * The bench's shape over `count` addresses: 80 open everywhere; 8080 and 8443 dropped at fw for the
 * first half, 8530 and 10123 for the other (four questions over one /24).
 */
function benchShape(count: number) {
  const list = addresses(count);
  const droppedPorts = (a: string) => (list.indexOf(a) < count / 2 ? [8080, 8443] : [8530, 10123]);
  return {
    list,
    records: list.flatMap((a) => [
      record(a, 80, 'open'),
      ...droppedPorts(a).map((port) => record(a, port, 'filtered')),
    ]),
    dropAt: (a: string, port: number) => (droppedPorts(a).includes(port) ? 2 : undefined),
  };
}

describe('localisation under Linux ICMP rate limits (simulated routers)', () => {
  it('names the firewall for 200 drops over 100 addresses, probing a sample and inferring the rest', async () => {
    const list = addresses(100);
    const records = list.flatMap((a) => [
      record(a, 80, 'open'),
      record(a, 8080, 'filtered'),
      record(a, 8443, 'filtered'),
    ]);
    const { records: out, suppressed } = await localise(records, {
      dropAt: (_a, port) => (port === 80 ? undefined : 2),
    });
    const tally = judge(out, () => FW);
    expect(tally.wrong).toEqual([]);
    expect(tally.unknown).toBe(0);
    expect(tally.probed).toBeGreaterThanOrEqual(2);
    expect(tally.probed + tally.inferred).toBe(200);
    // The budget model kept every router within its burst: nothing asked was suppressed.
    expect([...suppressed.values()].reduce((a, b) => a + b, 0)).toBe(0);
    const inferred = out.find((r) => r.localisation === 'inferred');
    expect(inferred?.inferredFrom).toMatch(/^198\.19\.1\./);
  });

  it('waits for the firewall budget the connect phase drained instead of blaming r1', async () => {
    const budgets = new HopBudgets();
    const records = addresses(4).flatMap((a) => [record(a, 80, 'open'), record(a, 8080, 'filtered')]);
    const network: Network = { dropAt: (_a, port) => (port === 8080 ? 2 : undefined) };
    const sim = simulate(network, budgets);
    // Six unreachables from fw to the connect phase: its bucket (real and modelled) is empty.
    for (let i = 0; i < 6; i += 1) await sim.ask('198.19.1.1', 'tcp', 80, 2);
    const out = await localiseRecords(records, sim.ask, budgets, options(8));
    const tally = judge(out.records, () => FW);
    expect(tally.wrong).toEqual([]);
    expect(tally.unknown).toBe(0);
    expect(out.records.filter((r) => r.blockedBetween !== undefined)).toEqual([]);
    // Only the trace's first blind ask of TTL 2 (and its repeat) met the empty bucket; every ask
    // made once fw was known waited for its budget.
    expect(sim.suppressed.get(FW) ?? 0).toBeLessThanOrEqual(2);
  }, 20_000);

  it('says between r1 and r2 when the firewall itself sends no time-exceeded', async () => {
    const records = addresses(3).flatMap((a) => [record(a, 80, 'open'), record(a, 8080, 'filtered')]);
    const { records: out } = await localise(records, {
      dropAt: (_a, port) => (port === 8080 ? 2 : undefined),
      silent: new Set([FW]),
    });
    for (const r of out.filter((r) => r.port === 8080)) {
      expect(r.blockedBy).toBeNull();
      expect(r.blockedBetween).toEqual([R1, R2]);
    }
  });

  it('localises every probe of a per-destination rule (3 of 20 dropped) and infers none wrongly', async () => {
    const dropped = new Set(['198.19.1.3', '198.19.1.11', '198.19.1.17']);
    const list = addresses(20);
    const records = list.flatMap((a) => [
      record(a, 80, 'open'),
      record(a, 8443, dropped.has(a) ? 'filtered' : 'open'),
    ]);
    const { records: out } = await localise(records, {
      dropAt: (a, port) => (port === 8443 && dropped.has(a) ? 2 : undefined),
    });
    const tally = judge(out, () => FW);
    expect(tally.wrong).toEqual([]);
    expect(out.filter((r) => r.state === 'filtered').map((r) => r.address)).toEqual([...dropped]);
  });

  it('tells a drop by the destination (every router passes it) from one on the path', async () => {
    const { records, dropAt, truth } = firewallAndServerDrops();
    const { records: out } = await localise(records, { dropAt });
    expect(judge(out, truth).wrong).toEqual([]);
    expect(out.find((r) => r.port === 9000)?.blockedBy).toBe('destination');
  });

  it('reconciles a port the connect phase lost (the raw probe reaches the destination): not filtered', async () => {
    // The connect phase saw silence on 8080 of .2 only (a lost packet): the network passes it.
    const records = [
      record('198.19.1.1', 80, 'open'),
      record('198.19.1.2', 80, 'open'),
      record('198.19.1.2', 8080, 'filtered'),
    ];
    const { records: out } = await localise(records, { dropAt: () => undefined });
    const lost = out.find((r) => r.port === 8080);
    expect(lost?.blockedBy === undefined || lost?.blockedBy === null).toBe(true);
    expect(lost?.blockedBy).not.toBe(R1);
    expect(lost?.blockedBy).not.toBe(FW);
  });

  it('proves the silences of four ports behind one control when the last router has one message left', async () => {
    // Four ports dropped at fw, over two /24s: r2's budget goes to the trace, the /24 that joins it
    // and the one control — the pilots' first asks of r2 wait for none of it. Waiting for a
    // message per pilot, or for two before the proof, would mean a refill (a second), past this
    // localisation's deadline, and every port unknown.
    const budgets = new HopBudgets();
    const list = [...addresses(2, '198.19.1'), ...addresses(2, '198.19.2')];
    const ports = [8080, 8443, 8530, 10123];
    const records = list.flatMap((a) => [
      record(a, 80, 'open'),
      ...ports.map((p) => record(a, p, 'filtered')),
    ]);
    const sim = simulate({ dropAt: (_a, port) => (port === 80 ? undefined : 2) }, budgets);
    // The connect phase left r2 three messages (as the bench's forged-reset check and joins do).
    for (let i = 0; i < 3; i += 1) await sim.ask('198.19.1.1', 'tcp', 80, 3);
    const out = await localiseRecords(records, sim.ask, budgets, {
      ...options(),
      deadline: performance.now() + 700,
    });
    const tally = judge(out.records, () => FW);
    expect(tally.wrong).toEqual([]);
    expect(tally.unknown).toBe(0);
    expect(tally.probed).toBeGreaterThanOrEqual(ports.length);
    expect(sim.suppressed.get(R2) ?? 0).toBe(0);
  });

  it('walks a second sample of a question beside its pilot when the routers have the budget for it', async () => {
    // The bench's shape: four dropped ports over one /24, and a closed port whose forged-reset check
    // asks r2 too. r2 has four messages left for the questions: the pilots' first asks of r2 are
    // their proofs, behind one control shared by all, so a second sample must not find r2 reserved
    // for four.
    const { list, records: dropped, dropAt } = benchShape(8);
    const records = [
      ...dropped,
      ...list.map((a) => ({
        ...record(a, 9000, 'filtered'),
        state: 'closed' as const,
        reason: 'conn-refused' as const,
        rttMs: 1,
        replyFrom: a,
        replyTtl: 61,
      })),
    ];
    const { records: out, sent } = await localise(records, { dropAt });
    const tally = judge(out, () => FW);
    expect(tally.wrong).toEqual([]);
    expect(tally.unknown).toBe(0);
    // Four pilots, and at least one second sample that fw's budget (6 − the trace's) still allowed.
    expect(tally.probed).toBeGreaterThanOrEqual(5);
    expect(sent.get(FW)).toBeLessThanOrEqual(6);
  });

  it('proves the silence at the last router in the first round: two asks of it per sample, not four', async () => {
    // 8080 dropped at fw. The first ask of r2 is the proof itself (the port twice, then the
    // control), so fw's answer ends the walk; a separate first ask would cost two probes more per
    // sample and a second round of timeouts.
    const records = addresses(2).flatMap((a) => [record(a, 80, 'open'), record(a, 8080, 'filtered')]);
    const budgets = new HopBudgets();
    const sim = simulate({ dropAt: (_a, port) => (port === 8080 ? 2 : undefined) }, budgets);
    let asksOfR2 = 0;
    const ask: Ask = (address, protocol, port, ttl, timeoutMs) => {
      if (port === 8080 && ttl === DISTANCE - 1) asksOfR2 += 1;
      return sim.ask(address, protocol, port, ttl, timeoutMs);
    };
    const out = await localiseRecords(records, ask, budgets, options());
    const tally = judge(out.records, () => FW);
    expect(tally.wrong).toEqual([]);
    expect(tally.unknown).toBe(0);
    expect(tally.probed).toBe(2);
    expect(asksOfR2).toBe(2 * tally.probed);
  });

  it('walks the undecided samples again, not every probe, when another scan left the firewall empty', async () => {
    // The bench's shape run 1 s after another: fw has one message (the trace takes it) while the
    // model starts it with six. Samples then find it silent, and disagree with their pilot only by
    // that silence; walking all 30 addresses of each question on it took the localisation to its
    // deadline. Walked again once fw has refilled, they decide.
    const { records, dropAt } = benchShape(60);
    const budgets = new HopBudgets();
    const sim = simulate({ dropAt, silenceTakesTimeout: true }, budgets);
    sim.drain(FW, 1);
    const walked = new Map<number, Set<string>>();
    const ask: Ask = (address, protocol, port, ttl, timeoutMs) => {
      if (port !== 80 && ttl < DISTANCE) walked.set(port, (walked.get(port) ?? new Set()).add(address));
      return sim.ask(address, protocol, port, ttl, timeoutMs);
    };
    const out = await localiseRecords(records, ask, budgets, {
      ...options(),
      deadline: performance.now() + 15_000,
    });
    const tally = judge(out.records, () => FW);
    expect(tally.wrong).toEqual([]);
    expect(tally.unknown).toBe(0);
    for (const [, addressesWalked] of walked) expect(addressesWalked.size).toBeLessThanOrEqual(4);
  }, 30_000);

  it("names both blockers when a port that gets through takes the last router's last message", async () => {
    // r2 has no burst (one message per 500 ms): in a proof, the copies of 9000 (dropped by the
    // servers, so r2 passes it) take its message before the control, whose silence then says
    // nothing about 8080 (dropped at fw): 8080 is proven again, behind a control of its own.
    const { records, dropAt, truth } = firewallAndServerDrops();
    const { records: out } = await localise(records, {
      dropAt,
      strict: new Map([[R2, { burst: 1, perSecond: 2 }]]),
    });
    const tally = judge(out, truth);
    expect(tally.wrong).toEqual([]);
    expect(tally.unknown).toBe(0);
  }, 20_000);

  it('does not blame the firewall when the last router is stricter than the model (Cisco-like, 1 per 500 ms)', async () => {
    // The servers' host firewalls drop 9000: r2 must be seen passing it. r2 sends one
    // time-exceeded per 500 ms with no burst, so its silence means little until it is proven.
    const records = addresses(3).flatMap((a) => [record(a, 80, 'open'), record(a, 9000, 'filtered')]);
    const { records: out } = await localise(records, {
      dropAt: (_a, port) => (port === 9000 ? DISTANCE - 1 : undefined),
      strict: new Map([[R2, { burst: 1, perSecond: 2 }]]),
    });
    const tally = judge(out, () => 'destination');
    expect(tally.wrong).toEqual([]);
    expect(tally.probed).toBeGreaterThanOrEqual(1);
  }, 20_000);
});

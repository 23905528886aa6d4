import { describe, expect, it } from 'vitest';
import { probeSettingsSchema } from '../../src/plan/probe-settings-schema.js';
import type { Prober, ProbeRecord, ProbeRequest, ProbeState } from '../../src/probes/index.js';
import { runConnectPhase } from '../../src/run/connect-phase.js';
import { RttEstimator } from '../../src/run/rtt-estimator.js';
import { runScan } from '../../src/run/index.js';
import { buildAdhocSpec } from '../../src/plan/index.js';

const settings = (overrides = {}) => probeSettingsSchema.parse({ timeoutMs: 2000, ...overrides });
const request = (address: string, port: number, roles: ProbeRequest['roles'] = ['extra']): ProbeRequest => ({
  target: address,
  address,
  protocol: 'tcp',
  port,
  roles,
});
const answer = (
  req: ProbeRequest,
  state: ProbeState,
  rttMs: number | null,
  detail?: string,
): ProbeRecord => ({
  ...req,
  state,
  reason: state === 'open' ? 'syn-ack' : state === 'filtered' ? 'no-response' : 'local-error',
  rttMs,
  ...(detail ? { detail } : {}),
});

function run(requests: ProbeRequest[], prober: Prober, overrides = {}) {
  return runConnectPhase(requests, {
    settings: settings(overrides),
    probers: { tcp: prober, udp: prober },
    signal: new AbortController().signal,
    onStarted: () => {},
    onFinished: () => {},
  });
}

describe('RttEstimator', () => {
  it('starts at the initial timeout, then follows the measured RTT within floor and ceiling', () => {
    const estimator = new RttEstimator(250, 2000);
    expect(estimator.timeoutFor('198.18.1.1')).toBe(500);
    estimator.observe('198.18.1.1', 1);
    expect(estimator.timeoutFor('198.18.1.1')).toBe(250);
    estimator.observe('198.18.2.1', 150);
    expect(estimator.timeoutFor('198.18.2.1')).toBeGreaterThanOrEqual(450);
    estimator.observe('198.18.3.1', 900);
    expect(estimator.timeoutFor('198.18.3.1')).toBe(2000);
  });

  it("lends a subnet's estimate to its addresses that have not answered yet, not to other subnets", () => {
    const estimator = new RttEstimator(100, 2000);
    estimator.observe('198.19.1.1', 300);
    expect(estimator.timeoutFor('198.19.1.77')).toBeGreaterThanOrEqual(900);
    expect(estimator.knows('198.19.1.77')).toBe(false);
    expect(estimator.timeoutFor('198.19.2.1')).toBe(500);
  });

  it('holds later probes of a subnet until its first answer (or the initial timeout)', async () => {
    const estimator = new RttEstimator(100, 2000, 300);
    await estimator.firstAnswerNear('198.19.1.1'); // the first goes at once
    let released = false;
    const second = estimator.firstAnswerNear('198.19.1.2').then(() => (released = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(released).toBe(false);
    estimator.observe('198.19.1.1', 2);
    await second;
    expect(released).toBe(true);
    const started = performance.now();
    await estimator.firstAnswerNear('198.19.9.1');
    await estimator.firstAnswerNear('198.19.9.2'); // nobody answers: released by the initial timeout
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });
});

describe('runConnectPhase', () => {
  it('probes current ports first, one address at a time in turn, then uses the adaptive timeout', async () => {
    const seen: string[] = [];
    const timeouts = new Map<string, number>();
    const prober: Prober = async (req, options) => {
      seen.push(`${req.address}/${req.port}`);
      timeouts.set(`${req.address}/${req.port}`, options.timeoutMs);
      return answer(req, 'open', 2);
    };
    await run(
      [
        request('a', 8080),
        request('a', 80, ['current-http']),
        request('b', 8080),
        request('b', 80, ['current-http']),
      ],
      prober,
      { concurrency: 1 },
    );
    expect(seen).toEqual(['a/80', 'b/80', 'a/8080', 'b/8080']);
    expect(timeouts.get('a/80')).toBe(500);
    expect(timeouts.get('a/8080')).toBe(100);
  });

  it('retries silence with a longer timeout, and keeps the answer of the retry', async () => {
    const calls: number[] = [];
    const prober: Prober = async (req, options) => {
      calls.push(options.timeoutMs);
      return calls.length === 1 ? answer(req, 'filtered', null) : answer(req, 'open', 3);
    };
    const [record] = await run([request('a', 8080)], prober, { timeoutMs: 4000, retries: 2 });
    expect(record?.state).toBe('open');
    // Nothing near has answered: the initial timeout, then twice it.
    expect(calls).toEqual([500, 1000]);
  });

  it('gives up after its retries and reports filtered', async () => {
    let calls = 0;
    const prober: Prober = async (req) => {
      calls += 1;
      return answer(req, 'filtered', null);
    };
    const [record] = await run([request('a', 8080)], prober, { retries: 2 });
    expect(record?.state).toBe('filtered');
    expect(calls).toBe(3);
  });

  it('waits out file-descriptor exhaustion instead of reporting it', async () => {
    let calls = 0;
    const prober: Prober = async (req) => {
      calls += 1;
      return calls < 3 ? answer(req, 'error', null, 'EMFILE') : answer(req, 'open', 1);
    };
    const [record] = await run([request('a', 8080)], prober);
    expect(record?.state).toBe('open');
  });

  it('stops probing an address after its host deadline, marking the rest aborted', async () => {
    const prober: Prober = async (req) => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      return answer(req, 'open', 100);
    };
    const records = await run([request('a', 1), request('a', 2), request('a', 3)], prober, {
      concurrency: 1,
      hostDeadlineMs: 150,
    });
    expect(records.map((r) => r.reason)).toEqual(['syn-ack', 'syn-ack', 'aborted']);
  });
});

describe('runScan', () => {
  it('stops at the scan deadline and says so', async () => {
    const spec = buildAdhocSpec({
      hosts: ['198.18.99.1'],
      ports: [1, 2, 3].map((port) => ({ protocol: 'tcp' as const, port })),
      probe: { deadlineMs: 50, concurrency: 1 },
    });
    const slow: Prober = (req, options) =>
      new Promise((resolve) => {
        const timer = setTimeout(() => resolve(answer(req, 'open', 100)), 100);
        options.signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve({ ...answer(req, 'error', null), reason: 'aborted' });
        });
      });
    const result = await runScan(spec, { probers: { tcp: slow, udp: slow } });
    expect(result.complete).toBe(false);
    expect(result.interruption).toBe('deadline');
    expect(result.records.every((r) => r.reason === 'aborted')).toBe(true);
  });
});

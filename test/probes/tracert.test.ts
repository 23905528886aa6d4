import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTracert, tracertPath } from '../../src/probes/tracert.js';
import { runWindowsPathPhase } from '../../src/run/windows-path-phase.js';
import { DEFAULT_PROBE_SETTINGS } from '../../src/plan/probe-defaults.js';
import type { ProbeRecord } from '../../src/probes/types.js';
import { FUZZ_SEED } from '../support/fuzz.js';

// As Windows Server 2022 prints them (tracert -d), in English and in German: the hop lines are the same.
const ENGLISH = [
  '',
  'Tracing route to 198.18.3.2 over a maximum of 30 hops',
  '',
  '  1    <1 ms    <1 ms    <1 ms  198.18.1.2',
  '  2     *        *        *     Request timed out.',
  '  3     2 ms     1 ms    11 ms  198.18.3.2',
  '',
  'Trace complete.',
  '',
].join('\r\n');
const GERMAN = [
  '',
  'Routenverfolgung zu 198.18.3.2 über maximal 30 Hops',
  '',
  '  1    <1 ms    <1 ms    <1 ms  198.18.1.2',
  '  2     *        *        *     Zeitüberschreitung der Anforderung.',
  '  3     *        4 ms     3 ms  198.18.3.2',
  '',
  'Ablaufverfolgung beendet.',
].join('\r\n');

describe('tracert -d output', () => {
  it.each([
    ['English', ENGLISH, 2],
    ['German', GERMAN, 4],
  ])('reads the hops of an %s trace, silent hops without an address', (_language, text, lastRtt) => {
    expect(parseTracert(text)).toEqual([
      { ttl: 1, address: '198.18.1.2', rttMs: 0 },
      { ttl: 2, address: null, rttMs: null },
      { ttl: 3, address: '198.18.3.2', rttMs: lastRtt },
    ]);
  });

  it('reads nothing from text that holds no hop line (an error, a usage message)', () => {
    expect(parseTracert('Unable to resolve target system name 198.18.3.2.\r\n')).toEqual([]);
    expect(parseTracert('Usage: tracert [-d] [-h maximum_hops] target_name\r\n  -d  Do not resolve')).toEqual(
      [],
    );
  });

  it('never throws, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), (text) => {
        for (const hop of parseTracert(text)) expect(Number.isInteger(hop.ttl)).toBe(true);
      }),
      { seed: FUZZ_SEED, numRuns: 300 },
    );
  });

  it('runs tracert without name lookups, IPv4, with the hop and wait limits', async () => {
    const calls: { file: string; args: readonly string[] }[] = [];
    const hops = await tracertPath('198.18.3.2', {
      maxHops: 30,
      waitMs: 500,
      run: async (file, args) => {
        calls.push({ file, args });
        return ENGLISH;
      },
    });
    expect(calls).toEqual([{ file: 'tracert', args: ['-d', '-4', '-h', '30', '-w', '500', '198.18.3.2'] }]);
    expect(hops).toHaveLength(3);
  });
});

describe('the Windows path phase', () => {
  const SETTINGS = { ...DEFAULT_PROBE_SETTINGS, pathProbing: true, icmpEcho: false, appProbes: false };
  const record = (address: string, port: number, state: ProbeRecord['state']): ProbeRecord => ({
    target: address,
    address,
    protocol: 'tcp',
    port,
    roles: ['candidate-http'],
    state,
    reason: state === 'open' ? 'syn-ack' : 'no-response',
    rttMs: state === 'open' ? 1 : null,
  });

  it('gives filtered probes the ICMP path, once per /24, and never names a blocking device', async () => {
    const traced: string[] = [];
    const records = [
      record('198.18.3.2', 80, 'open'),
      record('198.18.3.2', 8080, 'filtered'),
      record('198.18.3.3', 8080, 'filtered'),
      record('198.18.4.9', 8080, 'filtered'),
    ];
    const out = await runWindowsPathPhase(
      records,
      SETTINGS,
      new AbortController().signal,
      async (_f, args) => {
        traced.push(args.at(-1) as string);
        return ENGLISH;
      },
    );
    expect(traced.sort()).toEqual(['198.18.3.2', '198.18.4.9']);
    expect(out[0]).toEqual(records[0]);
    for (const refined of out.slice(1)) {
      expect(refined).toMatchObject({ state: 'filtered', blockedBy: null, localisation: 'unknown' });
      expect(refined.path?.map((hop) => hop.address)).toEqual(['198.18.1.2', null, '198.18.3.2']);
      expect(refined.detail).toMatch(
        /ICMP path of tracert -d to 198\.18\.[34]\.\d+ .*not localised from Windows/,
      );
    }
  });

  it('leaves the records as they were when tracert prints nothing it can read', async () => {
    const records = [record('198.18.3.2', 8080, 'filtered')];
    const out = await runWindowsPathPhase(records, SETTINGS, new AbortController().signal, async () => '');
    expect(out).toEqual(records);
  });
});

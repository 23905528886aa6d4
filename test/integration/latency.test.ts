// A slow link must not turn answers into silence: the built CLI, run in the client namespace,
// probes a server behind a long round trip (a userspace delaying hop, since tc netem is missing)
// and every port must keep its state. A probe whose timeout is shorter than the round trip would
// report an open or closed port as `filtered`: a false NO-GO for the port change.
//
//   client ──── r1 (delay-hop: +ONE_WAY_MS each way) ──── fw (drops 8080) ──── server (80, 443)
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addDelayHop } from '../net/delay-hop.js';
import type { ReportProbe } from '../net/localisation.js';
import { describeNetns } from '../net/require-root.js';
import { createChainTopology, firewallRuleset, nftRule, type ChainTopology } from '../net/topology.js';
import { CLI } from '../support/cli.js';

/**
 * Delay per direction. Both directions are delayed, so the round trip grows by 2 × ONE_WAY_MS =
 * 300 ms: above the 250 ms floor of the adaptive timeout, so the states only hold if the engine
 * grows its timeout from the round trips it measures.
 */
const ONE_WAY_MS = 150;
const MIN_RTT_MS = 2 * ONE_WAY_MS;

const EXPECTED = {
  'tcp/80': 'open/syn-ack',
  'tcp/443': 'open/syn-ack',
  'tcp/8443': 'closed/conn-refused',
  'tcp/8080': 'filtered/no-response',
};

describeNetns(
  'portflight check over a slow link (client → r1 +300 ms RTT → fw → server)',
  () => {
    let topology: ChainTopology;
    let server: string;

    async function runCheck(extraArgs: readonly string[]): Promise<Map<string, ReportProbe>> {
      const argv = [
        process.execPath,
        CLI,
        'check',
        server,
        '--ports',
        '80,443,8080,8443',
        '--format',
        'json',
        ...extraArgs,
      ];
      const result = await topology.exec('client', argv, { timeoutMs: 90_000 });
      let probes: readonly ReportProbe[];
      try {
        probes = (JSON.parse(result.stdout) as { probes: readonly ReportProbe[] }).probes;
      } catch {
        throw new Error(`exit ${result.code}, stdout is not JSON:\n${result.stdout}\n${result.stderr}`);
      }
      return new Map(probes.map((probe) => [`${probe.protocol}/${probe.port}`, probe]));
    }

    const outcomes = (probes: Map<string, ReportProbe>) =>
      Object.fromEntries([...probes].map(([key, probe]) => [key, `${probe.state}/${probe.reason}`]));

    beforeAll(async () => {
      topology = await createChainTopology(['client', 'r1', 'fw', 'server']);
      server = topology.addr('server');
      await topology.serve('server', { tcp: [80, 443] });
      await topology.nft('fw', firewallRuleset('forward', [nftRule.dropTcp(8080)]));
      // Towards the server's subnet (requests) and the client's (answers): the whole round trip.
      const serverSubnet = `${server.split('.').slice(0, 3).join('.')}.0/24`;
      const clientSubnet = `${topology.addr('client').split('.').slice(0, 3).join('.')}.0/24`;
      await addDelayHop(topology, 'r1', { delayMs: ONE_WAY_MS, towards: [serverSubnet, clientSubnet] });
    });
    afterAll(async () => {
      await topology?.destroy();
    });

    it('keeps every state with the default settings, and reports the long round trip', async () => {
      const probes = await runCheck([]);

      expect(outcomes(probes)).toEqual(EXPECTED);
      for (const key of ['tcp/80', 'tcp/443', 'tcp/8443']) {
        const rttMs = probes.get(key)?.rttMs;
        // The report's RTT is what the user reads: it must show the slow link, not hide it.
        expect(rttMs, key).toEqual(expect.any(Number));
        expect(rttMs, key).toBeGreaterThanOrEqual(150);
        expect(rttMs, key).toBeGreaterThanOrEqual(MIN_RTT_MS - 1);
      }
    });

    // The adaptive timeout must come from the measured round trip, not from its floor: with the
    // floor (250 ms) below the round trip and no retry to make up for a short wait, a timeout that
    // stayed at the floor would call every port filtered. (`--timeout` is the ceiling: with
    // `--timeout 250` below a 300 ms round trip, silence is what the user asked to conclude.)
    it('keeps every state with the adaptive floor below the round trip and no retries', async () => {
      const probes = await runCheck(['--min-timeout', '250', '--retries', '0']);

      expect(outcomes(probes)).toEqual(EXPECTED);
    });
  },
  { commands: ['python3'] },
);

// Firewalls that reject with ICMP instead of dropping: every ICMP unreachable makes a TCP port
// `filtered` (plain `reject` sends port-unreachable, which connect() reports as ECONNREFUSED, the
// same errno as a closed port), and the report names who sent it. nmap -sS agrees on the states.
//
//   client → r1 → fw → r2 → server
//   fw (forward):    tcp 8080 reject (ICMP 3/3)       tcp 8443 reject host-unreachable (3/1)
//                    tcp 10123 reject admin-prohibited (3/13)   udp 9 reject (3/3, not from the server)
//   server (input):  tcp 8081 reject (3/3 from the destination itself)
//   server listens:  tcp 80, 443; nothing on 8530 (really closed: the control)
//
// ICMP errors are rate limited per router (burst 6, then about 1/s toward one client): fw rejects
// four ports and the server one, so a single probe of each stays within the burst.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeNetns } from '../net/require-root.js';
import { createFirewallChain, outcomes, runCheck, type CheckRun } from '../net/localisation.js';
import { nmapSyn, type NmapPort } from '../net/nmap.js';
import { nftRule } from '../net/nft-rules.js';
import { firewallRuleset, type ChainTopology } from '../net/topology.js';

const PORTS = ['tcp:80', 'tcp:443', 'tcp:8080', 'tcp:8443', 'tcp:10123', 'tcp:8081', 'tcp:8530', 'udp:9'];
const KEYS = PORTS.map((port) => port.replace(':', '/'));
const TCP_PORTS = [80, 443, 8080, 8443, 10123, 8081, 8530];
/** Time for every router's ICMP token bucket to refill (6 tokens, one per second). */
const ICMP_REFILL_MS = 6_500;

describeNetns(
  'rejecting firewalls: ICMP unreachables are filtered, from the right sender',
  () => {
    let topology: ChainTopology;
    let server: string;
    let firewall: string;
    let run: CheckRun;
    let nmap: Map<string, NmapPort>;

    beforeAll(async () => {
      topology = await createFirewallChain();
      server = topology.addr('server');
      firewall = topology.addr('fw');
      await topology.serve('server', { tcp: [80, 443] });
      await topology.nft(
        'fw',
        firewallRuleset('forward', [
          nftRule.rejectTcpPortUnreachable(8080),
          nftRule.rejectTcpHostUnreachable(8443),
          nftRule.rejectTcpAdminProhibited(10123),
          nftRule.rejectUdpPortUnreachable(9),
        ]),
      );
      await topology.nft('server', firewallRuleset('input', [nftRule.rejectTcpPortUnreachable(8081)]));
      run = await runCheck(topology, [server], PORTS);
      await new Promise((resolve) => setTimeout(resolve, ICMP_REFILL_MS));
      nmap = await nmapSyn(topology, 'client', [server], TCP_PORTS);
    }, 120_000);
    afterAll(async () => {
      await topology?.destroy();
    });

    it('runs with raw sockets (root), so path localisation is on', () => {
      expect(run.report.vantage.privileges.rawSocket).toBe(true);
    });

    it('reports each reject as filtered, with its ICMP code and the firewall as sender and blocker', () => {
      const rejected = (reason: string) => ({
        state: 'filtered',
        reason,
        replyFrom: firewall,
        blockedBy: firewall,
      });
      expect(outcomes(run, [server], KEYS)).toEqual({
        [`${server} tcp/80`]: { state: 'open', reason: 'syn-ack', replyFrom: server, blockedBy: undefined },
        [`${server} tcp/443`]: { state: 'open', reason: 'syn-ack', replyFrom: server, blockedBy: undefined },
        [`${server} tcp/8080`]: rejected('port-unreach'),
        [`${server} tcp/8443`]: rejected('host-unreach'),
        [`${server} tcp/10123`]: rejected('admin-prohibited'),
        [`${server} udp/9`]: rejected('port-unreach'),
        // The destination's own firewall: ICMP from the server itself is still not a closed port.
        [`${server} tcp/8081`]: {
          state: 'filtered',
          reason: 'port-unreach',
          replyFrom: server,
          blockedBy: 'destination',
        },
        // The control: nothing listens and nothing filters, so the server's own RST decides.
        [`${server} tcp/8530`]: {
          state: 'closed',
          reason: 'conn-refused',
          replyFrom: server,
          blockedBy: undefined,
        },
      });
    });

    it('localises each reject on the probe itself (one address: nothing to infer from)', () => {
      for (const port of ['tcp/8080', 'tcp/8443', 'tcp/10123', 'udp/9', 'tcp/8081']) {
        expect(run.probe(server, port).localisation, port).toBe('probed');
      }
    });

    it('gives the TTL of each deciding answer: the firewall is 2 hops away, the server 4', () => {
      // Linux sends with TTL 64; every router on the way back takes one off.
      for (const port of ['tcp/8080', 'tcp/8443', 'tcp/10123', 'udp/9']) {
        expect(run.probe(server, port).replyTtl, port).toBe(63);
      }
      expect(run.probe(server, 'tcp/8081').replyTtl).toBe(61);
      expect(run.probe(server, 'tcp/8530').replyTtl).toBe(61);
    });

    it('sees with nmap -sS --reason the topology the test built', () => {
      const view = Object.fromEntries(
        TCP_PORTS.map((port) => {
          const entry = nmap.get(`${server} tcp/${port}`);
          return [port, `${entry?.state} ${entry?.reason} ${entry?.reasonIp ?? ''}`.trim()];
        }),
      );
      expect(view).toEqual({
        80: 'open syn-ack',
        443: 'open syn-ack',
        8080: `filtered port-unreach ${firewall}`,
        8443: `filtered host-unreach ${firewall}`,
        10123: `filtered admin-prohibited ${firewall}`,
        8081: 'filtered port-unreach', // nmap names the sender only when it is not the target
        8530: 'closed reset',
      });
    });

    it('agrees with nmap on every TCP state', () => {
      for (const port of TCP_PORTS) {
        expect(run.probe(server, `tcp/${port}`).state, `tcp/${port}`).toBe(
          nmap.get(`${server} tcp/${port}`)?.state,
        );
      }
    });
  },
  { commands: ['nmap'] },
);

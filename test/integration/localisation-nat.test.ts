// NAT on the path. (a) A router that masquerades the client: the time-exceeded of the hops behind
// it come back through its connection tracking, and must still name the right firewall.
// (b) A DNAT that sends the candidate port to another host than the server: the port is open, but
// the SYN-ACK comes from fewer hops than the server's own answers, and the report says so.
//
//   (a) client → r1 (masquerades the client) → fw (drops tcp 8080) → r2 → server (tcp 80, 443)
//   (b) client → r1 → fw (DNAT server:8443 → r2:8443) → r2 (listens on 8443) → server (tcp 80, 443)
// nmap -sS --reason sees the same states (and, for (b), the closer TTL).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeNetns } from '../net/require-root.js';
import {
  answeringPath,
  createFirewallChain,
  outcomes,
  runCheck,
  type CheckRun,
} from '../net/localisation.js';
import { nmapSyn, type NmapPort } from '../net/nmap.js';
import { natRule, natRuleset, nftRule } from '../net/nft-rules.js';
import { firewallRuleset, type ChainTopology } from '../net/topology.js';

describeNetns(
  'NAT on the path',
  () => {
    describe('(a) masquerade on r1, fw drops tcp 8080', () => {
      let topology: ChainTopology;
      let server: string;
      let run: CheckRun;
      let nmap: Map<string, NmapPort>;

      beforeAll(async () => {
        topology = await createFirewallChain();
        server = topology.addr('server');
        await topology.serve('server', { tcp: [80, 443] });
        await topology.nft(
          'r1',
          natRuleset({ postrouting: [natRule.masqueradeFrom(topology.addr('client'))] }),
        );
        await topology.nft('fw', firewallRuleset('forward', [nftRule.dropTcp(8080)]));
        run = await runCheck(topology, [server], ['tcp:80', 'tcp:443', 'tcp:8080', 'tcp:8530']);
        nmap = await nmapSyn(topology, 'client', [server], [80, 443, 8080, 8530]);
      }, 120_000);
      afterAll(async () => {
        await topology?.destroy();
      });

      it('masquerades: the server sees connections from r1, not from the client', async () => {
        // Hold a connection open from the client, and read the server's view of its peer.
        const holder = topology.spawn('client', [
          process.execPath,
          '-e',
          `require('net').connect(80, '${server}').on('connect', () => console.log('UP')).resume()`,
        ]);
        await new Promise((resolve) => holder.stdout?.once('data', resolve));
        const sockets = await topology.exec('server', [
          'ss',
          '-Htn',
          'state',
          'established',
          'sport',
          '= :80',
        ]);
        holder.kill('SIGKILL');
        expect(sockets.stdout).toContain(`${topology.addr('r1', 'right')}:`);
        expect(sockets.stdout).not.toContain(`${topology.addr('client')}:`);
      });

      it('keeps every state and names the firewall behind the NAT', () => {
        expect(outcomes(run, [server], ['tcp/80', 'tcp/443', 'tcp/8080', 'tcp/8530'])).toEqual({
          [`${server} tcp/80`]: { state: 'open', reason: 'syn-ack', replyFrom: server, blockedBy: undefined },
          [`${server} tcp/443`]: {
            state: 'open',
            reason: 'syn-ack',
            replyFrom: server,
            blockedBy: undefined,
          },
          [`${server} tcp/8080`]: {
            state: 'filtered',
            reason: 'no-response',
            replyFrom: undefined,
            blockedBy: topology.addr('fw'),
          },
          [`${server} tcp/8530`]: {
            state: 'closed',
            reason: 'conn-refused',
            replyFrom: server,
            blockedBy: undefined,
          },
        });
        const probe = run.probe(server, 'tcp/8080');
        expect(probe.localisation).toBe('probed');
        // The hops behind the NAT answer through it: r1, then the firewall, and nothing after it.
        expect(answeringPath(probe)).toEqual([topology.addr('r1'), topology.addr('fw')]);
      });

      it('agrees with nmap -sS, which sees the topology the test built', () => {
        const states = { 80: 'open', 443: 'open', 8080: 'filtered', 8530: 'closed' };
        for (const [port, state] of Object.entries(states)) {
          expect(nmap.get(`${server} tcp/${port}`)?.state, `nmap tcp/${port}`).toBe(state);
          expect(run.probe(server, `tcp/${port}`).state, `portflight tcp/${port}`).toBe(state);
        }
      });
    });

    describe('(b) fw sends tcp 8443 for the server to r2', () => {
      let topology: ChainTopology;
      let server: string;
      let run: CheckRun;
      let nmap: Map<string, NmapPort>;

      beforeAll(async () => {
        topology = await createFirewallChain();
        server = topology.addr('server');
        // The server itself has nothing on 8443: an open 8443 can only be r2's answer.
        await topology.serve('server', { tcp: [80, 443] });
        await topology.serve('r2', { tcp: [8443] });
        await topology.nft(
          'fw',
          natRuleset({ prerouting: [natRule.dnatTcp(server, 8443, topology.addr('r2'))] }),
        );
        run = await runCheck(topology, [server], ['tcp:80', 'tcp:443', 'tcp:8443']);
        nmap = await nmapSyn(topology, 'client', [server], [80, 443, 8443]);
      }, 120_000);
      afterAll(async () => {
        await topology?.destroy();
      });

      it('sees with nmap the SYN-ACK of 8443 one hop closer than the server (TTL 62, not 61)', () => {
        expect(nmap.get(`${server} tcp/80`)).toMatchObject({
          state: 'open',
          reason: 'syn-ack',
          reasonTtl: 61,
        });
        expect(nmap.get(`${server} tcp/443`)).toMatchObject({
          state: 'open',
          reason: 'syn-ack',
          reasonTtl: 61,
        });
        expect(nmap.get(`${server} tcp/8443`)).toMatchObject({
          state: 'open',
          reason: 'syn-ack',
          reasonTtl: 62,
        });
      });

      it('reports 8443 open, answered closer than the destination', () => {
        const probe = run.probe(server, 'tcp/8443');
        const closer = probe.answeredCloser;
        expect({
          state: probe.state,
          reason: probe.reason,
          blockedBy: probe.blockedBy,
          replyTtl: probe.replyTtl,
          // r2 is one hop short of the server.
          hopsShort: closer && closer.destinationHops - closer.replyHops,
        }).toEqual({ state: 'open', reason: 'syn-ack', blockedBy: undefined, replyTtl: 62, hopsShort: 1 });
      });

      it('reports the ports the server itself answers open, with no answeredCloser', () => {
        for (const port of ['tcp/80', 'tcp/443']) {
          const probe = run.probe(server, port);
          expect(probe, port).toMatchObject({ state: 'open', reason: 'syn-ack' });
          expect(probe.answeredCloser, port).toBeUndefined();
          expect(probe.blockedBy, port).toBeUndefined();
          // The server's own SYN-ACK, three routers away (when the report gives its TTL).
          expect([undefined, 61], port).toContain(probe.replyTtl);
        }
      });
    });
  },
  { commands: ['nmap'] },
);

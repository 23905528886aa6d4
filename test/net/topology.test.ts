import { spawnSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { overlapsLinkSubnets, parseTestCidr } from './address-plan.js';
import { describeNetns } from './require-root.js';
import { createChainTopology, firewallRuleset, nftRule, type ChainTopology } from './topology.js';

interface ClientOutcome {
  readonly outcome: 'connected' | 'reply' | 'error' | 'timeout';
  readonly code?: string;
  readonly payload?: string;
  readonly from?: string;
  readonly ms: number;
}

// Run inside the client namespace with `node -e`, so the socket really lives there.
const TCP_CONNECT_SCRIPT = `
const [host, port, timeoutMs] = process.argv.slice(1);
const started = Date.now();
const finish = (result) => { console.log(JSON.stringify({ ...result, ms: Date.now() - started })); process.exit(0); };
const socket = require('node:net').connect({ host, port: Number(port) });
socket.on('connect', () => finish({ outcome: 'connected' }));
socket.on('error', (error) => finish({ outcome: 'error', code: error.code }));
setTimeout(() => finish({ outcome: 'timeout' }), Number(timeoutMs));
`;

const UDP_ECHO_SCRIPT = `
const [host, port, timeoutMs, payload] = process.argv.slice(1);
const started = Date.now();
const finish = (result) => { console.log(JSON.stringify({ ...result, ms: Date.now() - started })); process.exit(0); };
const socket = require('node:dgram').createSocket('udp4');
socket.on('message', (message, peer) => finish({ outcome: 'reply', payload: message.toString(), from: peer.address }));
socket.on('error', (error) => finish({ outcome: 'error', code: error.code }));
socket.connect(Number(port), host, (error) => (error ? finish({ outcome: 'error', code: error.code }) : socket.send(payload)));
setTimeout(() => finish({ outcome: 'timeout' }), Number(timeoutMs));
`;

async function runClientScript(
  topology: ChainTopology,
  script: string,
  args: readonly string[],
): Promise<ClientOutcome> {
  const result = await topology.exec('client', [process.execPath, '-e', script, ...args], {
    timeoutMs: 15_000,
  });
  if (result.code !== 0) throw new Error(`client script failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as ClientOutcome;
}

const tcpConnect = (topology: ChainTopology, host: string, port: number, timeoutMs = 1_500) =>
  runClientScript(topology, TCP_CONNECT_SCRIPT, [host, String(port), String(timeoutMs)]);

const udpEcho = (topology: ChainTopology, host: string, port: number, timeoutMs = 1_500) =>
  runClientScript(topology, UDP_ECHO_SCRIPT, [host, String(port), String(timeoutMs), `hello ${port}`]);

function namespacesOfThisProcess(): string[] {
  const listing = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout;
  return listing
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name.startsWith(`pft${process.pid}-`));
}

describe('test address plan', () => {
  it('accepts only 198.18.0.0/15 and clears host bits', () => {
    expect(parseTestCidr('198.19.7.9/16').network).toBe('198.19.0.0/16');
    expect(() => parseTestCidr('198.20.0.1/32')).toThrow(/outside 198.18.0.0\/15/);
    expect(() => parseTestCidr('10.0.0.1/32')).toThrow(/outside/);
    expect(() => parseTestCidr('198.18.0.0/14')).toThrow(/not a test CIDR/);
  });

  it('tells alias prefixes that would shadow a link subnet', () => {
    expect(overlapsLinkSubnets(parseTestCidr('198.18.2.9/32'), 2)).toBe(true);
    expect(overlapsLinkSubnets(parseTestCidr('198.18.0.0/16'), 2)).toBe(true);
    expect(overlapsLinkSubnets(parseTestCidr('198.18.3.9/32'), 2)).toBe(false);
    expect(overlapsLinkSubnets(parseTestCidr('198.19.1.1/24'), 4)).toBe(false);
  });
});

describeNetns('chain client → fw → server', () => {
  let topology: ChainTopology;
  let server: string;

  beforeAll(async () => {
    topology = await createChainTopology(['client', 'fw', 'server']);
    server = topology.addr('server');
    await topology.serve('server', { tcp: [80, 443], udpEcho: [9] });
  });
  afterAll(() => topology?.destroy());
  afterEach(async () => {
    await topology.nft('fw', firewallRuleset('forward', []));
    await topology.nft('server', firewallRuleset('input', []));
  });

  it('addresses each link 198.18.<link+1>.0/24, left .1 and right .2', async () => {
    expect([topology.addr('client'), topology.addr('fw'), topology.addr('fw', 'right'), server]).toEqual([
      '198.18.1.1',
      '198.18.1.2',
      '198.18.2.1',
      '198.18.2.2',
    ]);
    expect(topology.ns('client')).toMatch(new RegExp(`^pft${process.pid}-\\d+$`));
    const addresses = await topology.exec('server', ['ip', '-4', '-o', 'addr', 'show']);
    expect(addresses.stdout).toContain('inet 198.18.2.2/24');
  });

  it('connects to listening TCP ports and is refused on a port nothing listens on', async () => {
    expect((await tcpConnect(topology, server, 80)).outcome).toBe('connected');
    expect((await tcpConnect(topology, server, 443)).outcome).toBe('connected');
    expect(await tcpConnect(topology, server, 8081)).toMatchObject({
      outcome: 'error',
      code: 'ECONNREFUSED',
    });
  });

  it('times out on a port the firewall drops (refused before the rule)', async () => {
    expect((await tcpConnect(topology, server, 8080)).code).toBe('ECONNREFUSED');
    await topology.nft('fw', firewallRuleset('forward', [nftRule.dropTcp(8080)]));
    expect(await tcpConnect(topology, server, 8080, 1_500)).toMatchObject({ outcome: 'timeout' });
    expect((await tcpConnect(topology, server, 80)).outcome).toBe('connected');
  });

  it('gets EHOSTUNREACH quickly from a reject with icmp admin-prohibited', async () => {
    expect((await tcpConnect(topology, server, 8443)).code).toBe('ECONNREFUSED');
    await topology.nft('fw', firewallRuleset('forward', [nftRule.rejectTcpAdminProhibited(8443)]));
    const rejected = await tcpConnect(topology, server, 8443, 3_000);
    expect(rejected).toMatchObject({ outcome: 'error', code: 'EHOSTUNREACH' });
    expect(rejected.ms).toBeLessThan(1_000);
  });

  it('gets ECONNREFUSED from a reject with tcp reset, even on a listening port', async () => {
    await topology.nft('fw', firewallRuleset('forward', [nftRule.rejectTcpReset(443)]));
    expect(await tcpConnect(topology, server, 443)).toMatchObject({ outcome: 'error', code: 'ECONNREFUSED' });
  });

  it('applies input-hook rules on the server itself', async () => {
    await topology.nft('server', firewallRuleset('input', [nftRule.dropTcp(443)]));
    expect((await tcpConnect(topology, server, 443)).outcome).toBe('timeout');
    expect((await tcpConnect(topology, server, 80)).outcome).toBe('connected');
  });

  it('echoes UDP on 9, is refused on 10, and goes silent when the firewall drops 9', async () => {
    expect(await udpEcho(topology, server, 9)).toMatchObject({
      outcome: 'reply',
      payload: 'hello 9',
      from: server,
    });
    expect(await udpEcho(topology, server, 10)).toMatchObject({ outcome: 'error', code: 'ECONNREFUSED' });
    await topology.nft('fw', firewallRuleset('forward', [nftRule.dropUdp(9)]));
    expect((await udpEcho(topology, server, 9)).outcome).toBe('timeout');
  });

  it('routes extra server addresses through the chain and serves on each of them', async () => {
    const aliases = Array.from({ length: 250 }, (_, i) => `198.19.1.${i + 1}/24`);
    await topology.addAddresses('server', aliases);
    const aliasServer = await topology.serve('server', { tcp: [8000], udpEcho: [7] });
    try {
      for (const address of ['198.19.1.1', '198.19.1.250']) {
        expect((await tcpConnect(topology, address, 8000)).outcome).toBe('connected');
        expect(await udpEcho(topology, address, 7)).toMatchObject({ outcome: 'reply', from: address });
      }
      const route = await topology.exec('fw', ['ip', 'route', 'get', '198.19.1.77']);
      expect(route.stdout).toContain('via 198.18.2.2');
    } finally {
      await aliasServer.stop();
    }
  });
});

describeNetns(
  'chain client → r1 → fw → r2 → server',
  () => {
    let topology: ChainTopology;
    beforeAll(async () => {
      topology = await createChainTopology(['client', 'r1', 'fw', 'r2', 'server']);
    });
    afterAll(() => topology?.destroy());

    const ping = (from: string, address: string, ttl?: number) =>
      topology.exec(from, [
        'ping',
        '-n',
        '-c1',
        '-W1',
        ...(ttl === undefined ? [] : ['-t', String(ttl)]),
        address,
      ]);

    it('expires a TTL-limited ping at each hop in order and reaches the server with TTL 4', async () => {
      const server = topology.addr('server');
      for (const [ttl, hop] of [
        [1, 'r1'],
        [2, 'fw'],
        [3, 'r2'],
      ] as const) {
        const expired = await ping('client', server, ttl);
        expect(expired.code).not.toBe(0);
        expect(expired.stdout).toMatch(
          new RegExp(`From ${topology.addr(hop).replaceAll('.', '\\.')} .*Time to live exceeded`),
        );
      }
      const reached = await ping('client', server, 4);
      expect(reached.code).toBe(0);
      expect(reached.stdout).toContain(`from ${server}`);
    });

    it('reaches every address of every node from every node', async () => {
      const addresses = [
        '198.18.1.1',
        '198.18.1.2',
        '198.18.2.1',
        '198.18.2.2',
        '198.18.3.1',
        '198.18.3.2',
        '198.18.4.1',
        '198.18.4.2',
      ];
      const failures: string[] = [];
      await Promise.all(
        topology.nodes.flatMap((node) =>
          addresses.map(async (address) => {
            if ((await ping(node, address)).code !== 0) failures.push(`${node} → ${address}`);
          }),
        ),
      );
      expect(failures).toEqual([]);
    });
  },
  { commands: ['ping'] },
);

describeNetns('topology lifecycle', () => {
  it('deletes namespaces left behind by dead test processes', async () => {
    const deadPid = spawnSync('true').pid;
    const stale = `pft${deadPid}-0`;
    spawnSync('ip', ['netns', 'add', stale]);
    const topology = await createChainTopology(['a', 'b']);
    await topology.destroy();
    expect(spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout).not.toContain(stale);
  });

  it('destroy() stops spawned processes and leaves no pft<pid>- namespace, twice over', async () => {
    const topology = await createChainTopology(['client', 'server']);
    const names = [topology.ns('client'), topology.ns('server')];
    expect(namespacesOfThisProcess()).toEqual(expect.arrayContaining(names));
    const running = await topology.serve('server', { tcp: [80] });

    await topology.destroy();
    await topology.destroy();

    expect(running.process.exitCode !== null || running.process.signalCode !== null).toBe(true);
    expect(namespacesOfThisProcess()).toEqual([]);
  });
});

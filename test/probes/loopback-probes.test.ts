import { createSocket } from 'node:dgram';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeTcpConnect, probeUdpSocket, resolveHost, type ProbeRequest } from '../../src/probes/index.js';

// Loopback only: real sockets, no traffic leaves the machine.
const request = (protocol: 'tcp' | 'udp', port: number): ProbeRequest => ({
  target: 'localhost-test',
  address: '127.0.0.1',
  protocol,
  port,
  roles: ['extra'],
});
const options = { timeoutMs: 500, udpRetries: 1 };

let tcpPort = 0;
let udpPort = 0;
let closedPort = 0;
const server = createServer((socket) => socket.end());
const echo = createSocket('udp4');

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  tcpPort = (server.address() as AddressInfo).port;
  echo.on('message', (message, remote) => echo.send(message, remote.port, remote.address));
  await new Promise<void>((resolve) => echo.bind(0, '127.0.0.1', resolve));
  udpPort = echo.address().port;
  // A port that was just bound and released is closed (nothing listens) for the duration of the test.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
});
afterAll(() => {
  server.close();
  echo.close();
});

describe('probeTcpConnect', () => {
  it('reports a listening port as open (syn-ack) with a round-trip time', async () => {
    const record = await probeTcpConnect(request('tcp', tcpPort), options);
    expect(record).toMatchObject({ state: 'open', reason: 'syn-ack', port: tcpPort, address: '127.0.0.1' });
    expect(record.rttMs).toBeGreaterThan(0);
  });

  it('reports a port nobody listens on as closed (conn-refused)', async () => {
    expect(await probeTcpConnect(request('tcp', closedPort), options)).toMatchObject({
      state: 'closed',
      reason: 'conn-refused',
    });
  });

  it('returns an aborted record, without connecting, once the scan is interrupted', async () => {
    const controller = new AbortController();
    controller.abort();
    const record = await probeTcpConnect(request('tcp', tcpPort), { ...options, signal: controller.signal });
    expect(record).toMatchObject({ state: 'error', reason: 'aborted', rttMs: null });
  });
});

describe('probeUdpSocket', () => {
  it('reports a UDP reply as open', async () => {
    expect(await probeUdpSocket(request('udp', udpPort), options)).toMatchObject({
      state: 'open',
      reason: 'udp-response',
    });
  });

  it('reports ICMP port-unreachable as closed', async () => {
    expect(await probeUdpSocket(request('udp', closedPort), options)).toMatchObject({
      state: 'closed',
      reason: 'port-unreach',
    });
  });

  it('reports silence after its retries as open|filtered', async () => {
    const silent = createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    let received = 0;
    silent.on('message', () => (received += 1));
    const record = await probeUdpSocket(request('udp', silent.address().port), {
      timeoutMs: 100,
      udpRetries: 2,
    });
    silent.close();
    expect(record).toMatchObject({ state: 'open|filtered', reason: 'no-response', rttMs: null });
    expect(received).toBe(3);
  });
});

describe('resolveHost', () => {
  it('passes address literals through without a lookup', async () => {
    expect(await resolveHost('198.18.2.2', 100)).toEqual({ ok: true, addresses: ['198.18.2.2'] });
    expect(await resolveHost('[::1]', 100)).toEqual({ ok: true, addresses: ['::1'] });
  });

  it('resolves localhost through the system resolver', async () => {
    const result = await resolveHost('localhost', 2000);
    expect(result.ok && result.addresses.some((a) => a === '127.0.0.1' || a === '::1')).toBe(true);
  });

  it('reports a name that does not exist as a failure, not an exception', async () => {
    expect(await resolveHost('no-such-host.invalid', 5000)).toMatchObject({ ok: false });
  });
});

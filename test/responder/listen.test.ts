// The responder on loopback: it binds only free ports, answers only valid requests, never with more
// bytes than it got, and `portflight listen` ends by itself when --for runs out.
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtemp, stat, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { askResponder } from '../../src/probes/responder-probe.js';
import { startResponder, type Responder } from '../../src/responder/listen.js';
import { createTokenFile } from '../../src/responder/token-file.js';
import { encodeRequest, NONCE_BYTES, REQUEST_BYTES } from '../../src/responder/wire.js';
import { runCli } from '../support/cli.js';

const TOKEN = Buffer.from('t'.repeat(64));
const LOOPBACK = '127.0.0.1';
let responder: Responder | undefined;
afterEach(async () => {
  await responder?.close();
  responder = undefined;
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, LOOPBACK, done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

function start(ports: { protocol: 'tcp' | 'udp'; port: number }[], log: string[] = []) {
  return startResponder({ token: TOKEN, identity: 'srv1', ports, bind: [LOOPBACK], log: (l) => log.push(l) });
}

/** Every datagram that comes back within `waitMs` of sending `payload` to the port. */
async function udpExchange(port: number, payload: Uint8Array, waitMs = 150): Promise<Buffer[]> {
  const socket = createSocket('udp4');
  const replies: Buffer[] = [];
  socket.on('message', (message) => replies.push(message));
  await new Promise<void>((done) => socket.bind(0, LOOPBACK, done));
  socket.send(payload, port, LOOPBACK);
  await new Promise((done) => setTimeout(done, waitMs));
  socket.close();
  return replies;
}

describe('portflight responder', () => {
  it('proves TCP and UDP ports, and logs each proof without the token', async () => {
    const [tcp, udp] = [await freePort(), await freePort()];
    const log: string[] = [];
    responder = await start(
      [
        { protocol: 'tcp', port: tcp },
        { protocol: 'udp', port: udp },
      ],
      log,
    );
    expect(responder.bound).toHaveLength(2);
    const options = { token: TOKEN, timeoutMs: 1000, udpRetries: 1 };
    const tcpAnswer = await askResponder(LOOPBACK, 'tcp', tcp, options);
    const udpAnswer = await askResponder(LOOPBACK, 'udp', udp, options);
    for (const answer of [tcpAnswer, udpAnswer]) {
      expect(answer.kind).toBe('proof');
      if (answer.kind === 'proof')
        expect(answer.check).toMatchObject({ kind: 'valid', proof: { identity: 'srv1' } });
    }
    expect(log).toEqual([
      `proof tcp/${tcp} to ${LOOPBACK} (reached at ${LOOPBACK})`,
      `proof udp/${udp} to ${LOOPBACK} (reached at ${LOOPBACK})`,
    ]);
    expect(log.join('\n')).not.toContain(TOKEN.toString());
  });

  it('refuses ports in use and says who holds them', async () => {
    const holder = createServer();
    await new Promise<void>((done) => holder.listen(0, LOOPBACK, done));
    const { port } = holder.address() as AddressInfo;
    try {
      responder = await start([{ protocol: 'tcp', port }]);
      expect(responder.bound).toEqual([]);
      expect(responder.refused).toEqual([{ protocol: 'tcp', port, why: expect.stringMatching(/^in use: /) }]);
      if (process.platform === 'linux' && process.getuid?.() === 0)
        expect(responder.refused[0]?.why).toContain(`(pid ${process.pid})`);
    } finally {
      await new Promise((done) => holder.close(done));
    }
    const udpHolder = createSocket('udp4');
    await new Promise<void>((done) => udpHolder.bind(0, LOOPBACK, done));
    try {
      const udp = udpHolder.address().port;
      const other = await start([{ protocol: 'udp', port: udp }]);
      expect(other.refused).toEqual([
        { protocol: 'udp', port: udp, why: expect.stringMatching(/^in use: /) },
      ]);
      await other.close();
    } finally {
      udpHolder.close();
    }
  });

  it('answers no datagram that is not a valid request, and never with more bytes than it got', async () => {
    const port = await freePort();
    responder = await start([{ protocol: 'udp', port }]);
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 300 }), async (bytes) => {
        expect(await udpExchange(port, bytes, 20)).toEqual([]);
      }),
      { numRuns: 60 },
    );
    // A TCP request over UDP is no UDP request either.
    const tcpRequest = encodeRequest({ protocol: 'tcp', port, nonce: randomBytes(NONCE_BYTES) });
    expect(await udpExchange(port, tcpRequest)).toEqual([]);
    const replies = await udpExchange(
      port,
      encodeRequest({ protocol: 'udp', port, nonce: randomBytes(NONCE_BYTES) }),
    );
    expect(replies).toHaveLength(1);
    expect(replies[0]?.length).toBeLessThan(REQUEST_BYTES);
    expect(responder.served()).toBe(1);
  });

  it('rate-limits one source: a burst is answered, a flood is not', async () => {
    const port = await freePort();
    const log: string[] = [];
    responder = await start([{ protocol: 'udp', port }], log);
    const socket = createSocket('udp4');
    let replies = 0;
    socket.on('message', () => (replies += 1));
    await new Promise<void>((done) => socket.bind(0, LOOPBACK, done));
    for (let index = 0; index < 200; index += 1)
      socket.send(encodeRequest({ protocol: 'udp', port, nonce: randomBytes(NONCE_BYTES) }), port, LOOPBACK);
    await new Promise((done) => setTimeout(done, 300));
    socket.close();
    expect(replies).toBeGreaterThanOrEqual(20);
    expect(replies).toBeLessThan(40);
    expect(log.filter((line) => line.startsWith('rate limit'))).toHaveLength(1);
  });

  it('closes a TCP connection that sends anything else, unanswered', async () => {
    const port = await freePort();
    responder = await start([{ protocol: 'tcp', port }]);
    const answer = await askResponderRaw(port, Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    expect(answer).toEqual({ bytes: 0, closedWithinMs: true });
  });

  it('writes a new token to a file only its owner can read', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'pf-token-'));
    const { path, token } = await createTokenFile(directory);
    expect(token.length).toBe(64);
    if (process.platform !== 'win32') expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('portflight listen exits by itself when --for runs out, and refuses tokens on the command line', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'pf-listen-'));
    const tokenFile = join(directory, 'token');
    await writeFile(tokenFile, `${'k'.repeat(64)}\n`, { mode: 0o600 });
    const port = await freePort();
    const started = Date.now();
    const run = await runCli([
      'listen',
      '--ports',
      `${port}`,
      '--for',
      '2s',
      '--token-file',
      tokenFile,
      '--bind',
      LOOPBACK,
    ]);
    expect(run.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(run.stderr).toMatch(/answering on tcp\/\d+ as .* for 2s/);
    expect(run.stderr).toMatch(/time is up/);
    expect(run.stderr).not.toContain('k'.repeat(64));
    expect(run.stdout).toBe('');
    const refused = await runCli(['listen', '--ports', `${port}`, '--token', 'k'.repeat(64)]);
    expect(refused.code).toBe(64);
    const tooLong = await runCli(['listen', '--ports', `${port}`, '--for', '5h']);
    expect(tooLong.code).toBe(64);
    expect(tooLong.stderr).toMatch(/longer than 4h/);
  }, 30_000);

  it('check refuses a missing or too short token file in one line, before any probe', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'pf-token-bad-'));
    const short = join(directory, 'short');
    await writeFile(short, 'abc\n', { mode: 0o600 });
    for (const [file, message] of [
      [join(directory, 'missing'), /missing: cannot read: /],
      [short, /short: a token must be at least 16 characters/],
    ] as const) {
      const run = await runCli(['check', LOOPBACK, '--ports', '9', '--responder-token-file', file]);
      expect(run.code).toBe(65);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(message);
    }
  });
});

/** Sends `payload` on a new connection; how many bytes came back and whether it was closed soon. */
async function askResponderRaw(port: number, payload: Buffer) {
  const { connect } = await import('node:net');
  return new Promise<{ bytes: number; closedWithinMs: boolean }>((resolve) => {
    const socket = connect(port, LOOPBACK, () => socket.write(payload));
    let bytes = 0;
    const started = Date.now();
    socket.on('data', (chunk) => (bytes += chunk.length));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve({ bytes, closedWithinMs: Date.now() - started < 1000 }));
  });
}

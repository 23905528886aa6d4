// Windows' probe semantics, tested on any machine: the platform and the socket's timings are
// injected (a scripted connect() and fake timers), never process.platform.
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { probeTcpConnect, type ConnectEnvironment } from '../../src/probes/tcp-connect.js';
import { probeUdpSocket } from '../../src/probes/udp-socket.js';
import { WINDOWS_REFUSAL_WINDOW_MS } from '../../src/probes/platform-semantics.js';
import { detectRawSocketPrivilege, type VantageEnvironment } from '../../src/probes/vantage.js';
import { RawProbeEngine } from '../../src/probes/raw/engine.js';
import type { ProbeRecord, ProbeRequest } from '../../src/probes/types.js';

const REQUEST: ProbeRequest = {
  target: 'mp01',
  address: '198.18.2.2',
  protocol: 'tcp',
  port: 8443,
  roles: [],
};

/** A connect() whose socket answers as scripted: an error code (or 'connect') after `afterMs`, or never. */
function scriptedConnect(
  platform: NodeJS.Platform,
  answer?: { event: string; afterMs: number },
): ConnectEnvironment {
  return {
    platform,
    connect: () => {
      const socket = Object.assign(new EventEmitter(), { destroy: () => undefined });
      if (answer)
        setTimeout(() => {
          if (answer.event === 'connect') socket.emit('connect');
          else socket.emit('error', Object.assign(new Error(answer.event), { code: answer.event }));
        }, answer.afterMs);
      return socket as unknown as Socket;
    },
  };
}

/** Runs a probe to its end on fake time; resolves with the record and when (fake ms) it ended. */
async function probeAt(
  environment: ConnectEnvironment,
  timeoutMs: number,
): Promise<{ record: ProbeRecord; at: number }> {
  const started = Date.now();
  let record: ProbeRecord | undefined;
  void probeTcpConnect(REQUEST, { timeoutMs, udpRetries: 0 }, environment).then(
    (result) => (record = result),
  );
  while (record === undefined) await vi.advanceTimersByTimeAsync(10);
  return { record, at: Date.now() - started };
}

describe('TCP connect: a refusal from Windows comes after its SYN retries', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'Date', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('on Linux, silence past the timeout is filtered', async () => {
    const { record, at } = await probeAt(
      scriptedConnect('linux', { event: 'ECONNREFUSED', afterMs: 1500 }),
      500,
    );
    expect(record).toMatchObject({ state: 'filtered', reason: 'no-response', rttMs: null });
    expect(at).toBeLessThan(600);
  });

  it('on Windows, the same connect waits out the retries and is closed, without a round-trip time', async () => {
    const { record, at } = await probeAt(
      scriptedConnect('win32', { event: 'ECONNREFUSED', afterMs: 1500 }),
      500,
    );
    expect(record).toMatchObject({ state: 'closed', reason: 'conn-refused', rttMs: null });
    expect(record.detail).toMatch(
      /refused after 1500 ms: on Windows that includes its SYN retries after a RST/,
    );
    expect(at).toBeGreaterThanOrEqual(1500);
  });

  it('on Windows, silence is filtered once it outlasts the retries, saying so', async () => {
    const { record, at } = await probeAt(scriptedConnect('win32'), 500);
    expect(record).toMatchObject({ state: 'filtered', reason: 'no-response', rttMs: null });
    expect(record.detail).toMatch(/past the 500 ms timeout, waited out Windows' SYN retries/);
    expect(at).toBeGreaterThanOrEqual(WINDOWS_REFUSAL_WINDOW_MS);
  });

  it('on Windows, a timeout that covers the retries is kept as it is', async () => {
    const { record, at } = await probeAt(scriptedConnect('win32'), 4000);
    expect(record).toMatchObject({ state: 'filtered', reason: 'no-response' });
    expect(record.detail).toBeUndefined();
    expect(at).toBeGreaterThanOrEqual(4000);
    expect(at).toBeLessThan(4100);
  });

  it('keeps the round-trip time of an answer that is one: an open port, a refusal on Linux', async () => {
    const open = await probeAt(scriptedConnect('win32', { event: 'connect', afterMs: 40 }), 500);
    expect(open.record).toMatchObject({ state: 'open', reason: 'syn-ack', rttMs: 40 });
    const refused = await probeAt(scriptedConnect('linux', { event: 'ECONNREFUSED', afterMs: 40 }), 500);
    expect(refused.record).toMatchObject({ state: 'closed', reason: 'conn-refused', rttMs: 40 });
  });
});

describe('UDP silence from Windows', () => {
  it('stays open|filtered and says a closed port is silent too; elsewhere it says nothing more', async () => {
    // A UDP port on loopback that nothing reads would refuse on Linux: a bound, silent socket instead.
    const { createSocket } = await import('node:dgram');
    const silent = createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    const request = {
      ...REQUEST,
      address: '127.0.0.1',
      protocol: 'udp' as const,
      port: silent.address().port,
    };
    try {
      const options = { timeoutMs: 50, udpRetries: 0 };
      const fromWindows = await probeUdpSocket(request, options, { platform: 'win32' });
      expect(fromWindows).toMatchObject({ state: 'open|filtered', reason: 'no-response' });
      expect(fromWindows.detail).toMatch(/closed UDP port is silent too .*WSAECONNRESET.*libuv ignores/);
      const fromLinux = await probeUdpSocket(request, options, { platform: 'linux' });
      expect(fromLinux).toMatchObject({ state: 'open|filtered', reason: 'no-response' });
      expect(fromLinux.detail).toBeUndefined();
    } finally {
      silent.close();
    }
  });
});

describe('privileges on Windows', () => {
  const windows = (whoami: () => Promise<string>): VantageEnvironment => ({
    platform: 'win32',
    readFile: () => Promise.reject(new Error('no /proc on Windows')),
    run: (command, args) => {
      expect([command, ...args]).toEqual(['whoami', '/groups', '/fo', 'csv', '/nh']);
      return whoami();
    },
  });
  const HIGH =
    '"Mandatory Label\\High Mandatory Level","Label","S-1-16-12288","Mandatory group, Enabled by default, Enabled group"\r\n';
  const MEDIUM =
    '"Étiquette obligatoire\\Niveau obligatoire moyen","Étiquette","S-1-16-8192","Groupe obligatoire, Activé par défaut, Groupe activé"\r\n';

  it('reads elevation from the integrity level, in any display language, and says what it leaves out', async () => {
    const elevated = await detectRawSocketPrivilege(windows(async () => HIGH));
    expect(elevated.rawSocket).toBe(true);
    expect(elevated.detail).toMatch(
      /^elevated: ICMP echo over raw sockets can run; Windows refuses raw TCP sends \(client editions\)/,
    );
    expect(elevated.detail).toMatch(
      /ICMP path of tracert -d, which shows the routers but not a TCP-specific drop/,
    );
    const standard = await detectRawSocketPrivilege(windows(async () => MEDIUM));
    expect(standard).toMatchObject({ rawSocket: false });
    expect(standard.detail).toMatch(
      /^not elevated: for ICMP echo, run from an elevated prompt \(Run as administrator\)/,
    );
  });

  it('says when it cannot tell', async () => {
    const unknown = await detectRawSocketPrivilege(
      windows(() => Promise.reject(new Error('spawn whoami ENOENT'))),
    );
    expect(unknown).toMatchObject({ rawSocket: false });
    expect(unknown.detail).toMatch(/^elevation unknown \(whoami \/groups failed: spawn whoami ENOENT\)/);
  });

  it('does not open raw TCP sockets there: the path probes are skipped with the reason', async () => {
    await expect(RawProbeEngine.open({}, { platform: 'win32' })).rejects.toMatchObject({
      kind: 'open-failed',
      message: expect.stringMatching(/Windows refuses raw TCP sends/),
    });
  });
});

import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  icmpOutcomeOfError,
  IcmpEchoSession,
  openFailureOf,
  probeIcmpEcho,
} from '../../src/probes/icmp-echo.js';

// Loopback only: echo requests to 127.0.0.0/8 and ::1 never leave the machine.
const isRoot = process.getuid?.() === 0;
const hasSetpriv = spawnSync('setpriv', ['--version']).status === 0;

describe('probeIcmpEcho', () => {
  it.skipIf(!isRoot && process.env.CI !== 'true')(
    'gets an echo reply from 127.0.0.1 with a round-trip time and TTL',
    async () => {
      const result = await probeIcmpEcho('127.0.0.1', { timeoutMs: 1000 });
      expect(result).toMatchObject({ state: 'reachable', reason: 'echo-reply', from: '127.0.0.1' });
      expect(result.rttMs).toBeGreaterThan(0);
      expect(result.rttMs).toBeLessThan(1000);
      expect(result.ttl).toBeGreaterThan(0);
    },
  );

  it.skipIf(!isRoot && process.env.CI !== 'true')(
    'shares one session between targets and families',
    async () => {
      const session = new IcmpEchoSession({ timeoutMs: 1000, retries: 0 });
      try {
        expect(session.open()).toEqual({ ok: true });
        const [v4, other, v6] = await Promise.all([
          session.echo('127.0.0.1'),
          session.echo('127.0.0.2'),
          session.echo('::1'),
        ]);
        expect(v4).toMatchObject({ state: 'reachable', from: '127.0.0.1' });
        expect(other).toMatchObject({ state: 'reachable', from: '127.0.0.2' });
        // Raw IPv6 sockets do not hand over the IP header, so the hop limit stays unknown.
        expect(v6).toMatchObject({ state: 'reachable', from: '::1', ttl: null });
      } finally {
        session.close();
      }
    },
  );

  it('refuses a host name: resolving is the caller’s job', () => {
    expect(() => new IcmpEchoSession({ timeoutMs: 100 }).echo('localhost')).toThrow(TypeError);
  });

  it.skipIf((!isRoot || !hasSetpriv) && process.env.CI !== 'true')(
    'returns a no-privilege result without CAP_NET_RAW',
    () => {
      const script = [
        "import { probeIcmpEcho } from './src/probes/icmp-echo.ts';",
        "console.log(JSON.stringify(await probeIcmpEcho('127.0.0.1', { timeoutMs: 500 })));",
      ].join('\n');
      const output = execFileSync(
        'setpriv',
        [
          ...['--inh-caps=-net_raw', '--bounding-set=-net_raw'],
          ...[process.execPath, '--import', 'tsx', '--input-type=module', '-e', script],
        ],
        { encoding: 'utf8' },
      );
      expect(JSON.parse(output)).toMatchObject({ state: 'error', reason: 'no-privilege', rttMs: null });
    },
  );
});

describe('icmpOutcomeOfError', () => {
  const named = (name: string, message: string, source?: string) =>
    Object.assign(new Error(message), { name, ...(source ? { source } : {}) });

  it.each([
    [named('RequestTimedOutError', 'Request timed out'), { state: 'unreachable', reason: 'no-response' }],
    [
      named('DestinationUnreachableError', 'Destination unreachable (source=198.18.2.2)', '198.18.2.2'),
      { state: 'unreachable', reason: 'dest-unreach', from: '198.18.2.2' },
    ],
    [
      named('TimeExceededError', 'Time exceeded (source=198.18.1.1)', '198.18.1.1'),
      { state: 'unreachable', reason: 'time-exceeded', from: '198.18.1.1' },
    ],
    [
      named('RedirectReceivedError', 'Redirect received', '198.18.1.1'),
      { state: 'error', reason: 'icmp-error' },
    ],
    [new Error('Socket forcibly closed'), { state: 'error', reason: 'aborted' }],
    [new Error('Network is unreachable'), { state: 'unreachable', reason: 'no-route' }],
    [new Error('Operation not permitted'), { state: 'unreachable', reason: 'local-policy' }],
    [new Error('No buffer space available'), { state: 'error', reason: 'local-error' }],
  ])('maps %s', (error, expected) => {
    expect(icmpOutcomeOfError(error)).toMatchObject(expected);
  });
});

describe('openFailureOf', () => {
  it('tells a missing privilege from another failure to open the socket', () => {
    expect(openFailureOf(new Error('Operation not permitted'))).toMatchObject({
      ok: false,
      reason: 'no-privilege',
    });
    expect(openFailureOf(new Error('Permission denied'))).toMatchObject({
      ok: false,
      reason: 'no-privilege',
    });
    expect(openFailureOf(new Error('Too many open files'))).toMatchObject({
      ok: false,
      reason: 'local-error',
    });
  });
});

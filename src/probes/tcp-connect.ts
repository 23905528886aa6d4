import { connect, type NetConnectOpts, type Socket } from 'node:net';
import { outcomeOfErrno } from './os-errors.js';
import {
  connectSilenceAfterMs,
  connectSilenceDetail,
  HOST_PLATFORM,
  refusalTiming,
  type ProbePlatform,
} from './platform-semantics.js';
import { setSilenceTimer } from './silence-timer.js';
import type { ProbeOptions, ProbeReason, ProbeRecord, ProbeRequest, ProbeState } from './types.js';

/** What a connect probe needs from its host: the platform (for its semantics) and connect(). */
export interface ConnectEnvironment extends ProbePlatform {
  readonly connect: (options: NetConnectOpts) => Socket;
}

const HOST_CONNECT: ConnectEnvironment = { ...HOST_PLATFORM, connect: (options) => connect(options) };

/**
 * TCP connect probe: a full handshake through the OS stack. Needs no privileges; cannot tell a forged
 * RST from a real one (the raw-socket probes do). On Windows it waits out the SYN retries Windows
 * makes after a RST before it calls silence silence (platform-semantics.ts).
 */
export function probeTcpConnect(
  request: ProbeRequest,
  options: ProbeOptions,
  environment: ConnectEnvironment = HOST_CONNECT,
): Promise<ProbeRecord> {
  if (options.signal?.aborted) {
    return Promise.resolve({ ...baseRecord(request), state: 'error', reason: 'aborted', rttMs: null });
  }
  return new Promise((resolve) => {
    const started = performance.now();
    let settled = false;
    const socket = environment.connect({ host: request.address, port: request.port, noDelay: true });
    const finish = (state: ProbeState, reason: ProbeReason, rttMs: number | null, detail?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve({ ...baseRecord(request), state, reason, rttMs, ...(detail ? { detail } : {}) });
    };
    const elapsed = () => roundMs(performance.now() - started);
    const onAbort = () => finish('error', 'aborted', null);
    const timer = setSilenceTimer(
      () =>
        finish(
          'filtered',
          'no-response',
          null,
          connectSilenceDetail(environment, options.timeoutMs, elapsed()),
        ),
      connectSilenceAfterMs(environment, options.timeoutMs),
    );
    options.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => finish('open', 'syn-ack', elapsed()));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      const outcome = outcomeOfErrno(error.code);
      if (outcome.state === 'closed') {
        const { rttMs, detail } = refusalTiming(environment, elapsed());
        return finish(outcome.state, outcome.reason, rttMs, detail);
      }
      // A timeout reported by the kernel is silence, not an answer.
      const answered = outcome.reason !== 'no-response' && outcome.state !== 'error';
      finish(
        outcome.state,
        outcome.reason,
        answered ? elapsed() : null,
        outcome.state === 'error' ? error.code : undefined,
      );
    });
  });
}

export function baseRecord(request: ProbeRequest) {
  return {
    target: request.target,
    address: request.address,
    protocol: request.protocol,
    port: request.port,
    roles: request.roles,
  };
}

export function roundMs(ms: number): number {
  return Math.round(ms * 100) / 100;
}

import { connect } from 'node:net';
import { outcomeOfErrno } from './os-errors.js';
import { setSilenceTimer } from './silence-timer.js';
import type { ProbeOptions, ProbeReason, ProbeRecord, ProbeRequest, ProbeState } from './types.js';

/**
 * TCP connect probe: a full handshake through the OS stack. Needs no privileges; cannot tell a forged
 * RST from a real one (the raw-socket probes do).
 */
export function probeTcpConnect(request: ProbeRequest, options: ProbeOptions): Promise<ProbeRecord> {
  if (options.signal?.aborted) {
    return Promise.resolve({ ...baseRecord(request), state: 'error', reason: 'aborted', rttMs: null });
  }
  return new Promise((resolve) => {
    const started = performance.now();
    let settled = false;
    const socket = connect({ host: request.address, port: request.port, noDelay: true });
    const finish = (state: ProbeState, reason: ProbeReason, answered: boolean, detail?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      const rttMs = answered ? roundMs(performance.now() - started) : null;
      resolve({ ...baseRecord(request), state, reason, rttMs, ...(detail ? { detail } : {}) });
    };
    const onAbort = () => finish('error', 'aborted', false);
    const timer = setSilenceTimer(() => finish('filtered', 'no-response', false), options.timeoutMs);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => finish('open', 'syn-ack', true));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      const outcome = outcomeOfErrno(error.code);
      // A timeout reported by the kernel is silence, not an answer.
      const answered = outcome.reason !== 'no-response' && outcome.state !== 'error';
      finish(outcome.state, outcome.reason, answered, outcome.state === 'error' ? error.code : undefined);
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

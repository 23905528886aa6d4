import { createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { outcomeOfErrno } from './os-errors.js';
import { HOST_PLATFORM, udpSilenceDetail, type ProbePlatform } from './platform-semantics.js';
import { setSilenceTimer } from './silence-timer.js';
import { baseRecord, roundMs } from './tcp-connect.js';
import type { ProbeOptions, ProbeReason, ProbeRecord, ProbeRequest, ProbeState } from './types.js';

/** Small, recognisable payload: enough for echo/discard services, harmless to anything else. */
const PAYLOAD = Buffer.from('portflight udp probe\n');

/**
 * UDP probe over a connected socket: a reply is `open`; ICMP port-unreachable arrives as ECONNREFUSED
 * (`closed`); silence after every retry is `open|filtered`, since UDP services need not answer
 * (and, from Windows, closed ports do not either: platform-semantics.ts).
 */
export function probeUdpSocket(
  request: ProbeRequest,
  options: ProbeOptions,
  platform: ProbePlatform = HOST_PLATFORM,
): Promise<ProbeRecord> {
  return new Promise((resolve) => {
    const socket = createSocket(isIPv6(request.address) ? 'udp6' : 'udp4');
    let settled = false;
    let attempt = 0;
    let sentAt = 0;
    let timer: NodeJS.Timeout | undefined;
    const finish = (state: ProbeState, reason: ProbeReason, answered: boolean, detail?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      socket.close();
      const rttMs = answered ? roundMs(performance.now() - sentAt) : null;
      resolve({ ...baseRecord(request), state, reason, rttMs, ...(detail ? { detail } : {}) });
    };
    const onAbort = () => finish('error', 'aborted', false);
    const send = () => {
      attempt += 1;
      sentAt = performance.now();
      socket.send(PAYLOAD, (error) => {
        if (error) fail(error as NodeJS.ErrnoException);
      });
      timer = setSilenceTimer(() => {
        if (settled) return;
        if (attempt > options.udpRetries)
          finish('open|filtered', 'no-response', false, udpSilenceDetail(platform));
        else send();
      }, options.timeoutMs);
    };
    const fail = (error: NodeJS.ErrnoException) => {
      const outcome = outcomeOfErrno(error.code);
      const reason = outcome.reason === 'conn-refused' ? 'port-unreach' : outcome.reason;
      finish(
        outcome.state,
        reason,
        outcome.state !== 'error',
        outcome.state === 'error' ? error.code : undefined,
      );
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) return onAbort();
    socket.on('error', fail);
    socket.on('message', () => finish('open', 'udp-response', true));
    socket.connect(request.port, request.address, send);
  });
}

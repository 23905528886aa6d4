import { baseRecord } from '../tcp-connect.js';
import type { Prober, ProbeRecord } from '../types.js';
import { attributeSocketProbe } from './attribute.js';
import type { RawProbeEngine } from './engine.js';
import type { RawReply } from './engine.js';
import { FULL_TTL } from './walk.js';

/**
 * A SYN, and again at even fractions of the timeout while nothing answered: a lost packet is
 * made up for within the same timeout instead of a second one (nmap retransmits too), and silence
 * is declared once, at the end. The first answer wins.
 */
function askWithEarlyRetransmits(
  engine: RawProbeEngine,
  address: string,
  port: number,
  timeoutMs: number,
  retransmits: number,
): Promise<RawReply> {
  if (retransmits === 0) return engine.sendTcpSyn(address, port, FULL_TTL, timeoutMs);
  const step = timeoutMs / (retransmits + 1);
  return new Promise((resolve) => {
    const timers: NodeJS.Timeout[] = [];
    let outstanding = retransmits + 1;
    let silence: RawReply | undefined;
    const settle = (reply: RawReply) => {
      outstanding -= 1;
      if (reply.kind === 'none' && outstanding > 0) {
        silence ??= reply;
        return;
      }
      timers.forEach(clearTimeout);
      outstanding = -Infinity; // later replies are ignored
      resolve(reply.kind === 'none' ? (silence ?? reply) : reply);
    };
    const ask = (index: number) => {
      if (outstanding < 0) return;
      void engine.sendTcpSyn(address, port, FULL_TTL, timeoutMs - index * step).then((reply) => {
        if (outstanding >= 0) settle(reply);
      });
    };
    ask(0);
    for (let index = 1; index <= retransmits; index += 1) {
      timers.push(
        setTimeout(() => {
          if (outstanding >= 0) ask(index);
        }, index * step),
      );
    }
  });
}

/**
 * TCP probe by a raw SYN (a "SYN scan", as nmap does when it has the privilege): no socket, no file
 * descriptor and no handshake per probe, so thousands of ports are asked at a fraction of
 * connect()'s cost, and every answer arrives with its sender and TTL. The kernel answers the
 * SYN-ACK with a RST (it knows no such connection), so nothing is left half-open on the server.
 * connect() remains the probe without raw sockets; HTTP/TLS probes of open ports use real
 * connections either way.
 */
export function synProber(engine: RawProbeEngine, options: { earlyRetransmits?: number } = {}): Prober {
  const retransmits = options.earlyRetransmits ?? 0;
  return async (request, probeOptions) => {
    if (probeOptions.signal?.aborted)
      return { ...baseRecord(request), state: 'error', reason: 'aborted', rttMs: null };
    const reply = await askWithEarlyRetransmits(
      engine,
      request.address,
      request.port,
      probeOptions.timeoutMs,
      retransmits,
    );
    const options = probeOptions;
    const base = baseRecord(request);
    const silent: ProbeRecord = { ...base, state: 'filtered', reason: 'no-response', rttMs: null };
    switch (reply.kind) {
      case 'syn-ack':
      case 'rst': {
        // Matched on (address, ports): the answer carries the destination's address, forged or not.
        const outcome =
          reply.kind === 'syn-ack'
            ? { state: 'open' as const, reason: 'syn-ack' as const }
            : { state: 'closed' as const, reason: 'conn-refused' as const };
        return attributeSocketProbe({ ...base, ...outcome, rttMs: reply.rttMs }, reply);
      }
      case 'unreachable':
        return attributeSocketProbe({ ...silent, reason: 'host-unreach', rttMs: reply.rttMs }, reply);
      case 'error':
        return {
          ...base,
          state: 'error',
          reason: options.signal?.aborted ? 'aborted' : 'local-error',
          rttMs: null,
          ...(reply.detail ? { detail: reply.detail } : {}),
        };
      default:
        return silent;
    }
  };
}

import { baseRecord } from '../tcp-connect.js';
import type { Prober, ProbeRecord } from '../types.js';
import { attributeSocketProbe } from './attribute.js';
import type { RawProbeEngine } from './engine.js';
import { FULL_TTL } from './walk.js';

/**
 * TCP probe by a raw SYN (a "SYN scan", as nmap does when it has the privilege): no socket, no file
 * descriptor and no handshake per probe, so thousands of ports are asked at a fraction of
 * connect()'s cost, and every answer arrives with its sender and TTL. The kernel answers the
 * SYN-ACK with a RST (it knows no such connection), so nothing is left half-open on the server.
 * connect() remains the probe without raw sockets; HTTP/TLS probes of open ports use real
 * connections either way.
 */
export function synProber(engine: RawProbeEngine): Prober {
  return async (request, options) => {
    if (options.signal?.aborted)
      return { ...baseRecord(request), state: 'error', reason: 'aborted', rttMs: null };
    const reply = await engine.sendTcpSyn(request.address, request.port, FULL_TTL, options.timeoutMs);
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

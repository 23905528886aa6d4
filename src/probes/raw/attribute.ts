// Pure: who answered a socket probe. connect() and dgram only say "refused" or "unreachable"; the
// raw sockets saw the packet behind it and its sender. Classified as nmap does: for TCP only a RST
// from the destination is `closed`; any ICMP unreachable is `filtered`, blamed on its sender.
import type { ProbeReason, ProbeRecord } from '../types.js';
import type { RawReply } from './engine.js';

const ICMP_PORT_UNREACHABLE = 3;

/** ICMP destination-unreachable codes (RFC 792, RFC 1812) to the probe vocabulary. */
export function reasonOfUnreachable(code: number | null): ProbeReason {
  switch (code) {
    case 9: // network administratively prohibited
      return 'net-prohibited';
    case 10: // host administratively prohibited
      return 'host-prohibited';
    case 13: // communication administratively prohibited (what firewalls send)
      return 'admin-prohibited';
    case ICMP_PORT_UNREACHABLE:
      return 'port-unreach';
    case 0:
    case 6:
    case 11:
      return 'net-unreach';
    default: // 1, 7, 12 and anything unusual: the host cannot be reached
      return 'host-unreach';
  }
}

export function withDetail(record: ProbeRecord, detail: string): string {
  return record.detail ? `${record.detail}; ${detail}` : detail;
}

/** Refusals and rejects whose sender the raw sockets should have seen. */
const ANSWERED_REASONS: ReadonlySet<ProbeReason> = new Set([
  'conn-refused',
  'port-unreach',
  'host-unreach',
  'net-unreach',
]);

/**
 * A connect-phase record with the raw answer seen for it (if any). Without a raw answer a refusal
 * stays as the OS reported it but carries no `replyFrom`: it is unattributed.
 */
export function attributeSocketProbe(record: ProbeRecord, answer: RawReply | undefined): ProbeRecord {
  const address = record.address;
  if (address === null || record.state === 'error') return record;
  if (!answer || answer.from === null) {
    if (!ANSWERED_REASONS.has(record.reason)) return record;
    const detail = 'the raw sockets saw no RST or ICMP error for it: its sender is unknown';
    return { ...record, detail: withDetail(record, detail) };
  }
  const seen = {
    replyFrom: answer.from,
    ...(answer.ttl === null ? {} : { replyTtl: answer.ttl }),
    ...(answer.fingerprint ? { replyFingerprint: answer.fingerprint } : {}),
  };
  const answeredAt = answer.rttMs ?? record.rttMs;
  if (answer.kind === 'syn-ack' || answer.kind === 'rst') {
    // connect() only accepts a SYN-ACK or RST from the destination's own address and port.
    if (record.protocol !== 'tcp' || (record.state !== 'open' && record.state !== 'closed')) return record;
    return { ...record, ...seen };
  }
  if (answer.kind !== 'unreachable') return record;
  const reason = reasonOfUnreachable(answer.icmpCode);
  const icmp = `ICMP 3/${answer.icmpCode} from ${answer.from}`;
  const fromDestination = answer.from === address;
  if (record.protocol === 'udp' && reason === 'port-unreach' && fromDestination)
    return { ...record, state: 'closed', reason, rttMs: answeredAt, ...seen };
  const by = fromDestination ? 'the destination host itself (its host firewall)' : answer.from;
  return {
    ...record,
    state: 'filtered',
    reason,
    rttMs: answeredAt,
    ...seen,
    blockedBy: fromDestination ? 'destination' : answer.from,
    localisation: 'probed',
    detail: withDetail(record, `rejected with ${icmp}: by ${by}`),
  };
}

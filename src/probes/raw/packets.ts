// Pure packet building and parsing for IPv4 raw-socket probes: no I/O, so it is unit-tested with
// fixed bytes. Raw IPv4 sockets hand us whole datagrams (IP header included) on receive; on send
// the kernel writes the IP header and we supply the TCP header only.

export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;

export const TCP_FLAG = { FIN: 0x01, SYN: 0x02, RST: 0x04, ACK: 0x10 } as const;

export const ICMP_DEST_UNREACHABLE = 3;
export const ICMP_TIME_EXCEEDED = 11;
export const ICMP_ECHO_REQUEST = 8;
export const ICMP_ECHO_REPLY = 0;

export interface Ipv4Packet {
  /** The type-of-service byte: DSCP (upper 6 bits) and ECN (lower 2). */
  readonly tos: number;
  /** Identification field: its behaviour (counter, zero, random) is part of a sender's fingerprint. */
  readonly id: number;
  readonly ttl: number;
  readonly protocol: number;
  readonly source: string;
  readonly destination: string;
  /** The bytes after the IP header (may be cut short inside an ICMP quote). */
  readonly payload: Buffer;
}

export interface TcpSegment {
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly flags: number;
  /** Undefined when the segment is cut before it. */
  readonly window?: number;
}

/** What an ICMP error quotes of the packet that caused it: enough to find the probe. */
export interface QuotedProbe {
  readonly protocol: number;
  readonly source: string;
  readonly destination: string;
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly tos: number;
  /** TCP fields, when the quote is long enough to hold them (RFC 792 promises only 8 bytes). */
  readonly tcp?: QuotedTcp;
}

export interface QuotedTcp {
  readonly sequence: number;
  /** Undefined when the quote stops before them. */
  readonly window?: number;
  readonly mss?: number;
  /** True when the quote holds the whole TCP header, options included. */
  readonly optionsQuoted: boolean;
}

export interface IcmpError {
  readonly type: number;
  readonly code: number;
  readonly quoted: QuotedProbe;
}

export function ipv4Bytes(address: string): Buffer {
  const octets = address.split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255))
    throw new Error(`not an IPv4 address: ${address}`);
  return Buffer.from(octets);
}

function formatIpv4(buffer: Buffer, offset: number): string {
  return [0, 1, 2, 3].map((i) => buffer[offset + i] ?? 0).join('.');
}

/** RFC 1071 one's-complement sum, folded; `initial` chains several buffers. */
export function onesComplementSum(buffer: Buffer, initial = 0): number {
  let sum = initial;
  for (let i = 0; i + 1 < buffer.length; i += 2) sum += buffer.readUInt16BE(i);
  if (buffer.length % 2 === 1) sum += (buffer[buffer.length - 1] ?? 0) << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** TCP checksum over the pseudo-header (src, dst, 0, proto 6, length) and the segment. */
export function tcpChecksum(source: string, destination: string, segment: Buffer): number {
  return ~onesComplementSum(segment, pseudoHeaderSum(source, destination, segment.length)) & 0xffff;
}

/** The pseudo-header's sum, remembered per (source, destination, length): a scan sends thousands. */
const pseudoSums = new Map<string, number>();
function pseudoHeaderSum(source: string, destination: string, length: number): number {
  const key = `${source}|${destination}|${length}`;
  let sum = pseudoSums.get(key);
  if (sum === undefined) {
    const pseudo = Buffer.alloc(12);
    ipv4Bytes(source).copy(pseudo, 0);
    ipv4Bytes(destination).copy(pseudo, 4);
    pseudo[9] = IPPROTO_TCP;
    pseudo.writeUInt16BE(length, 10);
    sum = onesComplementSum(pseudo);
    if (pseudoSums.size > 65_536) pseudoSums.clear();
    pseudoSums.set(key, sum);
  }
  return sum;
}

export interface SynSpec {
  readonly source: string;
  readonly destination: string;
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly sequence: number;
}

/** What every probe SYN carries, so that a quote showing other values proves a rewrite on the way. */
export const SYN_WINDOW = 64240; // a common Linux SYN value, unremarkable to IDSs
export const SYN_MSS = 1460;

/**
 * A 24-byte TCP SYN header with one option, MSS: every stack accepts it, and a middlebox that clamps
 * the MSS shows itself in the time-exceeded quotes of the hops after it (the tracebox method).
 */
export function buildTcpSyn(spec: SynSpec): Buffer {
  const segment = Buffer.alloc(24);
  segment.writeUInt16BE(spec.sourcePort, 0);
  segment.writeUInt16BE(spec.destinationPort, 2);
  segment.writeUInt32BE(spec.sequence >>> 0, 4);
  segment[12] = 6 << 4; // data offset: 6 words
  segment[13] = TCP_FLAG.SYN;
  segment.writeUInt16BE(SYN_WINDOW, 14);
  segment[20] = 2; // option kind MSS
  segment[21] = 4;
  segment.writeUInt16BE(SYN_MSS, 22);
  segment.writeUInt16BE(tcpChecksum(spec.source, spec.destination, segment), 16);
  return segment;
}

/** Parses an IPv4 header; undefined for anything that is not a plausible IPv4 packet. */
export function parseIpv4(packet: Buffer): Ipv4Packet | undefined {
  if (packet.length < 20 || (packet[0] ?? 0) >> 4 !== 4) return undefined;
  const headerLength = ((packet[0] ?? 0) & 0x0f) * 4;
  if (headerLength < 20 || packet.length < headerLength) return undefined;
  return {
    tos: packet[1] ?? 0,
    id: packet.readUInt16BE(4),
    ttl: packet[8] ?? 0,
    protocol: packet[9] ?? 0,
    source: formatIpv4(packet, 12),
    destination: formatIpv4(packet, 16),
    payload: packet.subarray(headerLength),
  };
}

export function parseTcp(segment: Buffer): TcpSegment | undefined {
  if (segment.length < 14) return undefined;
  return {
    sourcePort: segment.readUInt16BE(0),
    destinationPort: segment.readUInt16BE(2),
    flags: segment[13] ?? 0,
    ...(segment.length >= 16 ? { window: segment.readUInt16BE(14) } : {}),
  };
}

/**
 * Parses an ICMP time-exceeded or destination-unreachable message (the ICMP part, after the outer
 * IP header). RFC 792 guarantees the quote holds the original IP header and 8 bytes of its
 * payload: for TCP and UDP the ports are the first 4 of them.
 */
export function parseIcmpError(icmp: Buffer): IcmpError | undefined {
  if (icmp.length < 8) return undefined;
  const type = icmp[0] ?? 0;
  if (type !== ICMP_TIME_EXCEEDED && type !== ICMP_DEST_UNREACHABLE) return undefined;
  const inner = parseIpv4(icmp.subarray(8));
  if (!inner || inner.payload.length < 4) return undefined;
  if (inner.protocol === IPPROTO_ICMP) {
    // A quoted echo request: its identifier and sequence number stand in for the ports.
    if (inner.payload.length < 8 || inner.payload[0] !== ICMP_ECHO_REQUEST) return undefined;
    return {
      type,
      code: icmp[1] ?? 0,
      quoted: {
        protocol: IPPROTO_ICMP,
        source: inner.source,
        destination: inner.destination,
        sourcePort: inner.payload.readUInt16BE(4),
        destinationPort: inner.payload.readUInt16BE(6),
        tos: inner.tos,
      },
    };
  }
  if (inner.protocol !== IPPROTO_TCP && inner.protocol !== IPPROTO_UDP) return undefined;
  return {
    type,
    code: icmp[1] ?? 0,
    quoted: {
      protocol: inner.protocol,
      source: inner.source,
      destination: inner.destination,
      sourcePort: inner.payload.readUInt16BE(0),
      destinationPort: inner.payload.readUInt16BE(2),
      tos: inner.tos,
      ...(inner.protocol === IPPROTO_TCP && inner.payload.length >= 8
        ? { tcp: parseQuotedTcp(inner.payload) }
        : {}),
    },
  };
}

function parseQuotedTcp(segment: Buffer): QuotedTcp {
  const sequence = segment.readUInt32BE(4);
  if (segment.length < 16) return { sequence, optionsQuoted: false };
  const window = segment.readUInt16BE(14);
  const headerLength = ((segment[12] ?? 0) >> 4) * 4;
  let mss: number | undefined;
  for (let offset = 20; offset + 1 < Math.min(headerLength, segment.length);) {
    const kind = segment[offset] ?? 0;
    if (kind === 0) break;
    if (kind === 1) {
      offset += 1;
      continue;
    }
    const length = segment[offset + 1] ?? 0;
    if (length < 2) break;
    if (kind === 2 && length === 4 && offset + 4 <= segment.length) mss = segment.readUInt16BE(offset + 2);
    offset += length;
  }
  const optionsQuoted = headerLength >= 20 && segment.length >= headerLength;
  return { sequence, window, optionsQuoted, ...(mss === undefined ? {} : { mss }) };
}

/** An ICMP echo request (8 header bytes + payload) with its checksum; the kernel adds the IP header. */
export function buildIcmpEcho(identifier: number, sequence: number, payload: Buffer): Buffer {
  const message = Buffer.alloc(8 + payload.length);
  message[0] = ICMP_ECHO_REQUEST;
  message.writeUInt16BE(identifier, 4);
  message.writeUInt16BE(sequence, 6);
  payload.copy(message, 8);
  message.writeUInt16BE(~onesComplementSum(message) & 0xffff, 2);
  return message;
}

/** Identifier and sequence of an echo reply (the ICMP part), or undefined for anything else. */
export function parseIcmpEchoReply(icmp: Buffer): { identifier: number; sequence: number } | undefined {
  if (icmp.length < 8 || icmp[0] !== ICMP_ECHO_REPLY) return undefined;
  return { identifier: icmp.readUInt16BE(4), sequence: icmp.readUInt16BE(6) };
}

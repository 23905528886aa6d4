// Packet building and parsing against real bytes; needs no privileges.
import { describe, expect, it } from 'vitest';
import {
  IPPROTO_TCP,
  IPPROTO_UDP,
  SYN_MSS,
  SYN_WINDOW,
  TCP_FLAG,
  buildIcmpEcho,
  buildTcpSyn,
  ipv4Bytes,
  onesComplementSum,
  parseIcmpEchoReply,
  parseIcmpError,
  parseIpv4,
  parseTcp,
  tcpChecksum,
  type QuotedProbe,
} from '../../../src/probes/raw/packets.js';
import { rewritesOf, type SentProbe } from '../../../src/probes/raw/rewrites.js';

// A SYN sent by nmap 7.93 (`nmap -sS -p 7777`), captured on a raw socket at 198.18.200.2: nmap
// computes both checksums in user space, so they are an independent reference (IP 0x9035, TCP 0x2913).
const NMAP_SYN = Buffer.from(
  '4500002cdb6d000033069035c612c801c612c802d46e1e61f6936586000000006002040029130000020405b4',
  'hex',
);

function zeroed(buffer: Buffer, offset: number): Buffer {
  const copy = Buffer.from(buffer);
  copy.writeUInt16BE(0, offset);
  return copy;
}

/**
 * An ICMP error from `from` quoting the first `quoted` bytes of `original`: 28 (the IP header and
 * 8 bytes, all RFC 792 asks) as many routers send it, or more (RFC 1812 routers quote up to 576).
 */
function icmpError(from: string, type: number, code: number, original: Buffer, quoted = 28): Buffer {
  const icmp = Buffer.concat([Buffer.from([type, code, 0, 0, 0, 0, 0, 0]), original.subarray(0, quoted)]);
  icmp.writeUInt16BE(~onesComplementSum(icmp) & 0xffff, 2);
  const ip = Buffer.from('450000000000000040010000c0a80101c612c801', 'hex');
  ip.writeUInt16BE(20 + icmp.length, 2);
  Buffer.from(from.split('.').map(Number)).copy(ip, 12);
  return Buffer.concat([ip, icmp]);
}

describe('raw packets', () => {
  it('computes the TCP checksum nmap computed, over the pseudo-header, options included', () => {
    const segment = zeroed(NMAP_SYN.subarray(20), 16);
    expect(tcpChecksum('198.18.200.1', '198.18.200.2', segment).toString(16)).toBe('2913');
  });

  it('computes the IPv4 header checksum with the same one-complement sum', () => {
    const header = zeroed(NMAP_SYN.subarray(0, 20), 10);
    expect((~onesComplementSum(header) & 0xffff).toString(16)).toBe('9035');
  });

  it('builds a SYN whose checksum verifies and whose fields are the ones asked for', () => {
    const spec = {
      source: '198.18.1.1',
      destination: '198.18.4.2',
      sourcePort: 23456,
      destinationPort: 8080,
    };
    const syn = buildTcpSyn({ ...spec, sequence: 0xdeadbeef });
    // 20 header bytes and one option, MSS 1460: data offset 6 words.
    expect(syn).toHaveLength(24);
    expect(parseTcp(syn)).toEqual({
      sourcePort: 23456,
      destinationPort: 8080,
      flags: TCP_FLAG.SYN,
      window: SYN_WINDOW,
    });
    expect(syn.readUInt32BE(4)).toBe(0xdeadbeef);
    expect(syn[12]).toBe(6 << 4);
    expect([...syn.subarray(20)]).toEqual([2, 4, SYN_MSS >> 8, SYN_MSS & 0xff]);
    // A correct checksum makes the whole sum (pseudo-header included) verify to zero.
    expect(tcpChecksum(spec.source, spec.destination, syn)).toBe(0);
  });

  it('parses an IPv4 header: TOS, identification, TTL, protocol, addresses and payload', () => {
    expect(parseIpv4(NMAP_SYN)).toMatchObject({
      tos: 0,
      id: 0xdb6d,
      ttl: 51,
      protocol: IPPROTO_TCP,
      source: '198.18.200.1',
      destination: '198.18.200.2',
    });
    expect(parseIpv4(NMAP_SYN)?.payload).toHaveLength(24);
    expect(parseIpv4(Buffer.from('6000', 'hex'))).toBeUndefined();
    expect(parseIpv4(NMAP_SYN.subarray(0, 19))).toBeUndefined();
  });

  it('finds the probe quoted in a time-exceeded message by its addresses and ports', () => {
    const packet = parseIpv4(icmpError('198.18.2.2', 11, 0, NMAP_SYN));
    expect(packet).toMatchObject({ source: '198.18.2.2', ttl: 64 });
    expect(parseIcmpError(packet?.payload ?? Buffer.alloc(0))).toEqual({
      type: 11,
      code: 0,
      quoted: {
        protocol: IPPROTO_TCP,
        source: '198.18.200.1',
        destination: '198.18.200.2',
        sourcePort: 54382,
        destinationPort: 7777,
        tos: 0,
        // 8 quoted TCP bytes: the sequence number, not the window nor the options.
        tcp: { sequence: 0xf6936586, optionsQuoted: false },
      },
    });
  });

  it('reads the code of an admin-prohibited unreachable and the ports of a quoted UDP datagram', () => {
    const udp = Buffer.from('4500002000004000401100000a0000010a000002c350270f000c0000', 'hex');
    const icmp = parseIpv4(icmpError('198.18.2.2', 3, 13, udp))?.payload ?? Buffer.alloc(0);
    expect(parseIcmpError(icmp)).toMatchObject({
      type: 3,
      code: 13,
      quoted: { protocol: IPPROTO_UDP, destination: '10.0.0.2', sourcePort: 50000, destinationPort: 9999 },
    });
  });

  it('ignores ICMP that is not an error about TCP or UDP, and truncated quotes', () => {
    const echoReply = Buffer.from('0000ffff00010001', 'hex');
    expect(parseIcmpError(echoReply)).toBeUndefined();
    const truncated = parseIpv4(icmpError('198.18.2.2', 11, 0, NMAP_SYN))?.payload.subarray(0, 30);
    expect(parseIcmpError(truncated ?? Buffer.alloc(0))).toBeUndefined();
  });
});

/** The probe SYN as it leaves (IP header with this TOS, then buildTcpSyn's 24 bytes). */
function sentSyn(tos = 0, source = '198.18.1.1'): Buffer {
  const ip = Buffer.alloc(20);
  ip[0] = 0x45;
  ip[1] = tos;
  ip.writeUInt16BE(44, 2);
  ip[8] = 1; // the TTL that expires at the first hop
  ip[9] = IPPROTO_TCP;
  ipv4Bytes(source).copy(ip, 12);
  ipv4Bytes('198.18.4.2').copy(ip, 16);
  const tcp = buildTcpSyn({
    source,
    destination: '198.18.4.2',
    sourcePort: 40000,
    destinationPort: 8443,
    sequence: 0x01020304,
  });
  return Buffer.concat([ip, tcp]);
}

/** What a hop quoted of `probe`: `bytes` of it, through parseIcmpError. */
function quoteOf(probe: Buffer, bytes = probe.length): QuotedProbe {
  const icmp = parseIpv4(icmpError('198.18.2.2', 11, 0, probe, bytes))?.payload ?? Buffer.alloc(0);
  const parsed = parseIcmpError(icmp);
  if (!parsed) throw new Error('the time-exceeded did not parse');
  return parsed.quoted;
}

describe('quoted TCP header (the tracebox comparison)', () => {
  const sent: SentProbe = { source: '198.18.1.1', sourcePort: 40000, tos: 0, sequence: 0x01020304 };

  it('reads sequence, window and the MSS option from a quote of the whole SYN', () => {
    expect(quoteOf(sentSyn())).toEqual({
      protocol: IPPROTO_TCP,
      source: '198.18.1.1',
      destination: '198.18.4.2',
      sourcePort: 40000,
      destinationPort: 8443,
      tos: 0,
      tcp: { sequence: 0x01020304, window: SYN_WINDOW, mss: SYN_MSS, optionsQuoted: true },
    });
  });

  it('reads no MSS from a quote cut before the options, and says the options were not quoted', () => {
    // 20 bytes of IP header and the 20 fixed bytes of TCP header: the option is cut off.
    expect(quoteOf(sentSyn(), 40).tcp).toEqual({
      sequence: 0x01020304,
      window: SYN_WINDOW,
      optionsQuoted: false,
    });
  });

  it('reports nothing when the quote is the probe as sent', () => {
    expect(rewritesOf(sent, quoteOf(sentSyn()))).toEqual([]);
    expect(rewritesOf(sent, quoteOf(sentSyn(), 28))).toEqual([]);
  });

  it('reports a source rewritten by NAT', () => {
    expect(rewritesOf(sent, quoteOf(sentSyn(0, '203.0.113.7')))).toEqual([
      'source 198.18.1.1→203.0.113.7 (NAT)',
    ]);
  });

  it('reports a DSCP rewritten on the way (ECN apart)', () => {
    expect(rewritesOf(sent, quoteOf(sentSyn(8 << 2)))).toEqual(['dscp 0→8']);
    expect(rewritesOf(sent, quoteOf(sentSyn((8 << 2) | 1)))).toEqual(['dscp 0→8', 'ecn 0→1']);
  });

  it('reports an MSS clamped by a middlebox', () => {
    const clamped = sentSyn();
    clamped.writeUInt16BE(1400, 20 + 22);
    expect(rewritesOf(sent, quoteOf(clamped))).toEqual([`MSS ${SYN_MSS}→1400`]);
  });

  it('reports the MSS option stripped only when the quote holds the options', () => {
    // Stripped: the option is gone and the header is 20 bytes again (data offset 5).
    const stripped = sentSyn().subarray(0, 40);
    stripped[20 + 12] = 5 << 4;
    expect(rewritesOf(sent, quoteOf(stripped))).toEqual(['MSS option stripped']);
    // Replaced by NOPs: the options are quoted and hold no MSS.
    const nops = sentSyn();
    nops.fill(1, 40, 44);
    expect(rewritesOf(sent, quoteOf(nops))).toEqual(['MSS option stripped']);
    // A quote cut before the options cannot tell: nothing is reported.
    expect(rewritesOf(sent, quoteOf(sentSyn(), 40))).toEqual([]);
  });
});

describe('ICMP echo (traceroute) packets', () => {
  it('builds an echo request whose checksum verifies', () => {
    const message = buildIcmpEcho(0x1234, 7, Buffer.from('portflight'));
    expect(message[0]).toBe(8);
    expect(message.readUInt16BE(4)).toBe(0x1234);
    expect(message.readUInt16BE(6)).toBe(7);
    expect(onesComplementSum(message)).toBe(0xffff);
  });

  it('matches a time-exceeded quoting the echo by identifier and sequence', () => {
    const echo = buildIcmpEcho(0x1234, 7, Buffer.alloc(0));
    const innerIp = Buffer.alloc(20);
    innerIp[0] = 0x45;
    innerIp[9] = 1; // ICMP
    ipv4Bytes('198.18.1.1').copy(innerIp, 12);
    ipv4Bytes('198.18.4.2').copy(innerIp, 16);
    const timeExceeded = Buffer.concat([
      Buffer.from([11, 0, 0, 0, 0, 0, 0, 0]),
      innerIp,
      echo.subarray(0, 8),
    ]);
    expect(parseIcmpError(timeExceeded)).toEqual({
      type: 11,
      code: 0,
      quoted: {
        protocol: 1,
        source: '198.18.1.1',
        destination: '198.18.4.2',
        sourcePort: 0x1234,
        destinationPort: 7,
        tos: 0,
      },
    });
  });

  it('reads identifier and sequence of an echo reply, and ignores other ICMP', () => {
    const reply = buildIcmpEcho(0x4321, 9, Buffer.alloc(0));
    reply[0] = 0;
    expect(parseIcmpEchoReply(reply)).toEqual({ identifier: 0x4321, sequence: 9 });
    expect(parseIcmpEchoReply(buildIcmpEcho(1, 1, Buffer.alloc(0)))).toBeUndefined();
  });
});

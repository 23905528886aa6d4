// Packet building and parsing against real bytes; needs no privileges.
import { describe, expect, it } from 'vitest';
import {
  IPPROTO_TCP,
  IPPROTO_UDP,
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
} from '../../../src/probes/raw/packets.js';

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

/** An ICMP error from `from` quoting the first 28 bytes of `original`, as routers send it. */
function icmpError(from: string, type: number, code: number, original: Buffer): Buffer {
  const icmp = Buffer.concat([Buffer.from([type, code, 0, 0, 0, 0, 0, 0]), original.subarray(0, 28)]);
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
    expect(syn).toHaveLength(20);
    expect(parseTcp(syn)).toEqual({ sourcePort: 23456, destinationPort: 8080, flags: TCP_FLAG.SYN });
    expect(syn.readUInt32BE(4)).toBe(0xdeadbeef);
    // A correct checksum makes the whole sum (pseudo-header included) verify to zero.
    expect(tcpChecksum(spec.source, spec.destination, syn)).toBe(0);
  });

  it('parses an IPv4 header: TTL, protocol, addresses and payload', () => {
    expect(parseIpv4(NMAP_SYN)).toMatchObject({
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

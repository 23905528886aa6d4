import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { randomInt } from 'node:crypto';
import { isIPv4 } from 'node:net';
import { rawSocketErrorOf, RawSocketUnavailableError } from './errors.js';
import { HOST_PLATFORM, WINDOWS_RAW_TCP_LIMITS, type ProbePlatform } from '../platform-semantics.js';
import {
  ICMP_TIME_EXCEEDED,
  IPPROTO_ICMP,
  IPPROTO_TCP,
  IPPROTO_UDP,
  TCP_FLAG,
  buildIcmpEcho,
  buildTcpSyn,
  parseIcmpEchoReply,
  parseIcmpError,
  parseIpv4,
  parseTcp,
} from './packets.js';
import {
  drainRawSocket,
  loadRawSocketModule,
  type RawSocket,
  type RawSocketModule,
} from './raw-socket-facade.js';
import { sourceAddressFor } from './source-address.js';
import { Pacer } from './pacer.js';
import { FULL_TTL } from './walk.js';
import { rewritesOf, type SentProbe } from './rewrites.js';
import { setSilenceTimer } from '../silence-timer.js';

/** What one TTL-limited probe got back. Closed set; `error` means the probe could not be sent. */
export const RAW_REPLY_KINDS = [
  'syn-ack',
  'rst',
  'time-exceeded',
  'unreachable',
  'udp-reply',
  'echo-reply',
  'none',
  'error',
] as const;
export type RawReplyKind = (typeof RAW_REPLY_KINDS)[number];

export interface RawReply {
  readonly kind: RawReplyKind;
  /** Source address of the reply; null for `none` and `error`. */
  readonly from: string | null;
  /** IP TTL the reply arrived with; null when unknown (no reply, or a UDP reply read by dgram). */
  readonly ttl: number | null;
  readonly icmpType: number | null;
  readonly icmpCode: number | null;
  readonly rttMs: number | null;
  readonly detail?: string;
  /** Time-exceeded only: how the probe differed, on arrival at that hop, from what was sent. */
  readonly rewrites?: readonly string[];
  /** TCP replies only: what the sender's stack looks like, to tell a forged RST from the host's own. */
  readonly fingerprint?: { readonly ipId: number; readonly window: number | null };
}

/** An ICMP error that reached this host, whoever it was for: routers' rate-limit budgets count them all. */
export interface IcmpErrorSeen {
  readonly from: string;
  readonly type: number;
  readonly code: number;
  readonly at: number;
}

/**
 * What the raw sockets saw for a socket probe (connect(), dgram) of one (protocol, address, port):
 * the RST/SYN-ACK or ICMP error behind its outcome, with its sender. Read after the probe settles.
 */
export interface SocketProbeWatch {
  /** The latest answer seen, waiting up to `graceMs` for one when none has arrived yet. */
  answer(graceMs: number): Promise<RawReply | undefined>;
  /** The latest answer seen so far, without waiting. */
  latest(): RawReply | undefined;
  close(): void;
}

export interface RawEngineOptions {
  /** Global cap on packets sent per second by this engine, across all callers (default 500). */
  readonly ratePerSecond?: number;
}

interface Pending {
  readonly sentAt: { value: number };
  readonly sent?: SentProbe;
  /** The packet left: the timeout starts now. */
  markSent(): void;
  settle(reply: RawReply): void;
}

/** How long a probe may wait in raw-socket's send queue before its timeout starts anyway. */
const SEND_QUEUE_ALLOWANCE_MS = 1000;

interface Watch {
  latest?: RawReply;
  readonly startedAt: number;
  wake?: () => void;
}

/** Small, recognisable payload: enough for echo services, harmless to anything else. */
const UDP_PAYLOAD = Buffer.from('portflight udp probe\n');
// Raw SYNs use source ports below Linux's ephemeral range, so they never share a 4-tuple with a
// real connection of this host.
const TCP_SOURCE_PORTS = [20_000, 32_768] as const;
const silent = (detail?: string): RawReply => ({
  kind: detail === undefined ? 'none' : 'error',
  from: null,
  ttl: null,
  icmpType: null,
  icmpCode: null,
  rttMs: null,
  ...(detail === undefined ? {} : { detail }),
});
const keyOf = (protocol: number, destination: string, sourcePort: number, destinationPort: number) =>
  `${protocol}|${destination}|${sourcePort}|${destinationPort}`;
const watchKeyOf = (protocol: number, destination: string, destinationPort: number) =>
  `${protocol}|${destination}|${destinationPort}`;
const elapsed = (since: number) => Math.round((performance.now() - since) * 100) / 100;

/**
 * One per scan: a raw TCP socket (sends SYNs, receives SYN-ACK/RST with their IP TTL) and a raw ICMP
 * socket (time-exceeded, unreachable), shared by every probe in flight; replies are matched to
 * probes by (protocol, destination, source port, destination port). IPv4 only.
 */
export class RawProbeEngine {
  private readonly pending = new Map<string, Pending>();
  private readonly watches = new Map<string, Watch>();
  private readonly icmpListeners = new Set<(seen: IcmpErrorSeen) => void>();
  private readonly pacer: Pacer;
  private closed = false;
  /** Distinct from net-ping sessions (which use other identifiers) so replies are not confused. */
  private readonly echoIdentifier = randomInt(1, 0xffff);
  private echoSequence = 0;

  private constructor(
    private readonly raw: RawSocketModule,
    private readonly tcp: RawSocket,
    private readonly icmp: RawSocket,
    options: RawEngineOptions,
  ) {
    this.pacer = new Pacer(options.ratePerSecond ?? 500);
    drainRawSocket(tcp);
    drainRawSocket(icmp);
    tcp.on('message', (packet) => this.onTcp(packet));
    icmp.on('message', (packet) => this.onIcmp(packet));
    // raw-socket closes a socket after an error: every probe still waiting would never be answered.
    const broken = (error: Error) => this.failAll(`raw socket error: ${error.message}`);
    tcp.on('error', broken);
    icmp.on('error', broken);
  }

  /** Opens both raw sockets; throws RawSocketUnavailableError (e.g. `no-privilege`), never crashes. */
  static async open(
    options: RawEngineOptions = {},
    platform: ProbePlatform = HOST_PLATFORM,
  ): Promise<RawProbeEngine> {
    if (platform.platform === 'win32')
      throw new RawSocketUnavailableError('open-failed', WINDOWS_RAW_TCP_LIMITS);
    let raw: RawSocketModule;
    let tcp: RawSocket | undefined;
    try {
      raw = loadRawSocketModule();
      tcp = raw.createSocket({ protocol: raw.Protocol.TCP });
      const icmp = raw.createSocket({ protocol: raw.Protocol.ICMP });
      return new RawProbeEngine(raw, tcp, icmp, options);
    } catch (error) {
      tcp?.close();
      throw rawSocketErrorOf(error);
    }
  }

  /** A SYN with this TTL; resolves with the first matching reply or `none` after timeoutMs. */
  async sendTcpSyn(address: string, port: number, ttl: number, timeoutMs: number): Promise<RawReply> {
    const unusable = this.unusableFor(address);
    if (unusable) return silent(unusable);
    let source: string;
    try {
      source = await sourceAddressFor(address);
    } catch (error) {
      return silent(`no route to ${address}: ${(error as Error).message}`);
    }
    await this.paced(ttl);
    if (this.closed) return silent('engine closed');
    let sourcePort = randomInt(...TCP_SOURCE_PORTS);
    while (this.pending.has(keyOf(IPPROTO_TCP, address, sourcePort, port)))
      sourcePort = randomInt(...TCP_SOURCE_PORTS);
    const spec = {
      source,
      destination: address,
      sourcePort,
      destinationPort: port,
      sequence: randomInt(2 ** 32),
    };
    const segment = buildTcpSyn(spec);
    const sent: SentProbe = { source, sourcePort, tos: 0, sequence: spec.sequence };
    return this.track(keyOf(IPPROTO_TCP, address, sourcePort, port), timeoutMs, sent, (pending) =>
      this.sendRaw(this.tcp, segment, address, ttl, pending),
    );
  }

  /** A UDP datagram with this TTL from its own dgram socket (dgram sets TTL but not the source port). */
  async sendUdp(address: string, port: number, ttl: number, timeoutMs: number): Promise<RawReply> {
    const unusable = this.unusableFor(address);
    if (unusable) return silent(unusable);
    await this.paced(ttl);
    if (this.closed) return silent('engine closed');
    // Unconnected on purpose: the kernel then ignores ICMP errors for it, and we read them raw.
    const socket = createSocket('udp4');
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(0, () => {
          socket.off('error', reject);
          resolve();
        });
      });
      socket.setTTL(ttl);
    } catch (error) {
      socket.close();
      return silent(`udp socket: ${(error as Error).message}`);
    }
    const key = keyOf(IPPROTO_UDP, address, socket.address().port, port);
    return this.track(
      key,
      timeoutMs,
      undefined,
      (pending) => {
        socket.on('error', (error) => pending.settle(silent(`send failed: ${error.message}`)));
        socket.on('message', (_message, remote) => {
          if (remote.address !== address || remote.port !== port) return;
          pending.settle({
            ...silent(),
            kind: 'udp-reply',
            from: address,
            rttMs: elapsed(pending.sentAt.value),
          });
        });
        pending.markSent();
        socket.send(UDP_PAYLOAD, port, address, (error) => {
          if (error) pending.settle(silent(`send failed: ${error.message}`));
        });
      },
      () => closeQuietly(socket),
    );
  }

  /**
   * An ICMP echo request with this TTL (ICMP traceroute): the path to a host when no probed port
   * gets an answer from it. Matched by identifier (one per engine) and sequence number.
   */
  async sendIcmpEcho(address: string, ttl: number, timeoutMs: number): Promise<RawReply> {
    const unusable = this.unusableFor(address);
    if (unusable) return silent(unusable);
    await this.paced(ttl);
    if (this.closed) return silent('engine closed');
    this.echoSequence = (this.echoSequence + 1) & 0xffff;
    const sequence = this.echoSequence;
    const message = buildIcmpEcho(this.echoIdentifier, sequence, UDP_PAYLOAD);
    return this.track(
      keyOf(IPPROTO_ICMP, address, this.echoIdentifier, sequence),
      timeoutMs,
      undefined,
      (pending) => this.sendRaw(this.icmp, message, address, ttl, pending),
    );
  }

  /**
   * Starts watching for the answers to a socket probe (connect() or a dgram send) of this port: the
   * kernel hides who refused a connection, the raw sockets see it. Call before the probe starts.
   */
  watchSocketProbe(protocol: 'tcp' | 'udp', address: string, port: number): SocketProbeWatch {
    const key = watchKeyOf(protocol === 'tcp' ? IPPROTO_TCP : IPPROTO_UDP, address, port);
    const watch: Watch = { startedAt: performance.now() };
    this.watches.set(key, watch);
    return {
      answer: (graceMs) =>
        watch.latest !== undefined || graceMs <= 0 || this.closed
          ? Promise.resolve(watch.latest)
          : new Promise((resolve) => {
              const timer = setTimeout(() => done(), graceMs);
              const done = () => {
                clearTimeout(timer);
                watch.wake = undefined;
                resolve(watch.latest);
              };
              watch.wake = done;
            }),
      latest: () => watch.latest,
      close: () => {
        if (this.watches.get(key) === watch) this.watches.delete(key);
        watch.wake?.();
      },
    };
  }

  /** Calls `listener` for every ICMP error this host receives while the engine is open. */
  onIcmpError(listener: (seen: IcmpErrorSeen) => void): () => void {
    this.icmpListeners.add(listener);
    return () => this.icmpListeners.delete(listener);
  }

  /** The packet's turn at the engine's rate: a TTL-limited one (a walk's) goes ahead of full-TTL ones. */
  private paced(ttl: number): Promise<void> {
    return ttl < FULL_TTL ? this.pacer.waitAhead() : this.pacer.wait();
  }

  /** Releases both raw sockets; probes still waiting resolve as `error` (engine closed). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.failAll('engine closed');
    this.pacer.cancel();
    this.tcp.close();
    this.icmp.close();
  }

  /** Sends on a raw socket with this TTL; the probe's timeout starts when the packet leaves. */
  private sendRaw(socket: RawSocket, packet: Buffer, address: string, ttl: number, pending: Pending): void {
    socket.send(
      packet,
      0,
      packet.length,
      address,
      () => {
        // The TTL is per socket: set it just before this send, which raw-socket serialises.
        this.setTtl(socket, ttl);
        pending.markSent();
      },
      (error) => {
        if (error) pending.settle(silent(`send failed: ${error.message}`));
      },
    );
  }

  /** The socket's TTL as last set: a scan's thousands of full-TTL SYNs need no setsockopt each. */
  private readonly socketTtl = new Map<RawSocket, number>();

  private setTtl(socket: RawSocket, ttl: number): void {
    if (this.socketTtl.get(socket) === ttl) return;
    socket.setOption(this.raw.SocketLevel.IPPROTO_IP, this.raw.SocketOption.IP_TTL, ttl);
    this.socketTtl.set(socket, ttl);
  }

  private unusableFor(address: string): string | undefined {
    if (this.closed) return 'engine closed';
    if (!isIPv4(address)) return `unsupported: raw probes are IPv4 only (${address})`;
    return undefined;
  }

  /**
   * Registers a probe and sends it. Its timeout runs from the moment the packet really leaves
   * (`markSent`, called by the socket's before-send hook): raw-socket queues sends until the socket
   * is writable, and a timeout started at the queue would cut a busy scan's waits short.
   */
  private track(
    key: string,
    timeoutMs: number,
    sent: SentProbe | undefined,
    send: (pending: Pending) => void,
    cleanup?: () => void,
  ): Promise<RawReply> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const sentAt = { value: performance.now() };
      const pending: Pending = {
        sentAt,
        ...(sent ? { sent } : {}),
        markSent: () => {
          sentAt.value = performance.now();
          clearTimeout(timer);
          timer = setSilenceTimer(() => pending.settle(silent()), timeoutMs);
        },
        settle: (reply) => {
          if (this.pending.get(key) !== pending) return;
          this.pending.delete(key);
          clearTimeout(timer);
          cleanup?.();
          resolve(reply);
        },
      };
      // Armed now as well, in case the send hook never runs (the engine then fails every probe).
      timer = setSilenceTimer(() => pending.settle(silent()), timeoutMs + SEND_QUEUE_ALLOWANCE_MS);
      this.pending.set(key, pending);
      send(pending);
    });
  }

  private onTcp(packet: Buffer): void {
    const ip = parseIpv4(packet);
    const tcp = ip?.protocol === IPPROTO_TCP ? parseTcp(ip.payload) : undefined;
    if (!ip || !tcp) return;
    const synAck = TCP_FLAG.SYN | TCP_FLAG.ACK;
    const kind = (tcp.flags & synAck) === synAck ? 'syn-ack' : tcp.flags & TCP_FLAG.RST ? 'rst' : undefined;
    if (!kind) return;
    const reply = (since: number): RawReply => ({
      ...silent(),
      kind,
      from: ip.source,
      ttl: ip.ttl,
      rttMs: elapsed(since),
      fingerprint: { ipId: ip.id, window: tcp.window ?? null },
    });
    // Incoming: the segment's source is our destination, its destination port our source port.
    const pending = this.pending.get(keyOf(IPPROTO_TCP, ip.source, tcp.destinationPort, tcp.sourcePort));
    if (pending) return pending.settle(reply(pending.sentAt.value));
    this.deliverToWatch(watchKeyOf(IPPROTO_TCP, ip.source, tcp.sourcePort), reply);
  }

  private deliverToWatch(key: string, reply: (since: number) => RawReply): void {
    const watch = this.watches.get(key);
    if (!watch) return;
    watch.latest = reply(watch.startedAt);
    watch.wake?.();
  }

  private onIcmp(packet: Buffer): void {
    const ip = parseIpv4(packet);
    if (ip?.protocol !== IPPROTO_ICMP) return;
    const echo = parseIcmpEchoReply(ip.payload);
    if (echo) {
      const pending = this.pending.get(keyOf(IPPROTO_ICMP, ip.source, echo.identifier, echo.sequence));
      pending?.settle({
        ...silent(),
        kind: 'echo-reply',
        from: ip.source,
        ttl: ip.ttl,
        rttMs: elapsed(pending.sentAt.value),
      });
      return;
    }
    const icmp = parseIcmpError(ip.payload);
    if (!icmp) return;
    const seen = { from: ip.source, type: icmp.type, code: icmp.code, at: performance.now() };
    for (const listener of this.icmpListeners) listener(seen);
    const { quoted } = icmp;
    const timeExceeded = icmp.type === ICMP_TIME_EXCEEDED;
    const reply = (since: number, sent?: SentProbe): RawReply => {
      const rewrites = timeExceeded && sent ? rewritesOf(sent, quoted) : [];
      return {
        kind: timeExceeded ? 'time-exceeded' : 'unreachable',
        from: ip.source,
        ttl: ip.ttl,
        icmpType: icmp.type,
        icmpCode: icmp.code,
        rttMs: elapsed(since),
        ...(rewrites.length > 0 ? { rewrites } : {}),
      };
    };
    const pending = this.pending.get(
      keyOf(quoted.protocol, quoted.destination, quoted.sourcePort, quoted.destinationPort),
    );
    if (pending) return pending.settle(reply(pending.sentAt.value, pending.sent));
    this.deliverToWatch(watchKeyOf(quoted.protocol, quoted.destination, quoted.destinationPort), reply);
  }

  private failAll(detail: string): void {
    for (const pending of [...this.pending.values()]) pending.settle(silent(detail));
    for (const watch of this.watches.values()) watch.wake?.();
  }
}

function closeQuietly(socket: UdpSocket): void {
  try {
    socket.close();
  } catch {
    // already closed after an error
  }
}

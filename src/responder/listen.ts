import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, isIPv6, type Server, type Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import { describePortOwner, portTakenOnLinux } from './port-owner.js';
import { SourceRateLimit } from './rate-limit.js';
import {
  couldBeRequest,
  decodeRequest,
  encodeProof,
  REQUEST_BYTES,
  type ProofRequest,
  type WireProtocol,
} from './wire.js';

export interface ListenPort {
  readonly protocol: WireProtocol;
  readonly port: number;
}

export interface ResponderOptions {
  readonly token: Uint8Array;
  readonly identity: string;
  readonly ports: readonly ListenPort[];
  /** Local addresses to bind; every unicast address of this machine when empty. */
  readonly bind: readonly string[];
  /** One line per proof served, rate-limited source or refused port (never the token). */
  readonly log: (line: string) => void;
  /** A TCP connection that has not sent a whole request by then is closed unanswered. */
  readonly requestTimeoutMs?: number;
}

export interface PortRefusal extends ListenPort {
  readonly why: string;
}

export interface Responder {
  readonly bound: readonly ListenPort[];
  readonly refused: readonly PortRefusal[];
  /** Proofs served so far. */
  served(): number;
  close(): Promise<void>;
}

const REQUEST_TIMEOUT_MS = 2000;
/** Open TCP connections at once, per source and in all: a slow-loris source cannot hold many. */
const MAX_CONNECTIONS_PER_SOURCE = 8;
const MAX_CONNECTIONS = 256;
const RATE_LIMITS = { burst: 20, perSecond: 10, globalPerSecond: 200, maxSources: 4096 };
/** A rate-limited source is logged once per this long, not once per dropped packet. */
const RATE_LOG_INTERVAL_MS = 10_000;

/**
 * Binds every listed port that is free (and only those) and answers each valid request on it with a
 * proof. It never touches a port in use: it says who holds it instead, where the system tells.
 */
export async function startResponder(options: ResponderOptions): Promise<Responder> {
  const limit = new SourceRateLimit(RATE_LIMITS);
  const rateLogged = new Map<string, number>();
  let served = 0;
  const mayAnswer = (source: string, protocol: WireProtocol, port: number): boolean => {
    if (limit.take(source)) return true;
    const now = performance.now();
    if ((rateLogged.get(source) ?? -Infinity) + RATE_LOG_INTERVAL_MS < now) {
      rateLogged.set(source, now);
      options.log(`rate limit: dropping requests from ${source} (${protocol}/${port})`);
    }
    return false;
  };
  const proofServed = (request: ProofRequest, port: number, source: string, reachedAt: string) => {
    served += 1;
    const asked = request.port === port ? '' : `, asked for port ${request.port}`;
    options.log(`proof ${request.protocol}/${port} to ${source} (reached at ${reachedAt}${asked})`);
  };
  const context: PortContext = { ...options, mayAnswer, proofServed };
  const bound: ListenPort[] = [];
  const refused: PortRefusal[] = [];
  const closers: (() => Promise<void>)[] = [];
  for (const entry of options.ports) {
    const outcome =
      entry.protocol === 'tcp' ? await bindTcp(entry.port, context) : await bindUdp(entry.port, context);
    if ('close' in outcome) {
      bound.push(entry);
      closers.push(outcome.close);
    } else refused.push({ ...entry, why: outcome.why });
  }
  return {
    bound,
    refused,
    served: () => served,
    close: async () => {
      await Promise.all(closers.map((close) => close()));
    },
  };
}

interface PortContext extends ResponderOptions {
  /** Takes one answer from the source's rate limit; false when it is spent. */
  mayAnswer(source: string, protocol: WireProtocol, port: number): boolean;
  proofServed(request: ProofRequest, port: number, source: string, reachedAt: string): void;
}

type BindOutcome = { close: () => Promise<void> } | { why: string };

async function inUse(protocol: WireProtocol, port: number, code?: string): Promise<{ why: string }> {
  const what = code === 'EACCES' ? 'not permitted (EACCES)' : 'in use';
  return { why: `${what}: ${await describePortOwner(protocol, port)}` };
}

async function bindTcp(port: number, context: PortContext): Promise<BindOutcome> {
  if (await portTakenOnLinux('tcp', port)) return inUse('tcp', port);
  // Without --bind, one dual-stack wildcard socket: each connection still tells its local address.
  const hosts = context.bind.length > 0 ? context.bind : [undefined];
  const servers: Server[] = [];
  const connections = new Set<Socket>();
  const perSource = new Map<string, number>();
  const closeAll = async () => {
    for (const socket of connections) socket.destroy();
    await Promise.all(servers.map((server) => new Promise<void>((done) => server.close(() => done()))));
  };
  for (const host of hosts) {
    const server = createServer({ noDelay: true }, (socket) =>
      serveConnection(socket, port, context, connections, perSource),
    );
    server.maxConnections = MAX_CONNECTIONS;
    const error = await new Promise<NodeJS.ErrnoException | null>((done) => {
      server.once('error', done);
      server.listen({ port, ...(host === undefined ? {} : { host }), exclusive: true }, () => done(null));
    });
    if (error) {
      await closeAll();
      return inUse('tcp', port, error.code);
    }
    server.on('error', (late) => context.log(`tcp/${port}: ${late.message}`));
    servers.push(server);
  }
  return { close: closeAll };
}

function serveConnection(
  socket: Socket,
  port: number,
  context: PortContext,
  connections: Set<Socket>,
  perSource: Map<string, number>,
): void {
  const source = plainAddress(socket.remoteAddress ?? '');
  const open = perSource.get(source) ?? 0;
  if (open >= MAX_CONNECTIONS_PER_SOURCE) {
    socket.destroy();
    return;
  }
  perSource.set(source, open + 1);
  connections.add(socket);
  let received = Buffer.alloc(0);
  const timer = setTimeout(() => socket.destroy(), context.requestTimeoutMs ?? REQUEST_TIMEOUT_MS);
  socket.on('close', () => {
    clearTimeout(timer);
    connections.delete(socket);
    const left = (perSource.get(source) ?? 1) - 1;
    if (left <= 0) perSource.delete(source);
    else perSource.set(source, left);
  });
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
    // Anything that is not a request is closed at its first wrong byte, unanswered.
    if (!couldBeRequest(received)) return void socket.destroy();
    if (received.length < REQUEST_BYTES) return;
    const request = decodeRequest(received);
    if (!request || request.protocol !== 'tcp' || !context.mayAnswer(source, 'tcp', port))
      return void socket.destroy();
    clearTimeout(timer);
    const reachedAt = plainAddress(socket.localAddress ?? '');
    socket.end(encodeProof(context.token, request, { port, reachedAt, identity: context.identity }));
    context.proofServed(request, port, source, reachedAt);
  });
}

async function bindUdp(port: number, context: PortContext): Promise<BindOutcome> {
  if (await portTakenOnLinux('udp', port)) return inUse('udp', port);
  // One socket per local address: a datagram's local address is known only from the socket it came
  // to (Node has no IP_PKTINFO), and the proof must say where the request arrived.
  const addresses = context.bind.length > 0 ? context.bind : localUnicastAddresses();
  const sockets: UdpSocket[] = [];
  const closeAll = async () => {
    await Promise.all(sockets.map((socket) => new Promise<void>((done) => socket.close(() => done()))));
  };
  for (const address of addresses) {
    const socket = createSocket({ type: isIPv6(address) ? 'udp6' : 'udp4', reuseAddr: false });
    const error = await new Promise<NodeJS.ErrnoException | null>((done) => {
      socket.once('error', done);
      socket.bind({ port, address, exclusive: true }, () => done(null));
    });
    if (error) {
      socket.close();
      await closeAll();
      return inUse('udp', port, error.code);
    }
    socket.on('error', (late) => context.log(`udp/${port} on ${address}: ${late.message}`));
    socket.on('message', (message, remote) => {
      const request = decodeRequest(message);
      const source = plainAddress(remote.address);
      if (!request || request.protocol !== 'udp' || !context.mayAnswer(source, 'udp', port)) return;
      const proof = encodeProof(context.token, request, {
        port,
        reachedAt: address,
        identity: context.identity,
      });
      // No amplification, whatever a later format change does: a proof is never larger than its request.
      if (proof.length > message.length) return;
      socket.send(proof, remote.port, remote.address);
      context.proofServed(request, port, source, address);
    });
    sockets.push(socket);
  }
  return { close: closeAll };
}

/** Every IPv4 and global IPv6 address of this machine (link-local addresses need a scope; skipped). */
export function localUnicastAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((info) => info !== undefined && !/^fe80:/i.test(info.address))
    .map((info) => (info as { address: string }).address);
}

function plainAddress(address: string): string {
  return address.replace(/^::ffff:/i, '');
}

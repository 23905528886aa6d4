// Typed facade over raw-socket (CommonJS, untyped, native). Loaded lazily so that importing the
// probes layer never loads a native addon: a build without it fails in RawProbeEngine.open(),
// as a typed error, instead of at import.
import { requireOptionalAddon } from '../optional-addon.js';

export interface RawSocket {
  on(event: 'message', listener: (packet: Buffer, source: string) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  on(event: 'close', listener: () => void): this;
  send(
    buffer: Buffer,
    offset: number,
    length: number,
    address: string,
    beforeSend: () => void,
    afterSend: (error: Error | null, bytes: number) => void,
  ): this;
  setOption(level: number, option: number, value: number): void;
  close(): this;
}

export interface RawSocketModule {
  createSocket(options: { protocol: number; addressFamily?: number; bufferSize?: number }): RawSocket;
  readonly Protocol: { readonly ICMP: number; readonly TCP: number; readonly UDP: number };
  readonly AddressFamily: { readonly IPv4: number; readonly IPv6: number };
  readonly SocketLevel: { readonly IPPROTO_IP: number };
  readonly SocketOption: { readonly IP_TTL: number };
}

let loaded: RawSocketModule | undefined;

/** The raw-socket module; throws what `require` throws when the addon is missing or unbuilt. */
export function loadRawSocketModule(): RawSocketModule {
  loaded ??= requireOptionalAddon('raw-socket') as RawSocketModule;
  return loaded;
}

/** What of raw-socket's JavaScript object the drain below reaches into (raw-socket 1.8). */
interface RawSocketInternals {
  readonly wrap: {
    recv(buffer: Buffer, callback: (buffer: Buffer, bytes: number, source: string) => void): void;
    send(
      buffer: Buffer,
      offset: number,
      length: number,
      address: string,
      callback: (bytes: number) => void,
    ): void;
    removeAllListeners(event: string): void;
    on(event: string, listener: () => void): void;
  };
  readonly buffer: Buffer;
  requests: {
    buffer: Buffer;
    offset: number;
    length: number;
    address: string;
    beforeCallback?: (() => void) | null;
    afterCallback: (error: Error | null, bytes: number) => void;
  }[];
  emit(event: string, ...args: unknown[]): boolean;
  pauseSend(): void;
}

/**
 * Packets read (or sent) per readiness event at most. High on purpose: a probe's silence is
 * declared after one more poll of the sockets (silence-timer.ts), which holds only if that poll
 * reads everything queued; the cap only keeps a flood from holding the loop forever.
 */
const DRAIN_BATCH = 65_536;
const WOULD_BLOCK = /temporarily unavailable|EAGAIN|EWOULDBLOCK/i;
/** SO_RCVBUFFORCE (Linux): as root, past net.core.rmem_max; raw-socket exports only SO_RCVBUF. */
const SO_RCVBUFFORCE = 33;
const SOL_SOCKET = 1;
const RECEIVE_BUFFER_BYTES = 8 * 1024 * 1024;

/**
 * raw-socket reads ONE packet per readiness event and sends one queued packet per writability
 * event, so a scan's burst of replies overflows the socket's queue (each raw TCP socket receives
 * every TCP segment of the host) and the kernel drops them: silence that never was. This drains up
 * to DRAIN_BATCH packets per event both ways and asks for a large receive buffer. There is no
 * maintained alternative to raw-socket for raw IPv4 sockets from Node; the event handlers it
 * installs are replaced, the native calls are its own.
 */
export function drainRawSocket(socket: RawSocket): void {
  const internals = socket as unknown as RawSocketInternals;
  const { wrap } = internals;
  for (const option of [SO_RCVBUFFORCE, 2 /* SO_RCVBUF */]) {
    try {
      socket.setOption(SOL_SOCKET, option, RECEIVE_BUFFER_BYTES);
      break;
    } catch {
      // not root, or not Linux: the default buffer stays
    }
  }
  wrap.removeAllListeners('recvReady');
  wrap.on('recvReady', () => {
    for (let count = 0; count < DRAIN_BATCH; count += 1) {
      try {
        wrap.recv(internals.buffer, (buffer, bytes, source) => {
          internals.emit('message', buffer.subarray(0, bytes), source);
        });
      } catch (error) {
        if (!WOULD_BLOCK.test((error as Error).message)) internals.emit('error', error);
        return;
      }
    }
  });
  wrap.removeAllListeners('sendReady');
  wrap.on('sendReady', () => {
    // Taken off the queue in one splice: Array#shift per packet is linear, quadratic for a burst.
    const batch = internals.requests.splice(0, DRAIN_BATCH);
    for (let index = 0; index < batch.length; index += 1) {
      const request = batch[index] as RawSocketInternals['requests'][number];
      try {
        request.beforeCallback?.();
        wrap.send(request.buffer, request.offset, request.length, request.address, (bytes) =>
          request.afterCallback.call(socket, null, bytes),
        );
      } catch (error) {
        // A full send buffer is back-pressure: the rest waits for the next writable event.
        if (WOULD_BLOCK.test((error as Error).message)) {
          internals.requests = batch.slice(index).concat(internals.requests);
          return;
        }
        request.afterCallback.call(socket, error as Error, 0);
      }
    }
    if (internals.requests.length === 0) internals.pauseSend();
  });
}

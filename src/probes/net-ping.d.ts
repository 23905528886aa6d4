/**
 * The part of net-ping 1.2 (CommonJS, untyped) that icmp-echo.ts uses. `socket` and `sessionId` are
 * undocumented but public properties of a session; they let us read the reply TTL net-ping drops.
 */
declare module 'net-ping' {
  import type { EventEmitter } from 'node:events';

  namespace netPing {
    interface SessionOptions {
      /** `NetworkProtocol.IPv4` (default) or `NetworkProtocol.IPv6`; one family per session. */
      networkProtocol?: number;
      packetSize?: number;
      retries?: number;
      /** ICMP identifier of every request; defaults to the process id, shared by all sessions. */
      sessionId?: number;
      timeout?: number;
      ttl?: number;
    }

    /** raw-socket's socket: emits every ICMP packet the host receives, IPv4 ones with their IP header. */
    interface RawSocket extends EventEmitter {
      on(event: 'message', listener: (buffer: Buffer, source: string) => void): this;
      prependListener(event: 'message', listener: (buffer: Buffer, source: string) => void): this;
      removeListener(event: 'message', listener: (buffer: Buffer, source: string) => void): this;
    }

    type PingCallback = (error: Error | null, target: string, sent?: Date, received?: Date) => void;

    interface Session extends EventEmitter {
      readonly sessionId: number;
      readonly socket?: RawSocket;
      pingHost(target: string, callback: PingCallback): Session;
      close(): Session;
    }

    /** Opens the raw socket at once: throws `Operation not permitted` without CAP_NET_RAW. */
    function createSession(options?: SessionOptions): Session;

    const NetworkProtocol: { readonly IPv4: 1; readonly IPv6: 2 };

    class DestinationUnreachableError extends Error {
      readonly source: string;
    }
    class PacketTooBigError extends Error {
      readonly source: string;
    }
    class ParameterProblemError extends Error {
      readonly source: string;
    }
    class RedirectReceivedError extends Error {
      readonly source: string;
    }
    class SourceQuenchError extends Error {
      readonly source: string;
    }
    class TimeExceededError extends Error {
      readonly source: string;
    }
    class RequestTimedOutError extends Error {}
  }

  export = netPing;
}

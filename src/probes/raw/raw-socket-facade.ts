// Typed facade over raw-socket (CommonJS, untyped, native). Loaded lazily so that importing the
// probes layer never loads a native addon: a build without it fails in RawProbeEngine.open(),
// as a typed error, instead of at import.
import { createRequire } from 'node:module';

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
  loaded ??= createRequire(import.meta.url)('raw-socket') as RawSocketModule;
  return loaded;
}

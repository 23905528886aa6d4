/** probes/: the only code that sends packets. Outcomes are values (ProbeRecord), never exceptions. */
import { probeTcpConnect } from './tcp-connect.js';
import { probeUdpSocket } from './udp-socket.js';
import type { Prober, ProbeProtocol } from './types.js';

export * from './types.js';
export { baseRecord, probeTcpConnect } from './tcp-connect.js';
export { probeUdpSocket } from './udp-socket.js';
export { resolveHost, type HostResolution } from './resolve-host.js';
export { describeVantage, type Vantage } from './vantage.js';

/** The prober used for each protocol when no better one (raw socket) is available. */
export const DEFAULT_PROBERS: Readonly<Record<ProbeProtocol, Prober>> = {
  tcp: probeTcpConnect,
  udp: probeUdpSocket,
};

import { echoed, usageError } from '../shared/errors.js';
import type { ProbeProtocol } from '../shared/port-vocabulary.js';

/** A `--ports` list may not fan out into more probes than this per host: it names ports, it is not a sweep. */
const MAX_EXTRA_PORTS = 4096;

/** Parses one port number from the command line (1-65535, digits only). */
export function parsePortArgument(text: string, flag: string): number {
  if (!/^\d{1,5}$/.test(text.trim()))
    throw usageError(`${flag}: ${echoed(text)} is not a port number (1-65535)`);
  const port = Number(text.trim());
  if (port < 1 || port > 65535) throw usageError(`${flag}: port ${port} is out of range (1-65535)`);
  return port;
}

/** Parses `80,443,8000-8010,udp:9,tcp:10123` into protocol/port pairs. */
export function parsePortList(text: string, flag = '--ports'): { protocol: ProbeProtocol; port: number }[] {
  const result: { protocol: ProbeProtocol; port: number }[] = [];
  for (const raw of text.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const match = /^(?:(tcp|udp):)?(\d+)(?:-(\d+))?$/i.exec(item);
    if (!match)
      throw usageError(`${flag}: ${echoed(item)} is not a port, range or proto:port (e.g. 8080, udp:9)`);
    const protocol = (match[1]?.toLowerCase() ?? 'tcp') as ProbeProtocol;
    const first = parsePortArgument(match[2] ?? '', flag);
    const last = match[3] === undefined ? first : parsePortArgument(match[3], flag);
    if (last < first) throw usageError(`${flag}: range ${echoed(item)} runs backwards`);
    if (result.length + (last - first + 1) > MAX_EXTRA_PORTS) {
      throw usageError(
        `${flag}: more than ${MAX_EXTRA_PORTS} ports; portflight checks named ports, not sweeps`,
      );
    }
    for (let port = first; port <= last; port += 1) result.push({ protocol, port });
  }
  if (result.length === 0) throw usageError(`${flag}: no port given`);
  return result;
}

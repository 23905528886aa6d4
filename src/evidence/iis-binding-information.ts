/**
 * IIS `bindingInformation` and `sslFlags` values, read as IIS documents them (DOMAIN.md (d), S29,
 * S30) and as the corpus shows them: `*:80:`, `:8080:localhost`, `[::1]:80:`, `808:*`, `*`,
 * `localhost`.
 */

export interface BindingEndpoint {
  readonly ip: string;
  readonly port: number | null;
  readonly host: string;
}

/** Protocols whose bindingInformation is `IP:port:host` and that http.sys (or FTP) listens for. */
const SOCKET_PROTOCOLS = new Set(['http', 'https', 'ftp', 'ftps']);

/** WCF protocols that hold no TCP port: named pipes and MSMQ queues (DOMAIN.md (d)). */
const PORTLESS_PROTOCOLS = new Set(['net.pipe', 'net.msmq', 'msmq.formatname']);

/** Written forms of "all unassigned addresses". */
const ANY_ADDRESS = new Set(['', '*', '0.0.0.0', '[::]']);

/** Result: the endpoint, or a one-line reason the value cannot be a binding of this protocol. */
export type BindingParse = { readonly endpoint: BindingEndpoint } | { readonly problem: string };

/** `protocol` is expected lower-case. */
export function parseBindingInformation(protocol: string, information: string): BindingParse {
  if (SOCKET_PROTOCOLS.has(protocol)) return parseSocketBinding(information);
  if (protocol === 'net.tcp') return parseNetTcpBinding(information);
  const hostOnly = { endpoint: { ip: '*', port: null, host: information === '*' ? '' : information } };
  // net.pipe `*`, net.msmq / msmq.formatname `localhost`: named pipes and MSMQ, never a TCP port.
  if (PORTLESS_PROTOCOLS.has(protocol)) return hostOnly;
  // A protocol we do not know: a host name (or `*`), unless the value has the socket shape, which
  // we then honour (it may hold a TCP port, and missing one would be a wrong GO).
  const socket = parseSocketBinding(information);
  return 'endpoint' in socket && socket.endpoint.port !== null ? socket : hostOnly;
}

/** `IP:port:host`; IPv6 addresses are bracketed, host may be empty (any) or a wildcard name. */
function parseSocketBinding(information: string): BindingParse {
  let ip: string;
  let rest: string;
  if (information.startsWith('[')) {
    const close = information.indexOf(']');
    if (close < 0 || information[close + 1] !== ':') {
      return { problem: `bindingInformation "${information}": IPv6 address needs "[address]:port:host"` };
    }
    // Kept bracketed, as written here and as netsh prints it (`[::1]:443`); `[::]` is "any" below.
    ip = information.slice(0, close + 1).toLowerCase();
    rest = information.slice(close + 2);
  } else {
    const colon = information.indexOf(':');
    if (colon < 0) return { problem: `bindingInformation "${information}" is not "IP:port:host"` };
    ip = information.slice(0, colon);
    rest = information.slice(colon + 1);
  }
  // A binding written without the trailing host part (`*:80`) is read as "any host".
  const colon = rest.indexOf(':');
  const portText = colon < 0 ? rest : rest.slice(0, colon);
  const host = colon < 0 ? '' : rest.slice(colon + 1);
  const port = parsePort(portText);
  if (port === null) {
    return { problem: `bindingInformation "${information}": port "${portText}" is not 1-65535` };
  }
  return { endpoint: { ip: ANY_ADDRESS.has(ip) ? '*' : ip, port, host } };
}

/** `port:host` with `*` for any host (WCF net.tcp, shared through SMSvcHost on all addresses). */
function parseNetTcpBinding(information: string): BindingParse {
  const colon = information.indexOf(':');
  const portText = colon < 0 ? information : information.slice(0, colon);
  const host = colon < 0 ? '' : information.slice(colon + 1);
  const port = parsePort(portText);
  if (port === null) {
    return { problem: `net.tcp bindingInformation "${information}": port "${portText}" is not 1-65535` };
  }
  return { endpoint: { ip: '*', port, host: host === '*' ? '' : host } };
}

function parsePort(text: string): number | null {
  if (!/^[0-9]{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : null;
}

/**
 * The IIS schema declares sslFlags as a flags attribute: IIS writes numbers, but the configuration
 * system also accepts flag names joined by commas (as `logExtFileFlags` is written), so both are read.
 * Names follow Microsoft.Web.Administration's SslFlags enum (DOMAIN.md S31).
 */
const SSL_FLAG_NAMES: ReadonlyMap<string, number> = new Map([
  ['none', 0],
  ['sni', 1],
  ['centralcertstore', 2],
  ['disablehttp2', 4],
  ['disableocspstp', 8],
  ['disablequic', 16],
  ['disabletls13', 32],
  ['disabletls13overtcp', 32],
  ['disablelegacytls', 64],
]);

/** Absent → 0 (the schema default). Not range-checked: IIS 10 keeps adding bits (DOMAIN.md (d)). */
export function parseSslFlags(text: string | undefined): { flags: number } | { problem: string } {
  if (text === undefined) return { flags: 0 };
  const trimmed = text.trim();
  if (/^[0-9]{1,10}$/.test(trimmed)) return { flags: Number(trimmed) };
  let flags = 0;
  for (const name of trimmed.split(',')) {
    const bit = SSL_FLAG_NAMES.get(name.trim().toLowerCase());
    if (bit === undefined) return { problem: `sslFlags "${text}" is not a number or IIS SslFlags names` };
    flags |= bit;
  }
  return { flags };
}

import { isIP, isIPv4 } from 'node:net';

/**
 * Why a plan's or a command line's host is not one portflight may look up, or undefined when it is
 * a DNS name (RFC 1123 labels) or an IP literal. Checked before any lookup, because the resolver is
 * more lenient than a person expects: getaddrinfo reads `123` as 0.0.0.123, `10.1` as 10.0.0.1 and
 * `0x7f.1` as 127.0.0.1 (inet_aton), so a typo would probe an address nobody named.
 */
export function hostProblem(host: string): string | undefined {
  if (host.includes('[') || host.includes(']')) {
    const inner = /^\[([^\]]*)\]$/.exec(host)?.[1];
    if (inner === undefined || isIP(inner) !== 6)
      return 'brackets are only for an IPv6 address, as [2001:db8::5]';
    return undefined;
  }
  if (host.includes(':')) {
    if (isIP(host) === 6) return undefined;
    return /^[^:]+:\d+$/.test(host)
      ? 'a host, without a port (ports come from the change or --http/--https/--ports)'
      : 'not an IPv6 address (a host name has no colons)';
  }
  const labels = host.replace(/\.$/, '').split('.');
  if (labels.every((label) => /^(\d+|0x[0-9a-f]*)$/i.test(label))) {
    return isIPv4(host) ? undefined : 'an all-numeric host must be a dotted IPv4 address such as 198.18.0.5';
  }
  if (host.length > 253 || !labels.every((label) => DNS_LABEL.test(label)))
    return 'must be a host name (letters, digits, hyphens and dots) or an IPv4/IPv6 address';
  return undefined;
}

/** One DNS label; underscores are allowed as Windows names in the wild carry them. */
const DNS_LABEL = /^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)$/;

// Pure: the tracebox comparison. A time-exceeded quotes the probe as it arrived at the hop that
// sent it; what differs from what was sent was rewritten on the way (NAT, MSS clamping, DSCP).
import { SYN_MSS, SYN_WINDOW, type QuotedProbe } from './packets.js';

/** What a raw probe looked like when it left. */
export interface SentProbe {
  readonly source: string;
  readonly sourcePort: number;
  readonly tos: number;
  readonly sequence: number;
}

/** Human-readable differences between the sent probe and the quote, in a fixed order; [] if none. */
export function rewritesOf(sent: SentProbe, quoted: QuotedProbe): string[] {
  const rewrites: string[] = [];
  if (quoted.source !== sent.source) rewrites.push(`source ${sent.source}→${quoted.source} (NAT)`);
  if (quoted.sourcePort !== sent.sourcePort)
    rewrites.push(`source port ${sent.sourcePort}→${quoted.sourcePort} (NAT)`);
  const [dscp, ecn] = [quoted.tos >> 2, quoted.tos & 3];
  if (dscp !== sent.tos >> 2) rewrites.push(`dscp ${sent.tos >> 2}→${dscp}`);
  if (ecn !== (sent.tos & 3)) rewrites.push(`ecn ${sent.tos & 3}→${ecn}`);
  const tcp = quoted.tcp;
  if (tcp) {
    if (tcp.sequence !== sent.sequence >>> 0) rewrites.push('sequence number rewritten');
    if (tcp.window !== undefined && tcp.window !== SYN_WINDOW)
      rewrites.push(`window ${SYN_WINDOW}→${tcp.window}`);
    if (tcp.optionsQuoted && tcp.mss !== SYN_MSS)
      rewrites.push(tcp.mss === undefined ? 'MSS option stripped' : `MSS ${SYN_MSS}→${tcp.mss}`);
  }
  return rewrites;
}

import { execFile } from 'node:child_process';
import type { PathHop } from './types.js';

// Windows' own traceroute as the path reference where portflight cannot walk TTLs itself: Windows
// refuses raw TCP, and Node sets no TTL on a TCP socket. `tracert -d` sends ICMP echo with growing
// TTLs, so its path is the ICMP path: a drop of one TCP port is not on it, but the routers are.
//
//   Tracing route to 198.18.2.2 over a maximum of 30 hops
//
//     1    <1 ms    <1 ms    <1 ms  192.168.1.1
//     2     *        *        *     Request timed out.
//     3    12 ms    11 ms    12 ms  198.18.2.2
//
// Only the hop lines are read (a number, three times or `*`, then an address or a sentence), so
// the words around them may be in any display language.

const HOP_LINE = /^\s*(\d{1,3})\s+(.*)$/;
const IPV4 = /\b(\d{1,3}(?:\.\d{1,3}){3})\b/;
const TIME = /(<?\d+)\s*ms\b/;

/** The hops of a `tracert -d` output, in TTL order; a hop that stayed silent has no address. */
export function parseTracert(text: string): PathHop[] {
  const hops: PathHop[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = HOP_LINE.exec(line);
    if (!match) continue;
    const ttl = Number(match[1]);
    const rest = match[2] ?? '';
    // A hop line has three time columns first: `<1 ms`, `12 ms` or `*`.
    if (!/^(?:(?:<?\d+\s*ms|\*)\s+){3}/.test(`${rest} `)) continue;
    const time = TIME.exec(rest)?.[1];
    hops.push({
      ttl,
      address: IPV4.exec(rest)?.[1] ?? null,
      rttMs: time === undefined ? null : time.startsWith('<') ? 0 : Number(time),
    });
  }
  return hops;
}

export type RunCommand = (file: string, args: readonly string[], timeoutMs: number) => Promise<string>;

/** Runs a command and gives its stdout (a failed or timed-out run gives what it printed so far). */
export const runCommandOutput: RunCommand = (file, args, timeoutMs) =>
  new Promise((resolve) => {
    execFile(
      file,
      [...args],
      { timeout: timeoutMs, windowsHide: true, encoding: 'latin1', maxBuffer: 1024 * 1024 },
      (_error, stdout) => resolve(String(stdout ?? '')),
    );
  });

const TRACE_LIMIT_MS = 20_000;

/** `tracert -d` to one IPv4 address: at most `maxHops` hops, `waitMs` per probe. */
export async function tracertPath(
  address: string,
  options: { readonly maxHops: number; readonly waitMs: number; readonly run?: RunCommand },
): Promise<PathHop[]> {
  const run = options.run ?? runCommandOutput;
  // Three probes per hop, each waiting up to waitMs; past the hops that answer, a trace only counts
  // silent ones to maxHops: it is cut at TRACE_LIMIT_MS, and what it printed until then is read.
  const timeoutMs = Math.min(options.maxHops * 3 * options.waitMs + 1000, TRACE_LIMIT_MS);
  const args = ['-d', '-4', '-h', String(options.maxHops), '-w', String(options.waitMs), address];
  return parseTracert(await run('tracert', args, timeoutMs));
}

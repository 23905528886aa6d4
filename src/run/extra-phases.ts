import { isIP, isIPv4 } from 'node:net';
import type { ProbeSettings } from '../plan/index.js';
import type { AppProbeRequest } from '../probes/app-probe.js';
import { IcmpEchoSession, type IcmpEchoResult } from '../probes/icmp-echo.js';
import type { ProbeRecord } from '../probes/index.js';
import { FULL_TTL, localiseRecords, rawProbeTimeout, type Ask } from '../probes/raw/index.js';
import { runPaced } from './pace.js';
import type { RawSession } from './raw-session.js';
import { pushTo } from '../shared/push-to.js';

/** A probe kind that did not run, and why: the report lists these so a reader knows what is missing. */
export interface SkippedProbeKind {
  readonly probe: 'icmp-echo' | 'path' | 'application' | 'attribution' | 'responder';
  readonly reason: string;
}

/** Application probes are a handful of HTTP requests per open port: keep them gentle. */
const APP_CONCURRENCY = 16;

/**
 * ICMP echo to every address: IPv4 over the scan's own raw ICMP socket when it is open (one socket
 * reads every ICMP message of the scan, so echo replies, time-exceeded and unreachables are never
 * split between two readers), otherwise — and for IPv6 — over net-ping.
 */
export async function runIcmpPhase(
  addresses: readonly string[],
  settings: ProbeSettings,
  signal: AbortSignal,
  raw?: RawSession,
): Promise<{ results: Map<string, IcmpEchoResult>; skipped: SkippedProbeKind | null }> {
  const results = new Map<string, IcmpEchoResult>();
  const timeoutMs = Math.min(settings.timeoutMs, 1000);
  let session: IcmpEchoSession | undefined;
  let skipped: SkippedProbeKind | null = null;
  try {
    await runPaced(addresses, { ...settings, signal }, async (address) => {
      if (signal.aborted) return;
      if (raw && isIPv4(address)) {
        results.set(address, await echoOverEngine(raw, address, timeoutMs));
        return;
      }
      session ??= new IcmpEchoSession({ timeoutMs, retries: 1 });
      const result = await session.echo(address);
      if (result.reason === 'no-privilege' || result.reason === 'addon-missing')
        skipped = { probe: 'icmp-echo', reason: result.detail ?? 'no raw-socket privilege' };
      else results.set(address, result);
    });
  } finally {
    session?.close();
  }
  return { results, skipped };
}

/** One echo request, asked again once after silence, as IcmpEchoSession does. */
async function echoOverEngine(raw: RawSession, address: string, timeoutMs: number): Promise<IcmpEchoResult> {
  let reply = await raw.engine.sendIcmpEcho(address, FULL_TTL, timeoutMs);
  if (reply.kind === 'none') reply = await raw.engine.sendIcmpEcho(address, FULL_TTL, timeoutMs);
  const seen = { rttMs: reply.rttMs, ttl: reply.ttl, from: reply.from };
  switch (reply.kind) {
    case 'echo-reply':
      return { state: 'reachable', reason: 'echo-reply', ...seen };
    case 'unreachable':
      return { state: 'unreachable', reason: 'dest-unreach', ...seen };
    case 'time-exceeded':
      return { state: 'unreachable', reason: 'time-exceeded', ...seen };
    case 'none':
      return { state: 'unreachable', reason: 'no-response', rttMs: null };
    default:
      return {
        state: 'error',
        reason: 'local-error',
        rttMs: null,
        ...(reply.detail ? { detail: reply.detail } : {}),
      };
  }
}

/** HTTP(S) GET of the MP endpoints, and TLS details, on every open client request port. */
export async function runApplicationPhase(
  records: readonly ProbeRecord[],
  settings: ProbeSettings,
  signal: AbortSignal,
): Promise<ProbeRecord[]> {
  // node:http, https and tls (the app probes' modules) load only when a port gets an app probe.
  if (!records.some((record) => appProbeRequestOf(record) !== null)) return [...records];
  const { probeApplication } = await import('../probes/app-probe.js');
  return runPaced(
    records,
    { concurrency: APP_CONCURRENCY, ratePerSecond: settings.ratePerSecond, signal },
    async (record) => {
      const request = appProbeRequestOf(record);
      if (!request || signal.aborted) return record;
      const app = await probeApplication(request, {
        timeoutMs: settings.timeoutMs,
        signal,
        ...(settings.expectedTlsIssuer ? { expectedIssuer: settings.expectedTlsIssuer } : {}),
      });
      return { ...record, app };
    },
  );
}

/** What the application probe asks of a record: an open client request port; null for any other. */
function appProbeRequestOf(record: ProbeRecord): AppProbeRequest | null {
  const scheme = schemeOf(record);
  if (!scheme || record.state !== 'open' || record.address === null) return null;
  // The responder phase already asked who answers there; the responder speaks no HTTP.
  if (record.responder !== undefined) return null;
  return {
    target: record.target,
    address: record.address,
    protocol: record.protocol,
    port: record.port,
    roles: record.roles,
    scheme,
    ...(isIP(record.target.replace(/^\[|\]$/g, '')) ? {} : { serverName: record.target }),
  };
}

function schemeOf(record: ProbeRecord): 'http' | 'https' | null {
  if (record.protocol !== 'tcp') return null;
  const role = record.roles.find((r) => r.endsWith('-http') || r.endsWith('-https'));
  if (!role) return null;
  return role.endsWith('-https') ? 'https' : 'http';
}

/** Raw probes of any kind, with a timeout from what the connect phase measured per address. */
function rawAsk(records: readonly ProbeRecord[], settings: ProbeSettings, raw: RawSession): Ask {
  // The median connect RTT per address: connect() RTTs include event-loop delays under load.
  const samples = new Map<string, number[]>();
  for (const record of records)
    if (
      record.address !== null &&
      record.rttMs !== null &&
      (record.state === 'open' || record.state === 'closed')
    )
      pushTo(samples, record.address, record.rttMs);
  const rtts = new Map([...samples].map(([address, list]) => [address, median(list)]));
  // An address that never answered gets the scan's ceiling.
  const timeoutFor = (address: string) => {
    const rtt = rtts.get(address);
    return rtt === undefined
      ? settings.timeoutMs
      : rawProbeTimeout(rtt, RAW_TIMEOUT_FLOOR_MS, settings.timeoutMs);
  };
  return (address, protocol, port, ttl, timeout) => {
    const timeoutMs = timeout ?? timeoutFor(address);
    if (protocol === 'icmp') return raw.engine.sendIcmpEcho(address, ttl, timeoutMs);
    return protocol === 'tcp'
      ? raw.engine.sendTcpSyn(address, port, ttl, timeoutMs)
      : raw.engine.sendUdp(address, port, ttl, timeoutMs);
  };
}

/**
 * Localisation per port and path on everything not plainly open: where a filtered port is
 * stopped, which resets are forged, which answers came from closer than the server.
 */
export async function runPathPhase(
  records: readonly ProbeRecord[],
  settings: ProbeSettings,
  signal: AbortSignal,
  raw: RawSession,
): Promise<{ records: ProbeRecord[]; skipped: SkippedProbeKind | null }> {
  const ask = rawAsk(records, settings, raw);
  const { records: localised, skipped } = await localiseRecords(records, ask, raw.budgets, {
    minTimeoutMs: RAW_TIMEOUT_FLOOR_MS,
    maxTimeoutMs: settings.timeoutMs,
    concurrency: settings.concurrency,
    samples: 2,
    maxTtl: MAX_TTL,
    deadline: performance.now() + LOCALISATION_BUDGET_MS,
    signal,
  });
  return {
    records: localised,
    skipped: skipped.length > 0 ? { probe: 'path', reason: skipped.join('; ') } : null,
  };
}

const MAX_TTL = 30;
/** How long localisation may wait for routers' ICMP budgets to refill before saying "unknown". */
const LOCALISATION_BUDGET_MS = 20_000;

/** Silence is declared only after the sockets were read again (silence-timer.ts): a short floor is safe. */
const RAW_TIMEOUT_FLOOR_MS = 30;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

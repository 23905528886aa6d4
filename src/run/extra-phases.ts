import { isIP } from 'node:net';
import type { ProbeSettings } from '../plan/index.js';
import { probeApplication } from '../probes/app-probe.js';
import { IcmpEchoSession, type IcmpEchoResult } from '../probes/icmp-echo.js';
import type { ProbeRecord } from '../probes/index.js';
import { RawProbeEngine, RawSocketUnavailableError, refineWithRawProbes } from '../probes/raw/index.js';
import { runPaced } from './pace.js';

/** A probe kind that did not run, and why: the report lists these so a reader knows what is missing. */
export interface SkippedProbeKind {
  readonly probe: 'icmp-echo' | 'path' | 'application';
  readonly reason: string;
}

/** Application probes are a handful of HTTP requests per open port: keep them gentle. */
const APP_CONCURRENCY = 16;

/** ICMP echo to every address, over one raw-socket session per address family. */
export async function runIcmpPhase(
  addresses: readonly string[],
  settings: ProbeSettings,
  signal: AbortSignal,
): Promise<{ results: Map<string, IcmpEchoResult>; skipped: SkippedProbeKind | null }> {
  const results = new Map<string, IcmpEchoResult>();
  const session = new IcmpEchoSession({ timeoutMs: Math.min(settings.timeoutMs, 1000), retries: 1 });
  let skipped: SkippedProbeKind | null = null;
  try {
    await runPaced(addresses, { ...settings, signal }, async (address) => {
      if (signal.aborted) return;
      const result = await session.echo(address);
      if (result.reason === 'no-privilege')
        skipped = { probe: 'icmp-echo', reason: result.detail ?? 'no raw-socket privilege' };
      else results.set(address, result);
    });
  } finally {
    session.close();
  }
  return { results, skipped };
}

/** HTTP(S) GET of the MP endpoints, and TLS details, on every open client request port. */
export async function runApplicationPhase(
  records: readonly ProbeRecord[],
  settings: ProbeSettings,
  signal: AbortSignal,
): Promise<ProbeRecord[]> {
  return runPaced(
    records,
    { concurrency: APP_CONCURRENCY, ratePerSecond: settings.ratePerSecond, signal },
    async (record) => {
      const scheme = schemeOf(record);
      if (!scheme || record.state !== 'open' || record.address === null || signal.aborted) return record;
      const app = await probeApplication(
        {
          target: record.target,
          address: record.address,
          protocol: record.protocol,
          port: record.port,
          roles: record.roles,
          scheme,
          ...(isIP(record.target.replace(/^\[|\]$/g, '')) ? {} : { serverName: record.target }),
        },
        {
          timeoutMs: settings.timeoutMs,
          signal,
          ...(settings.expectedTlsIssuer ? { expectedIssuer: settings.expectedTlsIssuer } : {}),
        },
      );
      return { ...record, app };
    },
  );
}

function schemeOf(record: ProbeRecord): 'http' | 'https' | null {
  if (record.protocol !== 'tcp') return null;
  const role = record.roles.find((r) => r.endsWith('-http') || r.endsWith('-https'));
  if (!role) return null;
  return role.endsWith('-https') ? 'https' : 'http';
}

/** Records that path probing can say more about: anything not plainly open. */
const needsPathProbing = (record: ProbeRecord) =>
  record.address !== null && record.state !== 'open' && record.state !== 'error';

/**
 * TTL-limited raw probes, address by address, for every record that is not plainly open: where a
 * filtered port is stopped, which rejections are admin-prohibited, which resets are forged.
 */
export async function runPathPhase(
  records: readonly ProbeRecord[],
  settings: ProbeSettings,
  signal: AbortSignal,
): Promise<{ records: ProbeRecord[]; skipped: SkippedProbeKind | null }> {
  if (!records.some(needsPathProbing)) return { records: [...records], skipped: null };
  let engine: RawProbeEngine;
  try {
    engine = await RawProbeEngine.open({ ratePerSecond: settings.ratePerSecond });
  } catch (error) {
    const reason =
      error instanceof RawSocketUnavailableError ? `${error.message}; ${error.nextStep}` : String(error);
    return { records: [...records], skipped: { probe: 'path', reason } };
  }
  try {
    const byAddress = new Map<string, ProbeRecord[]>();
    for (const record of records) {
      const key = record.address ?? '';
      byAddress.set(key, [...(byAddress.get(key) ?? []), record]);
    }
    const skippedReasons = new Set<string>();
    const refined = await runPaced(
      [...byAddress.values()],
      { concurrency: 32, ratePerSecond: settings.ratePerSecond, signal },
      async (group) => {
        if (signal.aborted || !group.some(needsPathProbing)) return group;
        const result = await refineWithRawProbes(engine, group, {
          timeoutMs: pathProbeTimeout(group, settings),
          ratePerSecond: settings.ratePerSecond,
          concurrency: 32,
        });
        if (result.skipped) skippedReasons.add(result.skipped);
        return result.records;
      },
    );
    const skipped =
      skippedReasons.size > 0 ? { probe: 'path' as const, reason: [...skippedReasons].join('; ') } : null;
    return { records: refined.flat(), skipped };
  } finally {
    engine.close();
  }
}

/**
 * TTL-limited probes wait for routers and the destination, never farther than the destination: four
 * times the slowest RTT this address showed in the connect phase is plenty, within the scan's bounds.
 */
function pathProbeTimeout(group: readonly ProbeRecord[], settings: ProbeSettings): number {
  const rtts = group.map((record) => record.rttMs).filter((rtt): rtt is number => rtt !== null);
  if (rtts.length === 0) return settings.timeoutMs;
  return Math.round(Math.min(settings.timeoutMs, Math.max(settings.minTimeoutMs, 4 * Math.max(...rtts))));
}

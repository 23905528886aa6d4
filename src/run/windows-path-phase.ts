import type { ProbeSettings } from '../plan/index.js';
import type { PathHop, ProbeRecord } from '../probes/index.js';
import { tracertPath, type RunCommand } from '../probes/tracert.js';
import { runPaced } from './pace.js';

/**
 * From Windows, where no TTL-limited TCP probe can be sent: the ICMP path of `tracert -d` to each
 * address with a filtered port, given to its filtered records as their path, with `blockedBy`
 * unknown — a firewall that drops one TCP port passes ICMP echo, so the path names the routers on
 * the way, never the device that drops the port.
 */
export async function runWindowsPathPhase(
  records: readonly ProbeRecord[],
  settings: ProbeSettings,
  signal: AbortSignal,
  run?: RunCommand,
): Promise<ProbeRecord[]> {
  const needsPath = (record: ProbeRecord) =>
    record.address !== null && record.state === 'filtered' && /^\d+\.\d+\.\d+\.\d+$/.test(record.address);
  // One trace per /24: its addresses sit behind the same last router, and tracert waits seconds for
  // each silent hop, so a few run at once and no more than needed.
  const subnetOf = (address: string) => address.split('.').slice(0, 3).join('.');
  const tracedFor = new Map<string, string>();
  for (const record of records.filter(needsPath)) {
    const subnet = subnetOf(record.address as string);
    if (!tracedFor.has(subnet)) tracedFor.set(subnet, record.address as string);
  }
  const paths = new Map<string, PathHop[]>();
  await runPaced(
    [...tracedFor.values()].slice(0, MAX_TRACED),
    { concurrency: TRACERT_CONCURRENCY, ratePerSecond: settings.ratePerSecond, signal },
    async (address) => {
      if (signal.aborted) return;
      const hops = await tracertPath(address, {
        maxHops: MAX_HOPS,
        waitMs: Math.min(settings.timeoutMs, 500),
        ...(run ? { run } : {}),
      });
      if (hops.length > 0) paths.set(address, hops);
    },
  );
  return records.map((record) => {
    const traced = needsPath(record) ? tracedFor.get(subnetOf(record.address as string)) : undefined;
    const path = traced === undefined ? undefined : paths.get(traced);
    if (!path) return record;
    const detail =
      `ICMP path of tracert -d to ${traced} (Windows sends no TTL-limited TCP): ${path.length} hop(s); ` +
      'a drop of this TCP port is not localised from Windows';
    return {
      ...record,
      path,
      blockedBy: null,
      localisation: 'unknown',
      detail: record.detail ? `${record.detail}; ${detail}` : detail,
    };
  });
}

const MAX_HOPS = 30;
const MAX_TRACED = 16;
const TRACERT_CONCURRENCY = 4;

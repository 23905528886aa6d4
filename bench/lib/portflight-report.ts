// Reads what the bench needs out of `portflight check --format json`: the scan's own duration and
// one record per probe. Fields of the localisation contract are optional: an engine that does not
// set them yet leaves them out, and the bench counts them as missing rather than failing to parse.
import type { StateMap } from './nmap-xml.js';

export interface ProbeRecord {
  readonly address: string | null;
  readonly protocol?: string;
  readonly port: number;
  readonly state: string;
  readonly reason?: string;
  /** The blocking device's address, 'destination', or null (unknown); absent when not located. */
  readonly blockedBy?: string | null;
  readonly localisation?: string;
  readonly inferredFrom?: string;
  readonly blockedBetween?: readonly string[];
  readonly replyFrom?: string;
  readonly replyTtl?: number;
  readonly detail?: string;
}

export interface PortflightReport {
  readonly durationMs: number | null;
  /** `address/port` → the record (TCP only; the bench probes TCP ports only). */
  readonly probes: ReadonlyMap<string, ProbeRecord>;
  /** Keys reported more than once. */
  readonly duplicates: readonly string[];
}

export const probeKey = (address: string | null, port: number) => `${address}/${port}`;

export function parsePortflightReport(stdout: string): PortflightReport {
  const report = JSON.parse(stdout) as { durationMs?: unknown; probes?: unknown };
  if (!Array.isArray(report.probes)) throw new Error('the JSON report has no probes[]');
  const probes = new Map<string, ProbeRecord>();
  const duplicates: string[] = [];
  for (const probe of report.probes as ProbeRecord[]) {
    if (probe.protocol !== undefined && probe.protocol !== 'tcp') continue;
    const key = probeKey(probe.address, probe.port);
    if (probes.has(key)) duplicates.push(key);
    else probes.set(key, probe);
  }
  const durationMs = typeof report.durationMs === 'number' ? report.durationMs : null;
  return { durationMs, probes, duplicates };
}

/** States by key; a duplicated key gets a state no reference has, so comparisons catch it. */
export function statesOf(report: PortflightReport): StateMap {
  const states: StateMap = new Map([...report.probes].map(([key, probe]) => [key, probe.state]));
  for (const key of report.duplicates) states.set(key, `${states.get(key)} (reported twice)`);
  return states;
}

import { resolve as resolvePath } from 'node:path';
import type * as z from 'zod';
import { usageError } from '../shared/errors.js';
import type { ScanSpec } from './scan-spec.js';
import { probeSettingsSchema, type ProbeSettings } from './probe-settings-schema.js';

/** Probe settings given as flags (`--timeout`, `--no-path`, …): only those the command line named. */
export type ProbeFlagSettings = Partial<z.input<typeof probeSettingsSchema>>;

const FLAG_OF_SETTING: Readonly<Record<string, string>> = {
  timeoutMs: 'timeout',
  minTimeoutMs: 'min-timeout',
  concurrency: 'concurrency',
  retries: 'retries',
  ratePerSecond: 'rate',
  deadlineMs: 'deadline',
  hostDeadlineMs: 'host-deadline',
  pathProbing: 'path',
  icmpEcho: 'icmp',
  appProbes: 'app',
  expectedTlsIssuer: 'expected-issuer',
};

/**
 * Probe settings: the flags over `base` (a plan's settings; the defaults when empty), checked as a
 * plan's are. A value out of range is a usage error naming the flag.
 */
export function probeSettingsWithFlags(
  base: ProbeFlagSettings | ProbeSettings,
  flags: ProbeFlagSettings,
): ProbeSettings {
  const given = Object.fromEntries(Object.entries(flags).filter(([, value]) => value !== undefined));
  const probe = probeSettingsSchema.safeParse({ ...base, ...given });
  if (!probe.success) {
    const issue = probe.error.issues[0];
    const key = String(issue?.path[0]);
    throw usageError(`--${FLAG_OF_SETTING[key] ?? key}: ${issue?.message ?? 'invalid value'}`);
  }
  return probe.data;
}

/** `--evidence DIR` attaches to the only host; `--evidence HOST=DIR` to that host (which must be checked). */
export function attachEvidence(hosts: readonly string[], values: readonly string[]): Map<string, string> {
  const byHost = new Map<string, string>();
  for (const value of values) {
    const match = /^([^=]+)=(.+)$/.exec(value);
    const host = match ? (match[1] as string) : hosts.length === 1 ? (hosts[0] as string) : undefined;
    const dir = match ? (match[2] as string) : value;
    if (host === undefined)
      throw usageError(`--evidence ${value}: with several hosts, write --evidence HOST=DIR`);
    if (!hosts.includes(host))
      throw usageError(`--evidence ${value}: ${host} is not one of the hosts to check`);
    byHost.set(host, resolvePath(dir));
  }
  return byHost;
}

/**
 * A plan's scan with the command line's probe settings and evidence bundles over the plan's, so a
 * scheduled job can tighten a deadline or point at fresh evidence without editing the plan.
 */
export function applyCommandLineOverrides(
  spec: ScanSpec,
  overrides: { readonly probe: ProbeFlagSettings; readonly evidence: readonly string[] },
): ScanSpec {
  const evidence = attachEvidence(
    spec.targets.map((target) => target.host),
    overrides.evidence,
  );
  // The plan's own settings were checked when it was read; only flags need checking (a zod parse on
  // every scan's start-up path otherwise).
  const flagged = Object.values(overrides.probe).some((value) => value !== undefined);
  return {
    ...spec,
    probe: flagged ? probeSettingsWithFlags(spec.probe, overrides.probe) : spec.probe,
    targets: spec.targets.map((target) => {
      const dir = evidence.get(target.host);
      return dir === undefined ? target : { ...target, evidence: dir };
    }),
  };
}

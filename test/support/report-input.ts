import type { ScanSpec } from '../../src/plan/index.js';
import type { ReportInput } from '../../src/report/index.js';

/** A complete, quiet scan's report input for `spec` (no probes, no findings, GO); tests override parts. */
export function reportInput(spec: ScanSpec, overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    spec,
    vantage: { hostname: 'ws01', addresses: [], privileges: { rawSocket: false, detail: '' } },
    startedAt: new Date(0),
    finishedAt: new Date(0),
    complete: true,
    offline: false,
    interruption: null,
    skipped: [],
    icmpEcho: new Map(),
    records: [],
    findings: [],
    verdict: 'go',
    remediation: { sites: [], portswitch: null, repeatOnPrimarySites: [], firewallRules: [] },
    toolVersion: '0',
    ...overrides,
  };
}

import type { ScanResult } from './scan.js';

/** `--offline`: nothing sent, nothing to wait for; the evidence alone is analysed. */
export function offlineScanResult(): ScanResult {
  const now = new Date();
  return {
    startedAt: now,
    finishedAt: now,
    records: [],
    complete: true,
    offline: true,
    interruption: null,
    icmpEcho: new Map(),
    rechecks: new Map(),
    skipped: [],
  };
}

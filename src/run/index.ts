/** run/: turns a ScanSpec into probe records, paced and interruptible. */
export { runScan, type ScanEvent, type ScanOptions, type ScanResult } from './scan.js';
export { runPaced } from './pace.js';
export { offlineScanResult } from './offline.js';

import type { ProbeSettings, ScanTarget } from '../plan/index.js';
// responder-ports.js alone: plan/index.js would build the whole plan schema in every scan.
import { responderExpectedOn } from '../plan/responder-ports.js';
import type { ProbeRecord } from '../probes/index.js';
import { askResponder } from '../probes/responder-probe.js';
import { recordWithResponderAnswer } from '../probes/responder-outcome.js';
import { tokenFingerprint } from '../responder/wire.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { pushTo } from '../shared/push-to.js';
import { runPaced } from './pace.js';

/** Addresses asked at once; each address's ports are asked one after another. */
const RESPONDER_CONCURRENCY = 8;
/**
 * At most one request per this long to one address: under the responder's per-source limit (10/s
 * after a burst of 20), which would otherwise drop requests and make a busy port look answered by
 * something else.
 */
const PER_ADDRESS_INTERVAL_MS = 125;

/**
 * Two-sided proof: every port where a responder should listen is asked for a proof under the shared
 * token. TCP is asked only where the connect phase was answered (a refusal or silence is already the
 * finding, and is localised as usual); UDP is asked everywhere it was not refused, since the
 * responder turns UDP's silence into something that can be judged.
 */
export async function runResponderPhase(
  records: readonly ProbeRecord[],
  targets: readonly ScanTarget[],
  options: { readonly token: Uint8Array; readonly settings: ProbeSettings; readonly signal: AbortSignal },
): Promise<ProbeRecord[]> {
  const withResponder = new Set(targets.filter((target) => target.responder === true).map((t) => t.host));
  const expectedFingerprint = tokenFingerprint(options.token).toString('hex');
  const results = [...records];
  const byAddress = new Map<string, number[]>();
  records.forEach((record, index) => {
    if (record.address !== null && withResponder.has(record.target) && responderExpectedOn(record))
      pushTo(byAddress, record.address, index);
  });
  // Refused or silent TCP, refused UDP: already the finding, nothing to ask.
  const decidedWithoutAsking = (record: ProbeRecord): ProbeRecord | null => {
    if (record.state === 'error') return record;
    if (record.protocol === 'tcp' && record.state !== 'open') {
      const outcome = record.state === 'closed' ? 'refused' : 'silent';
      return { ...record, responder: { outcome, expectedFingerprint } };
    }
    if (record.protocol === 'udp' && record.state === 'closed')
      return { ...record, responder: { outcome: 'refused', expectedFingerprint } };
    return null;
  };
  await runPaced(
    [...byAddress],
    {
      concurrency: RESPONDER_CONCURRENCY,
      ratePerSecond: options.settings.ratePerSecond,
      signal: options.signal,
    },
    async ([address, indices]) => {
      for (const index of indices) {
        const record = records[index] as ProbeRecord;
        if (options.signal.aborted) return;
        const decided = decidedWithoutAsking(record);
        if (decided) {
          results[index] = decided;
          continue;
        }
        const started = performance.now();
        const answer = await askResponder(address, record.protocol, record.port, {
          token: options.token,
          timeoutMs: options.settings.timeoutMs,
          udpRetries: options.settings.udpRetries,
          signal: options.signal,
        });
        results[index] = recordWithResponderAnswer(record, answer, expectedFingerprint);
        await wait(PER_ADDRESS_INTERVAL_MS - (performance.now() - started), options.signal);
      }
    },
  );
  return results;
}

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return ms <= 0 ? Promise.resolve() : sleep(ms, undefined, { signal }).catch(() => undefined);
}

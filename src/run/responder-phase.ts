import { responderExpectedOn, type ProbeSettings, type ScanTarget } from '../plan/index.js';
import type { ProbeRecord } from '../probes/index.js';
import { askResponder } from '../probes/responder-probe.js';
import { recordWithResponderAnswer } from '../probes/responder-outcome.js';
import { tokenFingerprint } from '../responder/wire.js';
import { runPaced } from './pace.js';

/** Proof requests are one small exchange per port; a responder rate-limits a burst of them anyway. */
const RESPONDER_CONCURRENCY = 8;

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
  return runPaced(
    records,
    {
      concurrency: RESPONDER_CONCURRENCY,
      ratePerSecond: options.settings.ratePerSecond,
      signal: options.signal,
    },
    async (record) => {
      if (!withResponder.has(record.target) || !responderExpectedOn(record) || record.address === null)
        return record;
      if (options.signal.aborted || record.state === 'error') return record;
      if (record.protocol === 'tcp' && record.state !== 'open') {
        const outcome = record.state === 'closed' ? 'refused' : 'silent';
        return { ...record, responder: { outcome, expectedFingerprint } };
      }
      if (record.protocol === 'udp' && record.state === 'closed') {
        return { ...record, responder: { outcome: 'refused', expectedFingerprint } };
      }
      const answer = await askResponder(record.address, record.protocol, record.port, {
        token: options.token,
        timeoutMs: options.settings.timeoutMs,
        udpRetries: options.settings.udpRetries,
        signal: options.signal,
      });
      return recordWithResponderAnswer(record, answer, expectedFingerprint);
    },
  );
}

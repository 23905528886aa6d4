import type { ProbeSettings } from '../plan/index.js';
import type { Prober, ProbeProtocol, ProbeRecord, ProbeState } from '../probes/index.js';
import { runPaced } from './pace.js';

/**
 * A port that answered an address early in the scan, asked again at its end. An address that stops
 * answering there went away (or its path changed) during the scan: its silent ports then say
 * nothing about a firewall.
 */
export interface Recheck {
  readonly protocol: ProbeProtocol;
  readonly port: number;
  /** The state the port had in the scan (open, or closed by the destination itself). */
  readonly before: ProbeState;
  /** What asking again gave. */
  readonly after: Pick<ProbeRecord, 'state' | 'reason'>;
  /** The port gave the same answer again. */
  readonly stillAnswers: boolean;
}

/** Asks of an address that may have vanished: at most two, the second with the full timeout. */
const ASKS = 2;
/** RTTs the first ask waits for: an address that answered once answers again well within this. */
const RTT_MULTIPLE = 8;

/**
 * Asks again, once the other phases are done, one port that answered each address whose other ports
 * were stopped (filtered): the addresses whose filtered ports decide a finding. Addresses that
 * answered everything, or nothing, need no recheck.
 */
export async function runRecheckPhase(
  records: readonly ProbeRecord[],
  options: {
    readonly settings: ProbeSettings;
    readonly probers: Readonly<Record<ProbeProtocol, Prober>>;
    readonly signal: AbortSignal;
  },
): Promise<Map<string, Recheck>> {
  const { settings, probers, signal } = options;
  const answered = new Map<string, ProbeRecord>();
  const stopped = new Set<string>();
  for (const record of records) {
    if (record.address === null) continue;
    if (answeredByDestination(record)) {
      const known = answered.get(record.address);
      // TCP first: a UDP reply may be the application's, a SYN-ACK is the stack's.
      if (!known || (known.protocol === 'udp' && record.protocol === 'tcp'))
        answered.set(record.address, record);
    } else if (record.state === 'filtered') stopped.add(record.address);
  }
  const questions = [...answered.values()].filter((record) => stopped.has(record.address as string));
  const rechecks = new Map<string, Recheck>();
  await runPaced(questions, { ...settings, signal }, async (record) => {
    let after: ProbeRecord | undefined;
    for (let ask = 0; ask < ASKS && !signal.aborted; ask += 1) {
      const timeoutMs =
        ask === ASKS - 1 || record.rttMs === null
          ? settings.timeoutMs
          : Math.min(settings.timeoutMs, Math.max(settings.minTimeoutMs, RTT_MULTIPLE * record.rttMs));
      after = await probers[record.protocol](
        { ...record, address: record.address as string },
        { timeoutMs, udpRetries: settings.udpRetries, signal },
      );
      if (after.state === record.state) break;
    }
    // Interrupted before an answer: no conclusion either way.
    if (!after || after.reason === 'aborted') return;
    rechecks.set(record.address as string, {
      protocol: record.protocol,
      port: record.port,
      before: record.state,
      after: { state: after.state, reason: after.reason },
      stillAnswers: after.state === record.state,
    });
  });
  return rechecks;
}

/** Open, or closed by the destination itself (an attributed RST or port-unreachable). */
function answeredByDestination(record: ProbeRecord): boolean {
  return record.state === 'open' || (record.state === 'closed' && record.replyFrom === record.address);
}

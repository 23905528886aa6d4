import type { ProbeSettings } from '../plan/index.js';
import type { ProbeProtocol, ProbeRecord } from '../probes/index.js';
import {
  HopBudgets,
  RawProbeEngine,
  RawSocketUnavailableError,
  attributeSocketProbe,
  type RawReply,
  type SocketProbeWatch,
} from '../probes/raw/index.js';

/**
 * The raw sockets of one scan, opened before the first probe: they see who answered each connect()
 * (the sender of a RST or ICMP error, its TTL) and count every ICMP error each router sends here,
 * which is what its rate-limit budget is spent on.
 */
export interface RawSession {
  readonly engine: RawProbeEngine;
  readonly budgets: HopBudgets;
  close(): void;
}

export type RawSessionOpening = { readonly session: RawSession } | { readonly unavailable: string };

export async function openRawSession(settings: ProbeSettings): Promise<RawSessionOpening> {
  try {
    const engine = await RawProbeEngine.open({ ratePerSecond: settings.ratePerSecond });
    const budgets = new HopBudgets();
    const stopCounting = engine.onIcmpError((seen) => budgets.spent(seen.from));
    return {
      session: {
        engine,
        budgets,
        close: () => {
          stopCounting();
          engine.close();
        },
      },
    };
  } catch (error) {
    const unavailable =
      error instanceof RawSocketUnavailableError ? `${error.message}; ${error.nextStep}` : String(error);
    return { unavailable };
  }
}

/**
 * A refused or unreachable socket probe waits this long for the raw copy of the packet behind it
 * (both sockets read the same packet; which callback runs first is up to the event loop).
 */
const REFUSAL_GRACE_MS = 30;
/** At the end of the phase, an open port whose SYN-ACK copy has not been read yet waits this long. */
const OPEN_GRACE_MS = 20;

export interface ProbeWatch {
  /** Attributes a refusal or reject now (waiting briefly for its packet); other records as they are. */
  settle(record: ProbeRecord): Promise<ProbeRecord>;
  /**
   * Attributes an open record with its SYN-ACK's sender and TTL (for middlebox detection), read
   * after the phase instead of holding up every probe. Closes the watch.
   */
  finish(record: ProbeRecord): Promise<ProbeRecord>;
}

/** Watches the raw sockets for this probe's answers; a no-op without raw sockets. */
export function watchProbe(
  session: RawSession | undefined,
  protocol: ProbeProtocol,
  address: string,
  port: number,
): ProbeWatch {
  const watch: SocketProbeWatch | undefined = session?.engine.watchSocketProbe(protocol, address, port);
  if (!watch)
    return { settle: (record) => Promise.resolve(record), finish: (record) => Promise.resolve(record) };
  let latest: RawReply | undefined;
  return {
    async settle(record) {
      if (record.state === 'open' || record.state === 'error') return record;
      latest = await watch.answer(record.reason === 'no-response' ? 0 : REFUSAL_GRACE_MS);
      return attributeSocketProbe(record, latest);
    },
    async finish(record) {
      try {
        if (record.state !== 'open' || record.replyFrom !== undefined) return record;
        return attributeSocketProbe(record, latest ?? (await watch.answer(OPEN_GRACE_MS)));
      } finally {
        watch.close();
      }
    },
  };
}

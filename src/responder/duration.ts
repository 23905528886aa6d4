import { usageError, echoed } from '../shared/errors.js';

/** How long `listen` runs when `--for` is not given. */
export const DEFAULT_LISTEN_MS = 15 * 60_000;
/** The longest `--for`: a responder is a measurement, not a service to leave behind on a site server. */
export const MAX_LISTEN_MS = 4 * 3_600_000;

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000 } as const;

/** `90s`, `15m`, `2h`, `1h30m` → milliseconds, between 1 s and MAX_LISTEN_MS. */
export function parseListenDuration(text: string, flag = '--for'): number {
  const trimmed = text.trim().toLowerCase();
  const parts = [...trimmed.matchAll(/(\d{1,6})([smh])/g)];
  if (trimmed === '' || parts.map((part) => part[0]).join('') !== trimmed)
    throw usageError(`${flag}: ${echoed(text)} is not a duration (e.g. 90s, 15m, 2h, 1h30m)`);
  const ms = parts.reduce((sum, part) => sum + Number(part[1]) * UNIT_MS[part[2] as keyof typeof UNIT_MS], 0);
  if (ms < 1000) throw usageError(`${flag}: ${echoed(text)} is shorter than one second`);
  if (ms > MAX_LISTEN_MS)
    throw usageError(
      `${flag}: ${echoed(text)} is longer than ${MAX_LISTEN_MS / 3_600_000}h, the most a responder runs`,
    );
  return ms;
}

/** `15m`, `1h30m`, `90s` for messages. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s || seconds === 0 ? `${s}s` : ''}`;
}

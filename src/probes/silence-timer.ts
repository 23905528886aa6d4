/**
 * A timeout that declares silence only after the event loop has read the sockets once more. Node
 * runs due timers before it polls for I/O: when the loop was busy, a reply that arrived in time can
 * still sit unread when its probe's timer fires, and a plain setTimeout would call it silence —
 * a port reported filtered that answered. Deferring by one setImmediate lets the poll phase run
 * first.
 */
export function setSilenceTimer(onSilence: () => void, timeoutMs: number): NodeJS.Timeout {
  return setTimeout(() => setImmediate(onSilence), timeoutMs);
}

/** probes/raw: TTL-limited raw-socket probes (IPv4) that locate what blocks a port. Needs CAP_NET_RAW. */
export {
  RawProbeEngine,
  RAW_REPLY_KINDS,
  type RawEngineOptions,
  type RawReply,
  type RawReplyKind,
} from './engine.js';
export {
  RAW_UNAVAILABLE_KINDS,
  RawSocketUnavailableError,
  rawSocketErrorOf,
  type RawUnavailableKind,
} from './errors.js';
export { type SocketProbeWatch, type IcmpErrorSeen } from './engine.js';
export { attributeSocketProbe } from './attribute.js';
export { HopBudgets, LINUX_ICMP_BUDGET, type HopBudgetModel } from './hop-budget.js';
export { localiseRecords, rawProbeTimeout, type LocaliseOptions, type LocaliseResult } from './localise.js';
export type { Ask, ReferencePath } from './path-groups.js';
export { FULL_TTL } from './walk.js';
export { synProber } from './syn-probe.js';

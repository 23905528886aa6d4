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
export { refineWithRawProbes, type RawRefineOptions, type RawRefinement } from './refine.js';
export { REFERENCE_BASES, type ReferenceBasis, type ReferencePath } from './reference.js';

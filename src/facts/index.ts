/** facts/: the one typed view of plan, probes and vantage that rules evaluate. */
export { buildFacts, newPortsOf } from './build-facts.js';
export type { EndpointFacts, Facts, NewPort, ServerEvidence } from './types.js';

/** facts/: the one typed view of plan, probes and vantage that rules evaluate. */
export { buildFacts } from './build-facts.js';
export type { EndpointFacts, Facts } from './types.js';

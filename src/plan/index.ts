/** plan/: read, validate and resolve what to check. */
export { loadPlanFile, parsePlanText, sha256Hex, type LoadedPlan } from './load-plan.js';
export { resolvePlan } from './resolve-plan.js';
export { buildAdhocSpec, parsePortArgument, parsePortList, type AdhocOptions } from './adhoc.js';
export { applyCommandLineOverrides, type ProbeFlagSettings } from './command-line-overrides.js';
export { planSchema, type Plan, type ProbeSettings, type SiteSystemRole } from './schema.js';
export { SCAN_PHASES, type ScanPhase } from './scan-spec.js';
export type { ScanSpec, ScanTarget, ChangeSpec, PortAssignment, SiteRef } from './scan-spec.js';
export { listenPortsArgument, responderExpectedOn, responderPortsOf } from './responder-ports.js';

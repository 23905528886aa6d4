// The facts of probe records: `probes` (one per record) and `comparisons` (a new port beside the
// current port of its scheme). A big scan has thousands of records: each fact is one object literal
// with every field written out (one shape for all of them, no spreads), and a comparison reuses the
// values of its probe's fact instead of deriving them again.
import type { EndpointFacts } from '../facts/types.js';
import { MP_HEALTH_PATHS } from '../probes/mp-health-paths.js';
import {
  PROBE_REASONS,
  REACHED_HOST_STATES,
  type HttpExchange,
  type PortRole,
  type ProbeReason,
  type ProbeRecord,
} from '../probes/types.js';
import type { FactTreeOf } from './catalogue.js';
import { blockedByPhrase, probeEvidence, probeOutcome, PROTOCOL_UPPER, whereToOpen } from './describe.js';
import { replyHopsOf, rewritesText } from './fact-tree-paths.js';

export type ProbeTree = FactTreeOf['probes'][number];
type ComparisonTree = FactTreeOf['comparisons'][number];

/** `local error` for `local-error`: what a probe's detail falls back to. */
const REASON_WORDS = Object.fromEntries(
  PROBE_REASONS.map((reason) => [reason, reason.replaceAll('-', ' ')]),
) as Record<ProbeReason, string>;

/** The fact of one probe record (RULE_CATALOGUE `probe`); `label` is its endpoint's `host (address)`. */
export function probeFact(record: ProbeRecord, endpoint: EndpointFacts, label: string): ProbeTree {
  const destination = record.address ?? record.target;
  const mpList = mpListExchange(record);
  return {
    target: record.target,
    address: destination,
    endpoint: label,
    protocol: record.protocol,
    protocolUpper: PROTOCOL_UPPER[record.protocol],
    port: record.port,
    role: record.roles[0] ?? 'extra',
    roles: record.roles,
    state: record.state,
    reason: record.reason,
    outcome: probeOutcome(record),
    detail: record.detail ?? '',
    detailText: record.detail ?? REASON_WORDS[record.reason],
    attributed: record.replyFrom !== undefined,
    replyFrom: record.replyFrom ?? '',
    blockedBetween: record.blockedBetween ? record.blockedBetween.join(' and ') : '',
    localisation: record.localisation ?? '',
    inferredFrom: record.inferredFrom ?? '',
    answeredCloser: record.answeredCloser !== undefined,
    replyHops: replyHopsOf(record),
    destinationHops: record.answeredCloser?.destinationHops ?? 0,
    rewrites: rewritesText(record),
    blockedBy: record.blockedBy ?? '',
    blockedPhrase: blockedByPhrase(record),
    whereToOpen: whereToOpen(record, destination),
    endpointReachedHost: endpoint.reachedHost,
    managementPoint: isManagementPoint(endpoint),
    mpListAsked: mpList !== undefined,
    mpListStatus: mpList?.status ?? 0,
    mpListAnswer: mpListAnswer(mpList),
    responderOutcome: record.responder?.outcome ?? '',
    responderIdentity: record.responder?.identity ?? '',
    responderFingerprint: record.responder?.tokenFingerprint ?? '',
    expectedFingerprint: record.responder?.expectedFingerprint ?? '',
    ref: probeEvidence(record),
  };
}

/** Unknown roles (ad-hoc check) count as a management point: the client ports are the MP's. */
function isManagementPoint(endpoint: EndpointFacts): boolean {
  const roles = endpoint.target.systemRoles;
  return roles.length === 0 || roles.includes('management-point');
}

const MP_LIST_PATH = MP_HEALTH_PATHS[0];

/** The exchange of the MP list health check (app-probe.ts asks it first), when it was asked. */
function mpListExchange(record: ProbeRecord): HttpExchange | undefined {
  return record.app?.http.find((exchange) => exchange.url.endsWith(MP_LIST_PATH));
}

function mpListAnswer(exchange: HttpExchange | undefined): string {
  if (exchange === undefined) return 'not asked';
  return exchange.status === null ? (exchange.error ?? 'no answer') : `HTTP ${exchange.status}`;
}

/** A probe fact with the current port of its scheme beside it (RULE_CATALOGUE `comparisons`). */
function comparisonFact(
  probe: ProbeTree,
  comparison: string,
  current: ProbeTree,
  currentRecord: ProbeRecord,
): ComparisonTree {
  return {
    target: probe.target,
    address: probe.address,
    endpoint: probe.endpoint,
    protocol: probe.protocol,
    protocolUpper: probe.protocolUpper,
    port: probe.port,
    role: probe.role,
    roles: probe.roles,
    state: probe.state,
    reason: probe.reason,
    outcome: probe.outcome,
    detail: probe.detail,
    detailText: probe.detailText,
    attributed: probe.attributed,
    replyFrom: probe.replyFrom,
    blockedBetween: probe.blockedBetween,
    localisation: probe.localisation,
    inferredFrom: probe.inferredFrom,
    answeredCloser: probe.answeredCloser,
    replyHops: probe.replyHops,
    destinationHops: probe.destinationHops,
    rewrites: probe.rewrites,
    blockedBy: probe.blockedBy,
    blockedPhrase: probe.blockedPhrase,
    whereToOpen: probe.whereToOpen,
    endpointReachedHost: probe.endpointReachedHost,
    managementPoint: probe.managementPoint,
    mpListAsked: probe.mpListAsked,
    mpListStatus: probe.mpListStatus,
    mpListAnswer: probe.mpListAnswer,
    responderOutcome: probe.responderOutcome,
    responderIdentity: probe.responderIdentity,
    responderFingerprint: probe.responderFingerprint,
    expectedFingerprint: probe.expectedFingerprint,
    ref: probe.ref,
    label: comparison,
    currentPort: current.port,
    currentOutcome: current.outcome,
    currentReachedHost: REACHED_HOST_STATES.has(currentRecord.state),
    currentRef: current.ref,
  };
}

const NEW_PORT_ROLES: readonly { role: PortRole; current: PortRole; label: string }[] = [
  { role: 'candidate-http', current: 'current-http', label: 'Candidate HTTP' },
  { role: 'candidate-https', current: 'current-https', label: 'Candidate HTTPS' },
  { role: 'alternate-http', current: 'current-http', label: 'Alternate HTTP' },
  { role: 'alternate-https', current: 'current-https', label: 'Alternate HTTPS' },
];

/**
 * The comparisons of one endpoint: each new port it was probed on that is not also today's port.
 * `facts` are the endpoint's probe facts, in the order of its records.
 */
export function comparisonsOf(
  endpoint: EndpointFacts,
  label: string,
  facts: readonly ProbeTree[],
): ComparisonTree[] {
  const factOf = (record: ProbeRecord) =>
    facts[endpoint.probes.indexOf(record)] ?? probeFact(record, endpoint, label);
  const comparisons: ComparisonTree[] = [];
  for (const { role, current: currentRole, label: comparison } of NEW_PORT_ROLES) {
    const candidate = endpoint.byRole[role];
    const current = endpoint.byRole[currentRole];
    if (!candidate || !current || candidate === current) continue;
    comparisons.push(comparisonFact(factOf(candidate), comparison, factOf(current), current));
  }
  return comparisons;
}

/** Today's ports, in words: a port a role serves today and after the change (DOMAIN.md (a)). */
const BASELINE_ROLES: readonly { role: PortRole; words: string; unchangedWhen?: PortRole }[] = [
  { role: 'current-http', words: "today's HTTP client request port", unchangedWhen: 'candidate-http' },
  { role: 'current-https', words: "today's HTTPS client request port", unchangedWhen: 'candidate-https' },
  { role: 'enrollment', words: 'the enrollment port of the enrollment proxy point' },
];

/**
 * Today's ports of one endpoint that did not answer (closed or filtered): the baseline a change is
 * judged against. A port both today's and the candidate (unchanged) counts too: it serves nobody now.
 */
export function baselineFailuresOf(endpoint: EndpointFacts) {
  const failures: { port: number; text: string; ref: string }[] = [];
  for (const record of endpoint.probes) {
    if (record.state !== 'closed' && record.state !== 'filtered') continue;
    const words = BASELINE_ROLES.filter(({ role }) => record.roles.includes(role)).map(
      ({ words, unchangedWhen }) =>
        unchangedWhen !== undefined && record.roles.includes(unchangedWhen)
          ? `${words}, which the change keeps`
          : words,
    );
    if (words.length === 0) continue;
    failures.push({
      port: record.port,
      text: `${PROTOCOL_UPPER[record.protocol]} ${record.port} (${words.join(' and ')}) is ${probeOutcome(record)}${blockedByPhrase(record)}`,
      ref: probeEvidence(record),
    });
  }
  return {
    baselineFailures: failures,
    baselineFailuresText: failures.map((failure) => failure.text).join('; '),
    baselineFailuresRefs: failures.map((failure) => failure.ref),
  };
}

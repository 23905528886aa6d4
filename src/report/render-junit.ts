import { XMLBuilder } from 'fast-xml-parser';
import { pushTo } from '../shared/push-to.js';
import { probeEvidence } from '../rules/describe.js';
import { SEVERITIES, type Severity } from '../rules/types.js';
import { copyLines, embeddedCopyOf, type EmbeddedCopy } from './embedded-copy.js';
import { sealedOrBare, type SealedReport } from './integrity.js';
import type { Report, ReportFinding, ReportProbe } from './model.js';

/**
 * JUnit XML for CI systems (Azure DevOps, GitLab, Jenkins): one test suite per site system holding
 * a test case per probe and per finding about it, and a first suite for the findings about the plan
 * as a whole. A no-go finding fails, a condition fails with type="condition", an incomplete one is
 * an error, info and waived findings pass; a probe takes the worst finding that cites it. The first
 * suite's properties carry the verdict and the seal, the sealed report among them for verify.
 */
export function renderJunitReport(report: Report): string {
  const sealed = sealedOrBare(report);
  return junitDocument(sealed, embeddedCopyOf(sealed));
}

/** The copy, one attribute value here, back in the lines its sha256 is taken over. */
export function findJunitCopy(text: string): string[] | null {
  const match = /<property name="portflight\.report" value="([A-Za-z0-9+/=]*)"\/>/.exec(text);
  return match ? copyLines(match[1] as string) : null;
}

interface Outcome {
  readonly kind: 'pass' | 'failure' | 'condition' | 'error';
  readonly message?: string;
}

const OUTCOME_OF_SEVERITY: Readonly<Record<Severity, Outcome['kind']>> = {
  'no-go': 'failure',
  condition: 'condition',
  incomplete: 'error',
  info: 'pass',
};

const PLAN_SUITE = 'portflight: change plan';

export function junitDocument(report: SealedReport, copy: EmbeddedCopy): string {
  const hosts = report.targets.map((target) => target.host);
  const suites = new Map<string, object[]>([
    [PLAN_SUITE, []],
    ...hosts.map((host) => [host, []] as [string, object[]]),
  ]);
  const outcomes = new Map<string, Outcome['kind'][]>();
  const push = (suite: string, testcase: object, outcome: Outcome['kind']) => {
    suites.get(suite)?.push(testcase);
    pushTo(outcomes, suite, outcome);
  };
  const citing = findingsByProbe(report.findings);
  for (const probe of report.probes) {
    const outcome = worstOutcome(citing.get(probeEvidence(probe)) ?? []);
    push(suites.has(probe.target) ? probe.target : PLAN_SUITE, probeCase(probe, outcome), outcome.kind);
  }
  for (const finding of report.findings) {
    const outcome = findingOutcome(finding);
    push(suiteOfSubject(finding.subject, hosts), findingCase(finding, outcome), outcome.kind);
  }
  const seconds = (report.durationMs / 1000).toFixed(3);
  const names = [...suites.keys()];
  const testsuite = names.map((name, index) => {
    const kinds = outcomes.get(name) ?? [];
    return {
      '@_name': name,
      '@_tests': String(kinds.length),
      '@_failures': String(kinds.filter((kind) => kind === 'failure' || kind === 'condition').length),
      '@_errors': String(kinds.filter((kind) => kind === 'error').length),
      '@_skipped': '0',
      '@_time': index === 0 ? seconds : '0',
      '@_timestamp': report.startedAt.replace(/\.\d+Z$/, ''),
      '@_hostname': xmlSafe(report.vantage.hostname),
      '@_id': String(index),
      ...(index === 0 ? { properties: { property: planProperties(report, copy) } } : {}),
      testcase: suites.get(name) ?? [],
    };
  });
  const all = [...outcomes.values()].flat();
  return new XMLBuilder(BUILDER_OPTIONS).build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    testsuites: {
      '@_name': xmlSafe(`portflight ${report.plan.name ?? report.plan.path ?? 'check'}: ${report.verdict}`),
      '@_tests': String(all.length),
      '@_failures': String(all.filter((kind) => kind === 'failure' || kind === 'condition').length),
      '@_errors': String(all.filter((kind) => kind === 'error').length),
      '@_time': seconds,
      testsuite,
    },
  }) as string;
}

const BUILDER_OPTIONS = {
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  suppressEmptyNode: true,
  processEntities: true,
} as const;

function planProperties(report: SealedReport, copy: EmbeddedCopy) {
  const signature = report.integrity.signature;
  const entries: [string, string][] = [
    ['verdict', report.verdict],
    ['verdictWithoutWaivers', report.verdictWithoutWaivers],
    ['tool', `${report.tool.name} ${report.tool.version}`],
    ['plan.sha256', report.plan.sha256],
    ['vantage', report.vantage.hostname],
    ['integrity.sha256', report.integrity.sha256],
    ...(signature
      ? ([['integrity.signature', `${signature.algorithm} ${signature.keyId} ${signature.value}`]] as [
          string,
          string,
        ][])
      : []),
    ['portflight.report.sha256', copy.sha256],
    ['portflight.report', copy.lines.join('')],
  ];
  return entries.map(([name, value]) => ({ '@_name': name, '@_value': xmlSafe(value) }));
}

function probeCase(probe: ReportProbe, outcome: Outcome) {
  const where =
    probe.blockedBy === undefined
      ? ''
      : `; blocked by ${probe.blockedBy ?? 'a device that could not be told'}`;
  const text = `${probe.protocol}/${probe.port} ${probe.state} (${probe.reason})${where}`;
  return {
    '@_name': xmlSafe(`${probe.protocol}/${probe.port} ${probe.role} on ${probe.address ?? 'unresolved'}`),
    '@_classname': xmlSafe(`portflight.probe.${probe.target}`),
    '@_time': probe.rttMs === null ? '0' : (probe.rttMs / 1000).toFixed(4),
    ...outcomeElement(outcome, text),
  };
}

function findingCase(finding: ReportFinding, outcome: Outcome) {
  const lines = [
    finding.message,
    ...(finding.waived
      ? [`Waived by ${finding.waived.owner} until ${finding.waived.expires}: ${finding.waived.reason}`]
      : []),
    ...(finding.remediation ? ['', 'Remediation:', finding.remediation] : []),
    ...(finding.evidence.length > 0 ? ['', `Evidence: ${finding.evidence.join(', ')}`] : []),
    ...(finding.proof ?? []).map((proof) => `${proof.ref}: ${proof.line}`),
  ];
  return {
    '@_name': xmlSafe(`${finding.rule} ${finding.subject}`),
    '@_classname': xmlSafe(`portflight.rule.${finding.rule}`),
    '@_time': '0',
    ...outcomeElement(outcome, lines.join('\n')),
  };
}

/** A failure or error with the whole text; a pass keeps the text as its output. */
function outcomeElement(outcome: Outcome, text: string) {
  const message = xmlSafe((outcome.message ?? '').replace(/\s+/g, ' '));
  switch (outcome.kind) {
    case 'pass':
      return { 'system-out': xmlSafe(text) };
    case 'error':
      return { error: { '@_type': 'incomplete', '@_message': message, '#text': xmlSafe(text) } };
    case 'failure':
      return { failure: { '@_type': 'no-go', '@_message': message, '#text': xmlSafe(text) } };
    case 'condition':
      return { failure: { '@_type': 'condition', '@_message': message, '#text': xmlSafe(text) } };
  }
}

function findingOutcome(finding: ReportFinding): Outcome {
  if (finding.waived !== undefined) return { kind: 'pass' };
  return { kind: OUTCOME_OF_SEVERITY[finding.severity], message: finding.message };
}

/** A probe fails as the worst finding not waived that cites it does. */
function worstOutcome(findings: readonly ReportFinding[]): Outcome {
  const open = findings.filter((finding) => finding.waived === undefined);
  const worst = [...SEVERITIES]
    .reverse()
    .find((severity) => open.some((finding) => finding.severity === severity));
  if (worst === undefined || worst === 'info') return { kind: 'pass' };
  const first = open.find((finding) => finding.severity === worst) as ReportFinding;
  return { kind: OUTCOME_OF_SEVERITY[worst], message: `${first.rule}: ${first.message}` };
}

function findingsByProbe(findings: readonly ReportFinding[]): Map<string, ReportFinding[]> {
  const map = new Map<string, ReportFinding[]>();
  for (const finding of findings)
    for (const ref of finding.evidence) if (ref.startsWith('probe:')) pushTo(map, ref, finding);
  return map;
}

/** A finding about `host`, `host:port`, `host:Default Web Site` … belongs to that system's suite. */
function suiteOfSubject(subject: string, hosts: readonly string[]): string {
  return hosts.find((host) => subject === host || subject.startsWith(`${host}:`)) ?? PLAN_SUITE;
}

/** XML 1.0 allows no control characters but tab and line breaks, nor lone surrogates. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|\p{Cs}/gu;

function xmlSafe(text: string): string {
  return text.replace(NOT_XML, '\ufffd');
}

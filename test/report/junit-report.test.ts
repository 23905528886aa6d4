import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { expect, it } from 'vitest';
import { REPORT_RENDERERS, type Report } from '../../src/report/index.js';
import { describeWithCommands } from '../support/require-commands.js';
import { estateReport, richReport } from '../support/sample-reports.js';

/** The Jenkins JUnit schema (see junit/README.md for where it comes from). */
const XSD = fileURLToPath(new URL('./junit/jenkins-junit.xsd', import.meta.url));

interface Case {
  '@_name': string;
  '@_classname': string;
  failure?: { '@_type': string };
  error?: { '@_type': string };
}
interface Suite {
  '@_name': string;
  '@_tests': string;
  '@_failures': string;
  '@_errors': string;
  testcase?: Case[];
}

function parseJunit(xml: string) {
  const parser = new XMLParser({
    ignoreAttributes: false,
    isArray: (name) => name === 'testsuite' || name === 'testcase' || name === 'property',
  });
  return parser.parse(xml) as { testsuites: Record<string, string> & { testsuite: Suite[] } };
}

function validate(xml: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'pf-junit-')), 'report.junit.xml');
  writeFileSync(file, xml);
  // xmllint prints "… validates" on stderr and exits non-zero (3) when the document does not.
  return execFileSync('xmllint', ['--noout', '--schema', XSD, file], { encoding: 'utf8', stdio: 'pipe' });
}

describeWithCommands('JUnit report', ['xmllint'], () => {
  it.each([
    ['rich', richReport()],
    ['200 × 8 estate', estateReport()],
  ])('validates against the Jenkins JUnit XSD (%s report)', (_name, report: Report) => {
    expect(() => validate(REPORT_RENDERERS.junit(report))).not.toThrow();
  });

  it('is refused by the XSD when it breaks the schema (the check can fail)', () => {
    const broken = REPORT_RENDERERS.junit(richReport()).replace('<testcase name=', '<testcase nom=');
    expect(() => validate(broken)).toThrow(/fails to validate|Element 'testcase'/);
  });

  it('has a test case per probe and per finding, and counts that match the findings', () => {
    const report = richReport();
    const { testsuites } = parseJunit(REPORT_RENDERERS.junit(report));
    const cases = testsuites.testsuite.flatMap((suite) => suite.testcase ?? []);
    const rules = cases.filter((testcase) => testcase['@_classname'].startsWith('portflight.rule.'));
    const probes = cases.filter((testcase) => testcase['@_classname'].startsWith('portflight.probe.'));
    expect(rules).toHaveLength(report.findings.length);
    expect(probes).toHaveLength(report.probes.length);

    const open = report.findings.filter((finding) => finding.waived === undefined);
    const count = (severity: string) => open.filter((finding) => finding.severity === severity).length;
    expect(rules.filter((c) => c.failure?.['@_type'] === 'no-go')).toHaveLength(count('no-go'));
    expect(rules.filter((c) => c.failure?.['@_type'] === 'condition')).toHaveLength(count('condition'));
    expect(rules.filter((c) => c.error !== undefined)).toHaveLength(count('incomplete'));
    // Info and waived findings pass.
    expect(rules.filter((c) => !c.failure && !c.error)).toHaveLength(
      report.findings.length - open.length + count('info'),
    );

    // A probe fails as the worst finding citing it: the two no-go blocked ports, the host-firewall
    // condition, and the unresolved host (incomplete); the rest pass.
    expect(probes.filter((c) => c.failure?.['@_type'] === 'no-go')).toHaveLength(2);
    expect(probes.filter((c) => c.failure?.['@_type'] === 'condition')).toHaveLength(1);
    expect(probes.filter((c) => c.error !== undefined)).toHaveLength(1);

    for (const suite of testsuites.testsuite) {
      const suiteCases = suite.testcase ?? [];
      expect(Number(suite['@_tests'])).toBe(suiteCases.length);
      expect(Number(suite['@_failures'])).toBe(suiteCases.filter((c) => c.failure).length);
      expect(Number(suite['@_errors'])).toBe(suiteCases.filter((c) => c.error).length);
    }
    expect(Number(testsuites['@_tests'])).toBe(cases.length);
    expect(Number(testsuites['@_failures'])).toBe(cases.filter((c) => c.failure).length);
    expect(Number(testsuites['@_errors'])).toBe(cases.filter((c) => c.error).length);
  });

  it('groups test cases per site system, plan-wide findings first', () => {
    const { testsuites } = parseJunit(REPORT_RENDERERS.junit(richReport()));
    expect(testsuites.testsuite.map((suite) => suite['@_name'])).toEqual([
      'portflight: change plan',
      'mp01.corp.example',
      'dp02.corp.example',
      'gone.corp.example',
    ]);
    const mp01 = testsuites.testsuite[1]?.testcase ?? [];
    expect(mp01.map((c) => c['@_name'])).toContain('IIS-BINDING-CONFLICT mp01.corp.example:8443');
    expect(mp01.map((c) => c['@_name'])).toContain('tcp/8080 candidate-http on 198.18.3.2');
  });
});

import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRulePacks } from '../../src/cli/rule-packs.js';
import { InputError } from '../../src/shared/errors.js';
import { ruleText, testCatalogue } from '../rules/engine/fixtures.js';
import { runCli } from '../support/cli.js';

/** An organisation's policy, as a rule pack would hold it: new ports only in 8000-8999. */
const PORT_RANGE_RULE = `id: ORG-PORT-RANGE
title: New client request ports must be in 8000-8999
severity: no-go
description: |
  Contoso's firewall policy opens 8000-8999 between client and server VLANs.
for: { each: change.newPorts, as: newPort }
when: { not: { fact: newPort.port, between: [8000, 8999] } }
subject: "port {newPort.port}"
message: "{newPort.label} is outside Contoso's client port range 8000-8999."
references:
  - { title: "Contoso network policy NP-12, section 4", url: "https://intranet.contoso.example/policies/np-12#4" }
`;

/** A path inside a RegExp, matched literally. */
const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

let pack = '';
let root = '';

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'portflight-rules-'));
  pack = join(root, 'contoso');
  await mkdir(pack);
  await writeFile(join(pack, 'org-port-range.yaml'), PORT_RANGE_RULE);
  // Only *.yaml files are rules: notes beside them are not read.
  await writeFile(join(pack, 'README.md'), '# Contoso rules\n');
});

const reportOf = (stdout: string) =>
  JSON.parse(stdout) as {
    verdict: string;
    verdictWithoutWaivers: string;
    findings: { rule: string; subject: string; waived?: { owner: string } }[];
    waivers: { rule: string; status: string; matched: number }[];
  };

describe('portflight rules list / explain', () => {
  it('lists a pack rule with its id, severity, title and file, within 80 columns', async () => {
    const run = await runCli(['rules', 'list', '--rules', pack]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+SEVERITY\s+TITLE$/);
    // A path longer than the column cannot be cut; every other line fits.
    for (const line of lines) if (!line.includes(pack)) expect(line.length, line).toBeLessThanOrEqual(80);
    const at = lines.findIndex((line) => line.startsWith('ORG-PORT-RANGE '));
    expect(lines[at]).toMatch(/^ORG-PORT-RANGE\s+no-go\s+New client request ports must be in\b/);
    // The title goes on under its column, then the file the rule came from (built-in rules: none).
    const end = lines.findIndex((line, index) => index > at && !line.startsWith(' '));
    const title = lines.slice(at, end === -1 ? undefined : end).map((line) => line.slice(44).trim());
    expect(title.join(' ')).toBe(
      `New client request ports must be in 8000-8999 from ${join(pack, 'org-port-range.yaml')}`,
    );
    expect(run.stdout).not.toMatch(/rules\/cm-alternate-port\.yaml/);
  });

  it('lists the rules as JSON with their files', async () => {
    const run = await runCli(['rules', 'list', '--rules', pack, '--format', 'json']);
    expect(run.code).toBe(0);
    const list = JSON.parse(run.stdout) as {
      id: string;
      severity: string;
      title: string;
      file: string;
      builtin: boolean;
    }[];
    expect(list).toContainEqual({
      id: 'ORG-PORT-RANGE',
      severity: 'no-go',
      title: 'New client request ports must be in 8000-8999',
      file: join(pack, 'org-port-range.yaml'),
      builtin: false,
    });
    expect(list).toContainEqual(
      expect.objectContaining({ id: 'PF-OFFLINE', file: 'rules/pf-offline.yaml', builtin: true }),
    );
  });

  it('explains a rule (any case): title, severity, file, description, condition, message and references with their URLs', async () => {
    const run = await runCli(['rules', 'explain', 'org-port-range', '--rules', pack]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        'ORG-PORT-RANGE: New client request ports must be in 8000-8999',
        'severity: no-go',
        `file: ${join(pack, 'org-port-range.yaml')}:1:5`,
        '',
        "Contoso's firewall policy opens 8000-8999 between client and server VLANs.",
        '',
        'for each: newPort in change.newPorts',
        'when:',
        '  not:',
        '    newPort.port is between 8000 and 8999',
        '',
        'message:',
        "  {newPort.label} is outside Contoso's client port range 8000-8999.",
        '',
        'references:',
        '  - Contoso network policy NP-12, section 4',
        '    https://intranet.contoso.example/policies/np-12#4',
        '',
      ].join('\n'),
    );
  });

  it('explains a built-in rule with its condition, its remediation and the Microsoft Learn URL of each document', async () => {
    const run = await runCli(['rules', 'explain', 'CM-SECONDARY-SITES-INHERIT']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      ['when:', '  all of:', '    change.portsChanged = true', '    hierarchy.secondaryCount > 0'].join('\n'),
    );
    expect(run.stdout).toMatch(/\nremediation:\n {2}Nothing to set on the secondary sites/);
    expect(run.stdout).toContain(
      '  - Websites for site system servers in Configuration Manager\n' +
        '    https://learn.microsoft.com/intune/configmgr/core/plan-design/network/websites-for-site-system-servers\n',
    );
  });

  it('refuses an unknown id with one line and exit 64', async () => {
    const run = await runCli(['rules', 'explain', 'ORG-NO-SUCH-RULE', '--rules', pack]);
    expect(run.code).toBe(64);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('portflight: no rule ORG-NO-SUCH-RULE (portflight rules list shows the rules)\n');
  });
});

describe('rule packs: errors', () => {
  it('refuses a bad rule file with file:line:col lines and exit 65', async () => {
    const bad = join(root, 'bad');
    await mkdir(bad);
    await writeFile(
      join(bad, 'org-bad-rule.yaml'),
      PORT_RANGE_RULE.replace('id: ORG-PORT-RANGE', 'id: ORG-BAD-RULE')
        .replace('newPort.port, between', 'newPort.prot, between')
        .replace('severity: no-go', 'severity: fatal'),
    );
    const run = await runCli(['rules', 'list', '--rules', bad]);
    expect(run.code).toBe(65);
    expect(run.stdout).toBe('');
    const file = join(bad, 'org-bad-rule.yaml');
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^${literally(file)}:3:11: severity: `)),
    ]);

    await writeFile(
      file,
      PORT_RANGE_RULE.replace('id: ORG-PORT-RANGE', 'id: ORG-BAD-RULE').replace(
        'newPort.port, between',
        'newPort.prot, between',
      ),
    );
    const typo = await runCli(['check', '127.0.0.1', '--http', '8080', '--offline', '--rules', bad]);
    expect(typo.code).toBe(65);
    expect(typo.stdout).toBe('');
    expect(typo.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^${literally(file)}:7:\\d+: when\\.not\\.fact: .*prot`)),
    ]);
  });

  it.each([
    ['a missing folder', 'no-such-folder', 'no such folder'],
    ['a folder without rule files', 'empty', 'no *.yaml rule file in this folder'],
  ])('refuses %s with one line and exit 65', async (_, name, why) => {
    const dir = join(root, name);
    if (name === 'empty') await mkdir(dir, { recursive: true });
    const run = await runCli(['scan', 'samples/demo/plan.yaml', '--offline', '--rules', dir]);
    expect(run.code).toBe(65);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(new RegExp(`^portflight: --rules ${literally(dir)}: .*${literally(why)}\\n$`));
  });
});

describe('rule packs: a pack rule in a scan', () => {
  it('fires on a candidate port outside the range (offline: nothing is probed)', async () => {
    const run = await runCli([
      'check',
      '127.0.0.1',
      '--http',
      '9090',
      '--https',
      '8443',
      '--offline',
      '--rules',
      pack,
      '-f',
      'json',
    ]);
    const report = reportOf(run.stdout);
    expect(report.findings.filter((f) => f.rule === 'ORG-PORT-RANGE').map((f) => f.subject)).toEqual([
      'port 9090',
    ]);
    expect(report.verdict).toBe('no-go');
    expect(run.code).toBe(2);
  });

  it('stays quiet when every new port is in the range', async () => {
    const run = await runCli([
      'check',
      '127.0.0.1',
      '--http',
      '8080',
      '--https',
      '8443',
      '--offline',
      '--rules',
      pack,
      '-f',
      'json',
    ]);
    const report = reportOf(run.stdout);
    expect(report.findings.map((f) => f.rule)).not.toContain('ORG-PORT-RANGE');
    expect(run.code).toBe(3); // offline: never better than incomplete
  });

  it("is waived by the plan's waiver: the exit code follows the verdict with waivers", async () => {
    const plan = join(root, 'plan.yaml');
    await writeFile(
      plan,
      `portflight: 1
hierarchy:
  primarySites:
    - siteCode: P01
      systems: [{ host: 127.0.0.1, roles: [management-point] }]
change:
  clientRequest:
    http: { current: 80, candidate: 9090 }
waivers:
  - rule: ORG-PORT-RANGE
    subject: "port 9*"
    reason: Firewall change request FW-981 opens 9090
    owner: Network team
    expires: 2999-12-31
  - rule: ORG-PORT-RANGE
    reason: The old exception
    owner: Network team
    expires: 2000-01-01
  - rule: PF-OFFLINE
    reason: Missing facts cannot be accepted
    owner: Network team
    expires: 2999-12-31
`,
    );
    const run = await runCli(['scan', plan, '--offline', '--rules', pack, '-f', 'json']);
    const report = reportOf(run.stdout);
    expect(report.verdict).toBe('incomplete');
    expect(report.verdictWithoutWaivers).toBe('no-go');
    expect(report.findings.find((f) => f.rule === 'ORG-PORT-RANGE')?.waived?.owner).toBe('Network team');
    expect(report.waivers.map((w) => [w.rule, w.status, w.matched])).toEqual([
      ['ORG-PORT-RANGE', 'active', 1],
      ['ORG-PORT-RANGE', 'expired', 1],
      ['PF-OFFLINE', 'unused', 0],
    ]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/1 waived \(NO-GO without waivers\); 1 waiver\(s\) expired\n$/);
  });
});

describe('loadRulePacks (in process, with the engine test catalogue)', () => {
  const quietRule = (id: string) => ruleText(id, 'when: { fact: clients.workgroup, gt: 0 }\nmessage: m');

  it('adds the packs to the built-in rules, names files from the working directory, orders by id', async () => {
    const builtinDir = join(root, 'loader', 'rules');
    const packDir = join(root, 'loader', 'pack');
    await mkdir(builtinDir, { recursive: true });
    await mkdir(packDir, { recursive: true });
    await writeFile(join(builtinDir, 'pf-builtin.yaml'), quietRule('PF-BUILTIN'));
    await writeFile(join(packDir, 'org-extra.yaml'), quietRule('ORG-EXTRA'));
    const rules = await loadRulePacks([packDir], {
      builtinDir,
      catalogue: testCatalogue,
      cwd: join(root, 'loader'),
    });
    expect(rules.map((rule) => [rule.id, rule.source.file])).toEqual([
      ['ORG-EXTRA', join('pack', 'org-extra.yaml')],
      ['PF-BUILTIN', join('rules', 'pf-builtin.yaml')],
    ]);
  });

  it('refuses a pack rule that reuses a built-in id, naming where the first one is', async () => {
    const builtinDir = join(root, 'dup', 'rules');
    const packDir = join(root, 'dup', 'pack');
    await mkdir(builtinDir, { recursive: true });
    await mkdir(packDir, { recursive: true });
    await writeFile(join(builtinDir, 'pf-builtin.yaml'), quietRule('PF-BUILTIN'));
    await writeFile(join(packDir, 'pf-builtin.yaml'), quietRule('PF-BUILTIN'));
    const loading = loadRulePacks([packDir], {
      builtinDir,
      catalogue: testCatalogue,
      cwd: join(root, 'dup'),
    });
    await expect(loading).rejects.toThrow(InputError);
    await expect(loading).rejects.toThrow(
      `${join('pack', 'pf-builtin.yaml')}:1:5: id: rule PF-BUILTIN is already defined in ${join('rules', 'pf-builtin.yaml')}:1:5`,
    );
  });
});

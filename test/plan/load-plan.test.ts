import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { problemsOf } from '../support/plan-problems.js';
import { InputError } from '../../src/shared/errors.js';
import { loadPlanFile, parsePlanText, resolvePlan } from '../../src/plan/index.js';
import { planJsonSchemaText } from '../../src/plan/json-schema.js';

const VALID = `portflight: 1
hierarchy:
  primarySites:
    - siteCode: P01
      systems:
        - host: mp01.corp.example
          roles: [management-point]
change:
  clientRequest:
    http: { current: 80, candidate: 8080 }
    https: { current: 443, candidate: 8443 }
`;

describe('plan validation', () => {
  it('accepts a minimal plan and fills in defaults', () => {
    const plan = parsePlanText(VALID, 'plan.yaml');
    expect(plan.change.clientNotificationPort).toBe(10123);
    expect(plan.change.customWebsite).toBe(false);
    expect(plan.probe).toMatchObject({
      timeoutMs: 2000,
      minTimeoutMs: 100,
      retries: 1,
      concurrency: 512,
      pathProbing: true,
    });
    expect(plan.hierarchy.primarySites[0]?.publishedToActiveDirectory).toBe(true);
  });

  it.each([['samples/demo/plan.yaml'], ['samples/plans/two-primaries.yaml']])(
    'accepts the sample plan %s',
    async (path) => {
      await expect(loadPlanFile(path)).resolves.toMatchObject({ plan: { portflight: 1 } });
    },
  );

  it.each([
    [
      'an unknown key, at the key itself',
      VALID.replace('roles: [management-point]', 'roles: [management-point]\n          colour: blue'),
      ['plan.yaml:8:11: hierarchy.primarySites[0].systems[0].colour: unknown key "colour"'],
    ],
    [
      'a port out of range, at the value',
      VALID.replace('candidate: 8080', 'candidate: 80800'),
      ['plan.yaml:10:37: change.clientRequest.http.candidate: port must be 1-65535'],
    ],
    [
      'a port that is not a number',
      VALID.replace('candidate: 8443', 'candidate: "8443"'),
      ['plan.yaml:11:39: change.clientRequest.https.candidate: must be a port number (1-65535)'],
    ],
    [
      'equal HTTP and HTTPS candidates',
      VALID.replace('candidate: 8443', 'candidate: 8080'),
      ['plan.yaml:11:39: change.clientRequest.https.candidate: HTTP and HTTPS candidate ports must differ'],
    ],
    [
      'a host with a port, at the host',
      VALID.replace('host: mp01.corp.example', 'host: "mp01:8080"'),
      [
        'plan.yaml:6:17: hierarchy.primarySites[0].systems[0].host: a host, without a port (ports come from the change or --http/--https/--ports)',
      ],
    ],
    [
      'an all-numeric host that is not a dotted IPv4 address',
      VALID.replace('host: mp01.corp.example', 'host: "10.1"'),
      [
        'plan.yaml:6:17: hierarchy.primarySites[0].systems[0].host: an all-numeric host must be a dotted IPv4 address such as 198.18.0.5',
      ],
    ],
    [
      'an alternate HTTP port equal to the HTTPS candidate',
      VALID.replace('candidate: 8080 }', 'candidate: 8080, alternate: 8443 }'),
      [
        'plan.yaml:10:54: change.clientRequest.http.alternate: the alternate HTTP port must differ from the HTTPS request ports',
      ],
    ],
    [
      'one server given two evidence folders',
      VALID.replace(
        'roles: [management-point]',
        'roles: [management-point]\n          evidence: a\n        - host: MP01.corp.example\n          roles: [distribution-point]\n          evidence: b',
      ),
      [
        'plan.yaml:11:21: hierarchy.primarySites[0].systems[1].evidence: MP01.corp.example is also listed with evidence "a" (hierarchy.primarySites.0.systems.0); give one folder for one server',
      ],
    ],
    [
      'a missing section, at its parent',
      VALID.split('change:')[0] ?? '',
      ['plan.yaml:1:1: change: required key is missing'],
    ],
    [
      'a bad role',
      VALID.replace('[management-point]', '[mangement-point]'),
      [expect.stringMatching(/^plan\.yaml:7:19: hierarchy\.primarySites\[0\]\.systems\[0\]\.roles\[0\]: /)],
    ],
    [
      'a wrong format version',
      VALID.replace('portflight: 1', 'portflight: 2'),
      ['plan.yaml:1:13: portflight: this portflight reads plan format 1'],
    ],
    [
      'client counts both at the top level and under a primary site, at the top-level section',
      `${VALID.replace('          roles: [management-point]\n', '          roles: [management-point]\n      clients: { workgroup: 3 }\n')}clients: { workgroup: 5 }\n`,
      ['plan.yaml:13:10: clients: count the clients either here or under each primary site, not both'],
    ],
    ['a YAML syntax error', 'portflight: 1\nhierarchy: [\n', [expect.stringMatching(/^plan\.yaml:3:1: /)]],
    ['a duplicate key', `${VALID}portflight: 1\n`, [expect.stringMatching(/^plan\.yaml:12:1: .*unique/)]],
    [
      'a tab-indented file',
      VALID.replace('  primarySites', '\tprimarySites'),
      [expect.stringMatching(/^plan\.yaml:3:1: /)],
    ],
  ])('rejects %s with file:line:col', (_name, text, expected) => {
    expect(problemsOf(text)).toEqual(expected);
  });

  it('reports every problem, one line each, in file order', () => {
    const text = VALID.replace('candidate: 8080', 'candidate: 0').replace('siteCode: P01', 'siteCode: P0001');
    const lines = problemsOf(text);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^plan\.yaml:4:17: .*siteCode/);
    expect(lines[1]).toMatch(/^plan\.yaml:10:37: .*candidate/);
  });

  it('refuses YAML alias bombs instead of expanding them', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 8; i += 1)
      bomb.push(
        `${'b'.repeat(i + 1)}: &${'b'.repeat(i + 1)} [${Array(10)
          .fill(i === 0 ? '*a' : `*${'b'.repeat(i)}`)
          .join(', ')}]`,
      );
    expect(() => parsePlanText(bomb.join('\n'), 'bomb.yaml')).toThrow(InputError);
  });

  it('refuses a file too large to be a plan, with a clear message', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(`${tmpdir()}/pf-`);
    await writeFile(`${dir}/huge.yaml`, `# ${'x'.repeat(2 * 1024 * 1024)}\n`);
    await expect(loadPlanFile(`${dir}/huge.yaml`)).rejects.toThrow(/over the 1048576-byte limit/);
  });
});

describe('plan resolution', () => {
  it('probes every client-facing system, secondaries included, on current, candidate and alternate ports', async () => {
    const spec = resolvePlan(await loadPlanFile('samples/plans/two-primaries.yaml'));
    const hosts = spec.targets.map((target) => target.host);
    expect(hosts).toEqual(['mp01.corp.example', 'sql01.corp.example', '198.18.40.10', '198.18.50.10']);
    const mp01 = spec.targets[0];
    expect(mp01?.ports.map((p) => `${p.port}:${p.roles.join('+')}`)).toEqual([
      '80:current-http',
      '443:current-https',
      '8080:candidate-http',
      '8081:alternate-http',
      '8443:candidate-https',
      '10123:client-notification',
    ]);
    expect(mp01?.evidence).toMatch(/samples\/evidence\/mp-dp-default-web-site$/);
    expect(spec.targets[1]?.ports).toEqual([]); // the database server takes no client requests
    expect(spec.targets[2]?.sites).toEqual([{ siteCode: 'S01', kind: 'secondary', primarySiteCode: 'P01' }]);
    expect(spec.targets[2]?.ports.map((p) => p.port)).toContain(8443);
  });

  it("lists each primary site's systems, its own before its secondary sites'", async () => {
    const spec = resolvePlan(await loadPlanFile('samples/plans/two-primaries.yaml'));
    expect(
      spec.primarySites.map((site) => [site.siteCode, site.systems?.map((system) => system.host)]),
    ).toEqual([
      ['P01', ['mp01.corp.example', 'sql01.corp.example', '198.18.40.10']],
      ['P02', ['198.18.50.10']],
    ]);
  });

  it('keeps client counts per primary site, and leaves the top-level population unset', () => {
    const text = VALID.replace(
      '          roles: [management-point]\n',
      '          roles: [management-point]\n      clients: { workgroup: 3 }\n',
    );
    const spec = resolvePlan({ plan: parsePlanText(text, 'plan.yaml'), source: 'plan.yaml', sha256: '0' });
    expect(spec.clients).toBeNull();
    expect(spec.primarySites[0]?.clients).toMatchObject({ workgroup: 3, domain: 0 });
  });

  it('merges the roles of a port that does not change', () => {
    const spec = resolvePlan({
      plan: parsePlanText(VALID.replace('candidate: 8443', 'candidate: 443'), 'p.yaml'),
      source: 'p.yaml',
      sha256: 'x',
    });
    const https = spec.targets[0]?.ports.find((p) => p.port === 443);
    expect(https?.roles).toEqual(['candidate-https', 'current-https']);
  });
});

describe('ports by role', () => {
  const SYSTEMS = `portflight: 1
hierarchy:
  primarySites:
    - siteCode: P01
      systems:
        - host: fsp01.corp.example
          roles: [fallback-status-point]
        - host: epp01.corp.example
          roles: [enrollment-proxy-point]
          enrollmentProxyPoint: { port: 4443 }
        - host: ep01.corp.example
          roles: [enrollment-point]
          enrollmentPoint: { port: 8444 }
        - host: mp01.corp.example
          roles: [management-point, fallback-status-point]
          managementPoint: { internetFacing: true }
        - host: cmgcp01.corp.example
          roles: [cmg-connection-point]
        - host: epp02.corp.example
          roles: [enrollment-proxy-point]
change:
  clientRequest:
    http: { current: 80, candidate: 8080 }
    https: { current: 443, candidate: 8443 }
`;
  const spec = resolvePlan({ plan: parsePlanText(SYSTEMS, 'p.yaml'), source: 'p.yaml', sha256: 'x' });
  const ports = (host: string) =>
    spec.targets.find((target) => target.host === host)?.ports.map((p) => `${p.port}:${p.roles.join('+')}`);

  it('probes each role only on the ports it serves, and a server with several roles on their union', () => {
    expect(ports('fsp01.corp.example')).toEqual(['80:current-http', '8080:candidate-http']);
    expect(ports('epp01.corp.example')).toEqual(['4443:enrollment']);
    expect(ports('epp02.corp.example')).toEqual(['443:enrollment']); // mobile devices and Macs: 443
    expect(ports('ep01.corp.example')).toEqual([]); // the enrollment proxy point reaches it
    expect(ports('cmgcp01.corp.example')).toEqual([]); // it connects out
    expect(ports('mp01.corp.example')).toEqual([
      '80:current-http',
      '443:current-https',
      '8080:candidate-http',
      '8443:candidate-https',
      '10123:client-notification',
    ]);
  });

  it('carries the role settings: an internet-facing management point, the enrollment point port', () => {
    const mp01 = spec.targets.find((target) => target.host === 'mp01.corp.example');
    const ep01 = spec.targets.find((target) => target.host === 'ep01.corp.example');
    expect(mp01).toMatchObject({ internetFacing: true, enrollmentPointPort: null });
    expect(ep01).toMatchObject({ internetFacing: false, enrollmentPointPort: 8444 });
  });

  it('refuses settings of a role the system does not hold, at the settings', () => {
    const text = VALID.replace(
      'roles: [management-point]',
      'roles: [management-point]\n          enrollmentPoint: { port: 443 }',
    );
    expect(problemsOf(text)).toEqual([
      'plan.yaml:8:28: hierarchy.primarySites[0].systems[0].enrollmentPoint: enrollmentPoint settings need the role enrollment-point',
    ]);
  });
});

describe('generated JSON Schema', () => {
  it('is up to date in samples/plan.schema.json (run `npm run schema`)', () => {
    expect(readFileSync('samples/plan.schema.json', 'utf8')).toBe(planJsonSchemaText());
  });
});

describe('plan file encodings', () => {
  const write = async (name: string, bytes: Buffer) => {
    const dir = await mkdtemp(join(tmpdir(), 'portflight-encoding-'));
    await writeFile(join(dir, name), bytes);
    return join(dir, name);
  };

  it.each([
    [
      'UTF-16LE with a BOM (PowerShell 5.1 Out-File)',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(VALID, 'utf16le')]),
    ],
    ['UTF-16LE without a BOM', Buffer.from(VALID, 'utf16le')],
    [
      'UTF-16BE with a BOM',
      Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(VALID, 'utf16le').swap16()]),
    ],
    ['UTF-8 with a BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(VALID)])],
  ])('reads a plan saved as %s', async (_, bytes) => {
    const loaded = await loadPlanFile(await write('plan.yaml', bytes));
    expect(loaded.plan.hierarchy.primarySites[0]?.systems[0]?.host).toBe('mp01.corp.example');
  });

  it('names a file in another encoding instead of reading mojibake', async () => {
    const path = await write('plan.yaml', Buffer.from(`${VALID}name: caf\xe9\n`, 'latin1'));
    await expect(loadPlanFile(path)).rejects.toThrow(`${path}: not UTF-8 or UTF-16 text; save it as UTF-8`);
  });
});

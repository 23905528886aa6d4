import { describe, expect, it } from 'vitest';
import { buildAdhocSpec, parsePortList } from '../../src/plan/index.js';
import { UserError } from '../../src/shared/errors.js';

describe('parsePortList', () => {
  it('reads ports, ranges and protocols', () => {
    expect(parsePortList('80, 443,8000-8002,udp:9,TCP:10123')).toEqual([
      { protocol: 'tcp', port: 80 },
      { protocol: 'tcp', port: 443 },
      { protocol: 'tcp', port: 8000 },
      { protocol: 'tcp', port: 8001 },
      { protocol: 'tcp', port: 8002 },
      { protocol: 'udp', port: 9 },
      { protocol: 'tcp', port: 10123 },
    ]);
  });

  it.each([
    ['0', /out of range/],
    ['65536', /out of range/],
    ['http', /not a port/],
    ['icmp:1', /not a port/],
    ['90-80', /runs backwards/],
    ['1-65535', /not sweeps/],
    ['', /no port given/],
  ])('rejects %j as a usage error', (text, message) => {
    expect(() => parsePortList(text)).toThrow(message);
    try {
      parsePortList(text);
    } catch (error) {
      expect((error as UserError).exitCode).toBe(64);
    }
  });
});

describe('buildAdhocSpec', () => {
  it('gives each probed port its role, with current ports defaulting to 80/443', () => {
    const spec = buildAdhocSpec({
      hosts: ['mp01', '198.18.2.2'],
      http: 8080,
      https: 8443,
      altHttps: 8444,
      ports: [{ protocol: 'udp', port: 9 }],
    });
    expect(spec.targets).toHaveLength(2);
    expect(spec.targets[0]?.ports.map((p) => `${p.protocol}/${p.port}:${p.roles.join('+')}`)).toEqual([
      'tcp/80:current-http',
      'tcp/443:current-https',
      'tcp/8080:candidate-http',
      'tcp/8443:candidate-https',
      'tcp/8444:alternate-https',
      'udp/9:extra',
    ]);
    expect(spec.change).toMatchObject({
      http: { current: 80, candidate: 8080 },
      https: { current: 443, candidate: 8443, alternate: 8444 },
    });
  });

  it('accepts IPv4, IPv6 (bracketed or not, with a zone) and DNS names', () => {
    const hosts = ['198.18.2.2', '::1', '[2001:db8::5]', 'fe80::1%eth0', 'mp01', 'mp01.corp.example.'];
    expect(buildAdhocSpec({ hosts, http: 8080 }).targets.map((t) => t.host)).toEqual(hosts);
  });

  it('probes only --ports when no candidate port is named', () => {
    const spec = buildAdhocSpec({ hosts: ['127.0.0.1'], ports: [{ protocol: 'tcp', port: 5000 }] });
    expect(spec.targets[0]?.ports).toEqual([{ protocol: 'tcp', port: 5000, roles: ['extra'] }]);
  });

  it('hashes the request so that two identical checks carry the same plan sha256', () => {
    const a = buildAdhocSpec({ hosts: ['mp01'], http: 8080 });
    const b = buildAdhocSpec({ hosts: ['mp01'], http: 8080 });
    const c = buildAdhocSpec({ hosts: ['mp01'], http: 8081 });
    expect(a.source.sha256).toBe(b.source.sha256);
    expect(a.source.sha256).not.toBe(c.source.sha256);
  });

  it.each([
    [{ hosts: [] }, /at least one host/],
    [{ hosts: ['bad host'], http: 8080 }, /host "bad host": must be a host name/],
    [{ hosts: ['mp01'], http: 8080, https: 8080 }, /same port 8080/],
    [{ hosts: ['mp01'], altHttp: 8081 }, /--alt-http needs --http/],
    [{ hosts: ['mp01'], http: 8080, altHttp: 8080 }, /must differ/],
    [{ hosts: ['mp01'], http: 8080, https: 8443, altHttp: 8443 }, /--alt-http 8443 is the other scheme's/],
    [{ hosts: ['mp01'], http: 8080, https: 8443, altHttps: 8080 }, /--alt-https 8080 is the other scheme's/],
    [{ hosts: ['mp01'] }, /nothing to probe/],
    [{ hosts: ['mp01'], http: 8080, probe: { timeoutMs: 5 } }, /--timeout/],
  ])('refuses %j', (options, message) => {
    expect(() => buildAdhocSpec(options)).toThrow(message);
  });
});

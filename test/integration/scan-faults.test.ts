// Faults during a scan: a site system that vanishes, the vantage point's own interface removed,
// names that do not resolve, and too few file descriptors. Each must end as incomplete (or, for
// file descriptors, as a slower scan with right answers), never as a hang, a crash or a verdict
// drawn from the fault.
//
//   client → r1 → fw → r2 → server (198.19.1.1 … .20, tcp 9000 listening)
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeNetns } from '../net/require-root.js';
import { addServerAddresses, createFirewallChain, runCheck, type CheckRun } from '../net/localisation.js';
import type { ChainTopology } from '../net/topology.js';

const COUNT = 20;
const PORTS = ['tcp:9000', 'tcp:9001', 'tcp:9002', 'tcp:9003'];
/** Slow enough that the fault lands in the middle of the connect phase. */
const SLOW = ['--rate', '20', '--no-app'];

const findingsOf = (run: CheckRun, rule: string) =>
  run.report.findings.filter((finding) => finding.rule === rule);

describeNetns('a site system that vanishes during the scan', () => {
  let topology: ChainTopology;
  let addresses: string[];
  let run: CheckRun;

  beforeAll(async () => {
    topology = await createFirewallChain();
    addresses = await addServerAddresses(topology, '198.19.1', COUNT);
    await topology.serve('server', { tcp: [9000] });
    // The server's link goes away 1.5 s into a 4 s connect phase.
    setTimeout(() => void topology.exec('r2', ['ip', 'link', 'del', 'pf-right']), 1500);
    run = await runCheck(topology, addresses, PORTS, SLOW);
  }, 120_000);
  afterAll(async () => {
    await topology?.destroy();
  });

  it('says incomplete, not that a firewall stops the ports it could no longer reach', () => {
    expect(run.report.verdict).toBe('incomplete');
    expect(run.code).toBe(3);
  });

  it('names each address that answered before and not when asked again', () => {
    const answered = addresses.filter((address) => run.probe(address, 'tcp/9000').state === 'open');
    const stopped = answered.filter((address) =>
      PORTS.some((port) => run.probe(address, port.replace(':', '/')).state === 'filtered'),
    );
    expect(stopped.length).toBeGreaterThan(0);
    const vanished = findingsOf(run, 'PF-HOST-VANISHED');
    expect(vanished.map((finding) => finding.subject).sort()).toEqual(stopped.sort());
    for (const finding of vanished) {
      expect(finding.severity).toBe('incomplete');
      expect(finding.message).toMatch(/TCP 9000 was open during the scan and (filtered|error) \(/);
    }
  });
});

describeNetns("the vantage point's own interface removed during the scan", () => {
  let topology: ChainTopology;
  let run: CheckRun;

  beforeAll(async () => {
    topology = await createFirewallChain();
    const addresses = await addServerAddresses(topology, '198.19.1', COUNT);
    await topology.serve('server', { tcp: [9000] });
    setTimeout(() => void topology.exec('client', ['ip', 'link', 'del', 'pf-right']), 1500);
    run = await runCheck(topology, addresses, PORTS, SLOW);
  }, 120_000);
  afterAll(async () => {
    await topology?.destroy();
  });

  it('ends, with every planned probe reported and an incomplete verdict', () => {
    expect(run.report.probes).toHaveLength(COUNT * PORTS.length);
    expect(run.report.verdict).toBe('incomplete');
    expect(run.code).toBe(3);
    const states = new Set(run.report.probes.map((probe) => `${probe.state} ${probe.reason}`));
    expect(states).toContain('error local-error');
    expect(findingsOf(run, 'PF-PROBE-ERROR').length).toBeGreaterThan(0);
  });
});

describeNetns('names that do not resolve', () => {
  const DNS_SERVER = fileURLToPath(new URL('../net/dns-server.mjs', import.meta.url));
  let topology: ChainTopology;
  let resolvConfDir: string;
  let run: CheckRun;

  beforeAll(async () => {
    topology = await createFirewallChain();
    await addServerAddresses(topology, '198.19.1', 1);
    await topology.serve('server', { tcp: [9000] });
    // The resolver the client namespace uses (`ip netns exec` mounts /etc/netns/NS/resolv.conf).
    const dns = topology.spawn('r1', [
      process.execPath,
      DNS_SERVER,
      topology.addr('r1'),
      'mp01=198.19.1.1,gone=nxdomain,broken=servfail,slow=silent',
    ]);
    await new Promise<void>((resolve, reject) => {
      dns.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('READY') && resolve());
      dns.once('exit', (code) => reject(new Error(`dns-server.mjs exited (${code})`)));
    });
    resolvConfDir = `/etc/netns/${topology.ns('client')}`;
    await mkdir(resolvConfDir, { recursive: true });
    await writeFile(
      `${resolvConfDir}/resolv.conf`,
      `nameserver ${topology.addr('r1')}\noptions timeout:1 attempts:1\n`,
    );
    const hosts = ['mp01.pf.test', 'gone.pf.test', 'broken.pf.test', 'slow.pf.test'];
    run = await runCheck(topology, hosts, ['tcp:9000'], ['--no-app']);
  }, 120_000);
  afterAll(async () => {
    if (resolvConfDir) await rm(resolvConfDir, { recursive: true, force: true });
    await topology?.destroy();
  });

  it('probes the name that resolves and reports the others as unresolved (incomplete)', () => {
    const byTarget = new Map(run.report.probes.map((probe) => [probe.target, probe]));
    expect(byTarget.get('mp01.pf.test')).toMatchObject({ address: '198.19.1.1', state: 'open' });
    for (const name of ['gone.pf.test', 'broken.pf.test', 'slow.pf.test'])
      expect(byTarget.get(name), name).toMatchObject({
        address: null,
        state: 'error',
        reason: 'dns-failure',
      });
    expect(
      findingsOf(run, 'PF-NAME-UNRESOLVED')
        .map((finding) => finding.subject)
        .sort(),
    ).toEqual(['broken.pf.test', 'gone.pf.test', 'slow.pf.test']);
    expect(run.report.verdict).toBe('incomplete');
    expect(run.code).toBe(3);
  });
});

describeNetns('too few file descriptors', () => {
  let topology: ChainTopology;
  let addresses: string[];

  beforeAll(async () => {
    topology = await createFirewallChain();
    addresses = await addServerAddresses(topology, '198.19.1', COUNT);
    await topology.serve('server', { tcp: [9000] });
  }, 60_000);
  afterAll(async () => {
    await topology?.destroy();
  });

  it('waits for descriptors instead of failing probes (connect() probes, 48 descriptors, 512 in flight)', async () => {
    // Without CAP_NET_RAW every TCP probe is a connect() socket: 80 of them cannot be open at once.
    const run = await runCheck(topology, addresses, PORTS, ['--concurrency', '512', '--no-app'], {
      within: [
        'setpriv',
        '--inh-caps=-net_raw',
        '--bounding-set=-net_raw',
        '--',
        'sh',
        '-c',
        'ulimit -n 48 && exec "$0" "$@"',
      ],
    });
    // The premise: no raw sockets, so every probe was a connect() socket.
    expect(run.report.vantage.privileges.rawSocket).toBe(false);
    expect(run.report.probes).toHaveLength(COUNT * PORTS.length);
    const wrong = run.report.probes.filter(
      (probe) =>
        `${probe.state} ${probe.reason}` !== (probe.port === 9000 ? 'open syn-ack' : 'closed conn-refused'),
    );
    expect(wrong).toEqual([]);
  }, 120_000);
});

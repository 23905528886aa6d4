// Scale-out end to end: samples/ansible/portflight.yml, run by ansible-playbook over SSH against two
// vantage namespaces (an sshd started in each, with keys made here), probes one server from both,
// fetches the two reports and merges them. One vantage point sits behind a firewall that drops the
// candidate port: alone it is no-go, the other alone is not, and the merge must be no-go.
//
//   vantage-a ── server (198.18.100.1: tcp 80, 8080) ── fw (drops tcp 8080) ── vantage-b
//
// The controller runs in vantage-a's namespace (it reaches both sshd); the namespaces share the file
// system, so the vantage points run this checkout's dist/cli/main.js with this node.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Report } from '../../src/report/index.js';
import { describeNetns } from '../net/require-root.js';
import { mustSucceed, runCommand } from '../net/run-command.js';
import { createChainTopology, firewallRuleset, nftRule, type ChainTopology } from '../net/topology.js';
import { CLI } from '../support/cli.js';

const PLAYBOOK = fileURLToPath(new URL('../../samples/ansible/portflight.yml', import.meta.url));
const TARGET = '198.18.100.1';
const VANTAGES = { 'vantage-a': 'vantageA', 'vantage-b': 'vantageB' } as const;

describeNetns(
  'samples/ansible: portflight from two vantage points over SSH, merged on the controller',
  () => {
    let topology: ChainTopology;
    let dir: string;
    const path = (name: string) => join(dir, name);

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'portflight-ansible-'));
      topology = await createChainTopology(['vantageA', 'server', 'fw', 'vantageB']);
      await topology.addAddresses('server', [`${TARGET}/32`]);
      await topology.serve('server', { tcp: [80, 8080] });
      await topology.nft('fw', firewallRuleset('forward', [nftRule.dropTcp(8080)]));

      await mustSucceed(
        runCommand(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', path('client_key')]),
        'ssh-keygen (client key)',
      );
      await writeFile(path('authorized_keys'), await readFile(path('client_key.pub')));
      // sshd's privilege separation directory; the openssh-server service would make it.
      await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
      for (const node of Object.values(VANTAGES)) {
        await mustSucceed(
          runCommand(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', path(`host_key_${node}`)]),
          `ssh-keygen (host key of ${node})`,
        );
        const config = [
          `ListenAddress ${topology.addr(node)}:22`,
          `HostKey ${path(`host_key_${node}`)}`,
          `PidFile ${path(`sshd_${node}.pid`)}`,
          `AuthorizedKeysFile ${path('authorized_keys')}`,
          'PermitRootLogin prohibit-password',
          'PasswordAuthentication no',
          'KbdInteractiveAuthentication no',
          'UsePAM no',
          // The temporary directory is not the user's home: its modes are not sshd's business.
          'StrictModes no',
          'Subsystem sftp internal-sftp',
        ];
        await writeFile(path(`sshd_${node}.conf`), `${config.join('\n')}\n`);
        const sshd = topology.spawn(node, ['/usr/sbin/sshd', '-D', '-e', '-f', path(`sshd_${node}.conf`)]);
        sshd.stdout?.resume();
        sshd.stderr?.resume();
      }
      // Ready when the controller gets a shell on each.
      for (const node of Object.values(VANTAGES)) await untilSsh(node);
    }, 60_000);

    afterAll(async () => {
      await topology?.destroy();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    const sshArgs = () => [
      '-i',
      path('client_key'),
      '-o',
      'StrictHostKeyChecking=no',
      '-o',
      'UserKnownHostsFile=/dev/null',
      '-o',
      'BatchMode=yes',
      '-o',
      'ConnectTimeout=2',
    ];

    async function untilSsh(node: string): Promise<void> {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const result = await topology.exec('vantageA', [
          'ssh',
          ...sshArgs(),
          `root@${topology.addr(node)}`,
          'true',
        ]);
        if (result.code === 0) return;
        if (Date.now() > deadline) throw new Error(`sshd in ${node} does not answer: ${result.stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }

    it('gives the merged verdict no-go, where one vantage point alone would not be', async () => {
      const hosts = Object.entries(VANTAGES).map(
        ([name, node]) => `    ${name}: { ansible_host: '${topology.addr(node)}' }`,
      );
      const inventory = [
        'portflight_vantages:',
        '  hosts:',
        ...hosts,
        '  vars:',
        '    ansible_user: root',
        `    ansible_ssh_private_key_file: '${path('client_key')}'`,
        "    ansible_ssh_common_args: '-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null'",
        '    ansible_python_interpreter: /usr/bin/python3',
        `    portflight_args: ['check', '${TARGET}', '--http', '8080', '--no-path', '--no-icmp', '--no-app', '--timeout', '1000']`,
      ];
      await writeFile(path('inventory.yml'), `${inventory.join('\n')}\n`);
      const extraVars = JSON.stringify({
        portflight_command: [process.execPath, CLI],
        portflight_report_dir: path('reports'),
      });
      const run = await topology.exec(
        'vantageA',
        [
          'env',
          `ANSIBLE_HOME=${path('ansible')}`,
          `ANSIBLE_LOCAL_TEMP=${path('ansible-tmp')}`,
          'ANSIBLE_NOCOLOR=1',
          'ANSIBLE_HOST_KEY_CHECKING=False',
          'ansible-playbook',
          '-i',
          path('inventory.yml'),
          PLAYBOOK,
          '-e',
          extraVars,
        ],
        { timeoutMs: 240_000 },
      );
      const output = `${run.stdout}\n${run.stderr}`;
      const read = async (name: string) => {
        try {
          return JSON.parse(await readFile(path(`reports/${name}.json`), 'utf8')) as Report;
        } catch (error) {
          throw new Error(`no ${name}.json (${String(error)}); ansible-playbook said:\n${output}`);
        }
      };
      const a = await read('vantage-a');
      const b = await read('vantage-b');
      const merged = await read('merged');

      // Each vantage point alone: the firewall is only in front of vantage-b.
      expect(a.probes.find((probe) => probe.port === 8080)?.state, output).toBe('open');
      expect(b.probes.find((probe) => probe.port === 8080)?.state, output).toBe('filtered');
      expect(b.verdict).toBe('no-go');
      expect(a.verdict).not.toBe('no-go');
      expect(a.vantage.addresses).toContain(topology.addr('vantageA'));
      expect(b.vantage.addresses).toContain(topology.addr('vantageB'));

      // Merged: one verdict, the worst; each probe still says where it was sent from.
      expect(merged.verdict).toBe('no-go');
      expect(merged.vantages?.map((vantage) => vantage.verdict)).toEqual([a.verdict, 'no-go']);
      const fromB = merged.vantages?.[1]?.name;
      expect(
        merged.probes.filter((probe) => probe.port === 8080).map((probe) => [probe.vantage, probe.state]),
      ).toEqual([
        [merged.vantages?.[0]?.name, 'open'],
        [fromB, 'filtered'],
      ]);
      expect(merged.findings.find((finding) => finding.rule === 'PF-CANDIDATE-BLOCKED')?.vantages).toEqual([
        fromB,
      ]);

      // The playbook fails on a merged verdict other than GO, so a pipeline stops there.
      expect(run.code, output).toBe(2);
      expect(output).toMatch(/portflight: NO-GO — /);
    }, 300_000);
  },
  { commands: ['ansible-playbook', 'sshd', 'ssh', 'ssh-keygen'] },
);

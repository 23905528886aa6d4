import { spawn } from 'node:child_process';
import { lstat, mkdtemp, readFile, readdir, stat, symlink, writeFile, chmod } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CLI, runCli } from '../support/cli.js';

/** Where reports may and may not go: never replace a device, never a stack trace, checked up front. */
let dir = '';
let server: Server;
let port = 0;
let connections = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'portflight-output-'));
  server = createServer((socket) => {
    connections += 1;
    socket.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => server.close());

const offlineCheck = ['check', '127.0.0.1', '--ports', '8080', '--offline', '--no-interactive'];
const probingCheck = () => ['check', '127.0.0.1', '--ports', String(port), '--no-interactive', '--no-path'];

/** The CLI with its stdout into `| head -c N`, as a shell pipeline runs it. */
function runIntoHead(
  args: readonly string[],
  bytes: number,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const head = spawn('head', ['-c', String(bytes)], { stdio: ['pipe', 'ignore', 'ignore'] });
    child.stdout.pipe(head.stdin);
    head.stdin.on('error', () => undefined);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('--output targets', () => {
  it('writes into /dev/null without replacing the device', async () => {
    const run = await runCli([...offlineCheck, '-o', '/dev/null']);
    expect(run.code).toBe(3);
    expect((await lstat('/dev/null')).isCharacterDevice()).toBe(true);
    expect(run.stderr).toMatch(/\(report: \/dev\/null\)/);
  });

  it('reports a full device in one line with exit 74', async () => {
    const run = await runCli([...offlineCheck, '-o', '/dev/full']);
    expect(run.code).toBe(74);
    expect(run.stderr.trim()).toBe(
      'portflight: /dev/full: cannot write the report: no space left on the device (ENOSPC)',
    );
    expect((await lstat('/dev/full')).isCharacterDevice()).toBe(true);
  });

  it('ends quietly with the verdict code when the reader of stdout goes away', async () => {
    const run = await runIntoHead([...offlineCheck, '--format', 'json'], 10);
    expect(run.code).toBe(3);
    expect(run.stderr).not.toMatch(/EPIPE|at .*\.js:\d+|internal error/);
  });

  it('writes through a symlink to the file it names, keeping the link and the file mode', async () => {
    const file = join(dir, 'report.yaml');
    const link = join(dir, 'latest.yaml');
    await writeFile(file, 'previous\n');
    await chmod(file, 0o640);
    await symlink(file, link);
    const run = await runCli([...offlineCheck, '-o', link]);
    expect(run.code).toBe(3);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect((await stat(file)).mode & 0o777).toBe(0o640);
    expect(parse(await readFile(file, 'utf8')).verdict).toBe('incomplete');
    expect((await readdir(dir)).filter((name) => name.startsWith('.portflight-tmp'))).toEqual([]);
  });

  it('takes - for stdout', async () => {
    const run = await runCli([...offlineCheck, '-o', '-', '--format', 'json']);
    expect(JSON.parse(run.stdout).verdict).toBe('incomplete');
  });

  it.each([
    ['a directory', () => dir, /is a directory; --output names a file$/],
    [
      'a missing folder',
      () => join(dir, 'missing', 'r.yaml'),
      /the folder .*missing does not exist \(ENOENT\)$/,
    ],
    [
      'a file used as a folder',
      () => join(CLI, 'r.yaml'),
      /a part of the path is not a directory \(ENOTDIR\)$/,
    ],
    ['a name too long', () => join(dir, 'x'.repeat(300)), /name is too long \(ENAMETOOLONG\)$/],
  ])('refuses %s with exit 64 before the first probe', async (_, path, message) => {
    const before = connections;
    const run = await runCli([...probingCheck(), '-o', path()]);
    expect(run.code).toBe(64);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr.trim()).toMatch(message);
    expect(connections).toBe(before);
  });
});

describe('invocations that are not a check', () => {
  it('prints the help and exits 64 when given no arguments', async () => {
    const run = await runCli([]);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/Usage: portflight/);
    expect(run.stdout).toBe('');
  });

  it('refuses --interactive without a terminal (exit 64, one line)', async () => {
    const run = await runCli([...probingCheck(), '--interactive']);
    expect(run.code).toBe(64);
    expect(run.stderr.trim()).toBe(
      'portflight: --interactive needs a terminal (stdin and stdout); use --no-interactive for a report',
    );
  });
});

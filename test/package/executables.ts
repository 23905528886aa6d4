// Builds the single executables (scripts/package.mjs) into a folder of the test's own and runs them:
// the Linux one directly, with a PATH that holds no node; the Windows one under Wine.
import { execFile, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const LINUX_EXECUTABLE = 'portflight-linux-x64';
export const WINDOWS_EXECUTABLE = 'portflight-win-x64.exe';

/** `npm run package` into `outDir` (about half a minute: two 100 MB binaries are patched). */
export async function buildExecutables(outDir: string): Promise<void> {
  await promisify(execFile)(process.execPath, [join(ROOT, 'scripts/package.mjs'), '--out-dir', outDir], {
    cwd: ROOT,
    maxBuffer: 16 * 1024 * 1024,
  });
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The folders of PATH that hold no `node`: what a machine without Node.js has. */
export function pathWithoutNode(): string {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter((folder) => folder !== '' && !isExecutable(join(folder, 'node')))
    .join(delimiter);
}

export interface ExecutableRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a program with stdout and stderr written to files, not pipes: Node 20 under Wine fails with
 * EBADF writing to a pipe, and the Linux runs go the same way so both are read alike.
 */
export async function runToFiles(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<ExecutableRun> {
  const folder = await mkdtemp(join(tmpdir(), 'portflight-exe-output-'));
  const stdoutFile = join(folder, 'stdout');
  const stderrFile = join(folder, 'stderr');
  const [stdout, stderr] = await Promise.all([open(stdoutFile, 'w'), open(stderrFile, 'w')]);
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(command, [...args], {
        cwd: options.cwd,
        env: options.env,
        stdio: ['ignore', stdout.fd, stderr.fd],
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
      child.on('error', reject);
      child.on('close', (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    return { code, stdout: await readFile(stdoutFile, 'utf8'), stderr: await readFile(stderrFile, 'utf8') };
  } finally {
    await Promise.all([stdout.close(), stderr.close()]);
    await rm(folder, { recursive: true, force: true });
  }
}

/** Debian's wine64 package installs its loader outside PATH (the `wine` wrapper is another package). */
const WINE_CANDIDATES = ['/usr/lib/wine/wine64', '/usr/bin/wine64', '/usr/bin/wine'];

export function findWine(): string | undefined {
  return WINE_CANDIDATES.find(isExecutable);
}

/** Environment for Wine: a prefix of its own, quiet, and Node 20 allowed on Wine's Windows version. */
export function wineEnvironment(prefix: string): NodeJS.ProcessEnv {
  return {
    PATH: pathWithoutNode(),
    HOME: process.env.HOME ?? tmpdir(),
    WINEPREFIX: prefix,
    WINEDEBUG: '-all',
    // No Mono or Gecko installer dialogs while the prefix is created.
    WINEDLLOVERRIDES: 'mscoree,mshtml=',
    // Wine reports a Windows version Node 20 refuses without this.
    NODE_SKIP_PLATFORM_CHECK: '1',
    NO_COLOR: '1',
    CI: 'true',
  };
}

/** Stops the wineserver of a prefix (it lingers a few seconds after the last program). */
export async function stopWine(wine: string, prefix: string): Promise<void> {
  const server = join(wine, '..', wine.endsWith('64') ? 'wineserver64' : 'wineserver');
  const command = isExecutable(server) ? server : 'wineserver';
  await promisify(execFile)(command, ['-k'], { env: { ...process.env, WINEPREFIX: prefix } }).catch(
    () => undefined,
  );
}

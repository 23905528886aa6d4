// Child processes for the namespace helpers: commands with collected output, and stopping.
import { spawn, type ChildProcess } from 'node:child_process';

export interface ExecResult {
  /** Null when the command was killed (see `signal`). */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ExecOptions {
  /** Written to the command's standard input. */
  readonly input?: string;
  /** The command is killed after this long; default 30 s. */
  readonly timeoutMs?: number;
}

const DEFAULT_EXEC_TIMEOUT_MS = 30_000;

export function runCommand(argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  const [command = '', ...args] = argv;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.on('error', () => {}); // a command that ignores its input may close stdin early
    child.stdin.end(options.input ?? '');
  });
}

export async function mustSucceed(pending: Promise<ExecResult>, what: string): Promise<ExecResult> {
  const result = await pending;
  if (result.code !== 0)
    throw new Error(`${what} failed (${result.code ?? result.signal}): ${result.stderr.trim()}`);
  return result;
}

/** SIGTERM, then SIGKILL after 2 s if the process is still there. */
export function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 2_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

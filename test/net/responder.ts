// `portflight listen` started inside a namespace, as an administrator runs it on a site system.
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from '../support/cli.js';
import type { ChainTopology } from './topology.js';

export interface RunningResponder {
  /** Everything it wrote to stderr so far. */
  stderr(): string;
  /** Resolves with its exit code once it ends by itself (or is stopped). */
  readonly exited: Promise<number | null>;
}

const READY_TIMEOUT_MS = 15_000;

/** A token file (0600) in a new temporary folder. */
export async function writeTokenFile(text: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'pf-responder-')), 'token');
  await writeFile(path, `${text}\n`);
  await chmod(path, 0o600);
  return path;
}

/** Runs `portflight listen ARGS` in `node`; resolves once it says what it answers on. */
export async function startListen(
  topology: ChainTopology,
  node: string,
  args: readonly string[],
): Promise<RunningResponder> {
  const child = topology.spawn(node, [process.execPath, CLI, 'listen', ...args]);
  let stderr = '';
  child.stdout?.resume();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`listen on ${node} not ready:\n${stderr}`)),
      READY_TIMEOUT_MS,
    );
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (/answering on /.test(stderr)) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`listen on ${node} exited ${code}:\n${stderr}`));
    });
  });
  return { stderr: () => stderr, exited };
}

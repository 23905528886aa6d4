// Runs harness.ts in a namespace (or any command prefix) and parses its JSON output.
import { fileURLToPath } from 'node:url';
import type { HarnessInput } from './harness.js';
import { runCommand } from '../../net/run-command.js';
import type { ChainTopology } from '../../net/topology.js';

const HARNESS = fileURLToPath(new URL('./harness.ts', import.meta.url));
// An absolute loader path: the namespace's working directory need not be the repository.
const TSX_LOADER = new URL('../../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;

export function harnessArgv(input: HarnessInput): string[] {
  return [process.execPath, '--import', TSX_LOADER, HARNESS, JSON.stringify(input)];
}

export async function runHarness<T>(
  input: HarnessInput,
  where: { topology: ChainTopology; node: string } | { prefix: readonly string[] },
): Promise<T> {
  const argv = harnessArgv(input);
  const result =
    'topology' in where
      ? await where.topology.exec(where.node, argv, { timeoutMs: 60_000 })
      : await runCommand([...where.prefix, ...argv], { timeoutMs: 60_000 });
  if (result.code !== 0) throw new Error(`harness exited ${result.code ?? result.signal}:\n${result.stderr}`);
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`harness stdout is not JSON:\n${result.stdout}\nstderr:\n${result.stderr}`);
  }
}

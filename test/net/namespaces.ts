// Namespace names: `pft<pid>-<n>`, unique per process, and cleanup of those whose process died.
import { mustSucceed, runCommand } from './run-command.js';

const NAMESPACE_PATTERN = /^pft(\d+)-\S+/;
let namespaceCounter = 0;

/** `ip netns add` is atomic, so a name taken by another worker thread of this pid is retried. */
export async function addNamespace(): Promise<string> {
  for (;;) {
    const name = `pft${process.pid}-${namespaceCounter++}`;
    const result = await runCommand(['ip', 'netns', 'add', name]);
    if (result.code === 0) return name;
    if (!/exists/i.test(result.stderr)) throw new Error(`ip netns add ${name}: ${result.stderr.trim()}`);
  }
}

/** Namespaces of test processes that died without tearing down would otherwise pile up. */
export async function deleteStaleNamespaces(): Promise<void> {
  const listing = await mustSucceed(runCommand(['ip', 'netns', 'list']), 'ip netns list');
  const stale = listing.stdout
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => {
      const pid = NAMESPACE_PATTERN.exec(name)?.[1];
      return pid !== undefined && Number(pid) !== process.pid && !isProcessAlive(Number(pid));
    });
  // Another process may be deleting the same names right now: failures are fine.
  await Promise.all(stale.map((name) => runCommand(['ip', 'netns', 'del', name])));
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

import { readdir, readFile, readlink } from 'node:fs/promises';
import type { WireProtocol } from './wire.js';

/**
 * Who holds a port, as far as this machine lets us see: on Linux the socket tables in /proc/net and
 * the processes' descriptors (another user's processes are visible only to root); elsewhere a hint
 * of the command that tells.
 */
export async function describePortOwner(protocol: WireProtocol, port: number): Promise<string> {
  if (process.platform === 'win32')
    return `see: netstat -ano -p ${protocol} | findstr :${port} (the last column is the process id)`;
  if (process.platform !== 'linux') return `see: lsof -n -i ${protocol}:${port}`;
  const inodes = await socketInodes(protocol, port);
  if (inodes.size === 0) return 'owner not visible here';
  const owners = await processesHolding(inodes);
  return owners.length > 0 ? owners.join(', ') : 'a process this user cannot see (run as root to name it)';
}

/** True when /proc/net shows a socket bound to the port (TCP: listening), so binding it would take it. */
export async function portTakenOnLinux(protocol: WireProtocol, port: number): Promise<boolean> {
  return process.platform === 'linux' && (await socketInodes(protocol, port)).size > 0;
}

/** TCP state 0A is LISTEN; any UDP socket bound to the port holds it. */
async function socketInodes(protocol: WireProtocol, port: number): Promise<Set<string>> {
  const inodes = new Set<string>();
  for (const table of [`/proc/net/${protocol}`, `/proc/net/${protocol}6`]) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      const state = fields[3];
      const inode = fields[9];
      if (local === undefined || inode === undefined) continue;
      const localPort = parseInt(local.split(':')[1] ?? '', 16);
      if (localPort !== port || (protocol === 'tcp' && state !== '0A')) continue;
      inodes.add(inode);
    }
  }
  return inodes;
}

async function processesHolding(inodes: ReadonlySet<string>): Promise<string[]> {
  const owners: string[] = [];
  const pids = (await readdir('/proc').catch(() => [])).filter((name) => /^\d+$/.test(name));
  for (const pid of pids) {
    const fds = await readdir(`/proc/${pid}/fd`).catch(() => []);
    for (const fd of fds) {
      const link = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
      const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
      if (inode === undefined || !inodes.has(inode)) continue;
      const name = (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '?')).trim();
      owners.push(`${name} (pid ${pid})`);
      break;
    }
  }
  return owners;
}

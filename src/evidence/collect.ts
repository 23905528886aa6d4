import { execFile } from 'node:child_process';
import { copyFile, mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ExitCode } from '../shared/exit-codes.js';
import { UserError } from '../shared/errors.js';
import { locateIisConfig, type IisConfigLocation } from './iis-config-location.js';
import { decodeWindowsText } from './text-lines.js';
import { EVIDENCE_FILES } from './types.js';

/** Runs a program and returns its raw output (netsh may write UTF-16 or the OEM code page). */
export type CommandRunner = (
  command: string,
  args: readonly string[],
) => Promise<{ code: number | null; stdout: Buffer }>;

/**
 * Structured listeners, in the shape parseListenersJson reads: `{ tcp: [...], udp: [...] }` with
 * LocalAddress, LocalPort, OwningProcess and ProcessName. `@()` keeps one-element arrays arrays.
 */
const LISTENERS_SCRIPT = [
  '$names = @{}; Get-Process | ForEach-Object { $names[$_.Id] = $_.ProcessName }',
  '$row = { param($e) [pscustomobject]@{ LocalAddress = $e.LocalAddress; LocalPort = $e.LocalPort; OwningProcess = $e.OwningProcess; ProcessName = $names[[int]$e.OwningProcess] } }',
  '$tcp = @(Get-NetTCPConnection -State Listen | ForEach-Object { & $row $_ })',
  '$udp = @(Get-NetUDPEndpoint | ForEach-Object { & $row $_ })',
  '[pscustomobject]@{ tcp = $tcp; udp = $udp } | ConvertTo-Json -Depth 3',
].join('; ');

/** What `portflight collect` runs on the server, one bundle file each (names: EVIDENCE_FILES). */
export const COLLECT_COMMANDS: readonly { file: string; command: string; args: readonly string[] }[] = [
  { file: EVIDENCE_FILES.sslcert, command: 'netsh', args: ['http', 'show', 'sslcert'] },
  { file: EVIDENCE_FILES.urlacl, command: 'netsh', args: ['http', 'show', 'urlacl'] },
  { file: EVIDENCE_FILES.iplisten, command: 'netsh', args: ['http', 'show', 'iplisten'] },
  {
    file: EVIDENCE_FILES.excludedTcp,
    command: 'netsh',
    args: ['int', 'ipv4', 'show', 'excludedportrange', 'protocol=tcp'],
  },
  {
    file: EVIDENCE_FILES.excludedUdp,
    command: 'netsh',
    args: ['int', 'ipv4', 'show', 'excludedportrange', 'protocol=udp'],
  },
  { file: EVIDENCE_FILES.dynamicTcp, command: 'netsh', args: ['int', 'ipv4', 'show', 'dynamicport', 'tcp'] },
  { file: EVIDENCE_FILES.netstat, command: 'netstat', args: ['-ano'] },
  {
    file: EVIDENCE_FILES.listenersJson,
    command: 'powershell.exe',
    args: ['-NoProfile', '-NonInteractive', '-Command', LISTENERS_SCRIPT],
  },
];

export interface CollectOptions {
  readonly platform?: NodeJS.Platform;
  readonly runner?: CommandRunner;
  /** %windir%; the IIS configuration is under System32\inetsrv\config. */
  readonly windir?: string;
  /** process.arch: a 32-bit process reads the 64-bit configuration through Sysnative. */
  readonly arch?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface CollectedFile {
  readonly file: string;
  readonly ok: boolean;
  readonly detail?: string;
}

/**
 * Writes an evidence bundle of the machine it runs on (a Windows site system with IIS: management
 * point, distribution point, software update point, …) into `outputDir`, every file in UTF-8 (the
 * commands' output decoded as the bundle loader decodes it: OEM code page or UTF-16). A command
 * that fails leaves its file out and is reported; the bundle stays usable for the rest.
 */
export async function collectEvidence(
  outputDir: string,
  options: CollectOptions = {},
): Promise<CollectedFile[]> {
  const platform = options.platform ?? process.platform;
  if (platform !== 'win32') {
    throw new UserError(
      `collect reads IIS and Windows port state, so it runs on each Windows site system with IIS (management point, distribution point, software update point, …), not here (${platform}); ` +
        'copy the bundle folder it writes to this machine and pass it with --evidence or the plan',
      ExitCode.usage,
    );
  }
  const runner = options.runner ?? runWindowsCommand;
  await mkdir(outputDir, { recursive: true });
  const results = await Promise.all(
    COLLECT_COMMANDS.map(async ({ file, command, args }): Promise<CollectedFile> => {
      try {
        const { code, stdout } = await runner(command, args);
        if (code !== 0) return { file, ok: false, detail: `${command} exited ${code}` };
        await writeAtomic(join(outputDir, file), Buffer.from(decodeWindowsText(stdout), 'utf8'));
        return { file, ok: true };
      } catch (error) {
        return { file, ok: false, detail: (error as Error).message };
      }
    }),
  );
  const env = options.env ?? process.env;
  const windir = options.windir ?? env.windir ?? env.SystemRoot ?? 'C:\\Windows';
  results.unshift(await copyApplicationHost(outputDir, { windir, arch: options.arch ?? process.arch, env }));
  return results;
}

/** applicationHost.config, from the local configuration or the shared one IIS is redirected to. */
async function copyApplicationHost(
  outputDir: string,
  environment: Parameters<typeof locateIisConfig>[0],
): Promise<CollectedFile> {
  const file = EVIDENCE_FILES.applicationHost;
  let location: IisConfigLocation;
  try {
    location = await locateIisConfig(environment);
  } catch (error) {
    return { file, ok: false, detail: `IIS shared configuration unreadable: ${(error as Error).message}` };
  }
  const shared = location.sharedFrom;
  try {
    await copyFile(location.applicationHost, join(outputDir, file));
    return shared === undefined
      ? { file, ok: true }
      : { file, ok: true, detail: `IIS shared configuration, from ${shared}` };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const denied = code === 'EPERM' || code === 'EACCES';
    const why = denied ? 'access denied' : String(code ?? error);
    const next =
      shared === undefined
        ? denied
          ? ' (run as administrator)'
          : ''
        : ` (IIS uses the shared configuration in ${shared}, per redirection.config: run collect as a user who can read it, or copy ${file} from there into the bundle)`;
    return { file, ok: false, detail: `${location.applicationHost}: ${why}${next}` };
  }
}

async function writeAtomic(path: string, content: Buffer): Promise<void> {
  const temporary = `${path}.partial`;
  await writeFile(temporary, content);
  await rename(temporary, path);
}

function runWindowsCommand(
  command: string,
  args: readonly string[],
): Promise<{ code: number | null; stdout: Buffer }> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      [...args],
      { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024, windowsHide: true },
      (error, stdout) => {
        if (error && typeof (error as NodeJS.ErrnoException).code === 'string') reject(error);
        else resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout });
      },
    );
  });
}

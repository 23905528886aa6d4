import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { LineIndex } from '../shared/line-index.js';
import { decodeXmlReferences, refuseDtd } from './iis-xml-text.js';
import { decodeWindowsText } from './text-lines.js';

/** Where this machine's IIS configuration lives, as `portflight collect` must read it. */
export interface IisConfigLocation {
  /** The applicationHost.config to copy. */
  readonly applicationHost: string;
  /** The shared configuration folder redirection.config points at, when IIS uses one. */
  readonly sharedFrom?: string;
}

export interface IisConfigEnvironment {
  /** %windir%. */
  readonly windir: string;
  /** The process's architecture (`process.arch`): a 32-bit process sees another System32. */
  readonly arch: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Reads a file (tests give a folder of their own). */
  readonly readFile?: (path: string) => Promise<Buffer>;
}

/**
 * %windir%\System32\inetsrv\config, as a 64-bit process sees it. A 32-bit process on 64-bit Windows
 * (WOW64 sets PROCESSOR_ARCHITEW6432) is redirected from System32 to SysWOW64, where IIS keeps no
 * configuration; Sysnative is the alias that reaches the real System32 from there.
 */
export function iisConfigFolder(environment: IisConfigEnvironment): string {
  const wow64 = environment.arch === 'ia32' && environment.env.PROCESSOR_ARCHITEW6432 !== undefined;
  return join(environment.windir, wow64 ? 'Sysnative' : 'System32', 'inetsrv', 'config');
}

/**
 * Finds the applicationHost.config IIS really uses: the local one, or — when redirection.config
 * turns shared configuration on — the one in the shared folder (often a UNC path). Throws an
 * Error whose message says what is wrong with redirection.config when it cannot be understood.
 */
export async function locateIisConfig(environment: IisConfigEnvironment): Promise<IisConfigLocation> {
  const folder = iisConfigFolder(environment);
  const local = { applicationHost: join(folder, 'applicationHost.config') };
  const read = environment.readFile ?? ((path: string) => readFile(path));
  const redirectionFile = join(folder, 'redirection.config');
  let bytes: Buffer;
  try {
    bytes = await read(redirectionFile);
  } catch (error) {
    // No redirection.config (IIS writes one only when shared configuration was ever set up).
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return local;
    throw new Error(`${redirectionFile}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const redirection = sharedConfigurationOf(decodeWindowsText(bytes), redirectionFile);
  if (!redirection) return local;
  const sharedFrom = expandEnvironment(redirection, environment.env);
  return { applicationHost: join(sharedFrom, 'applicationHost.config'), sharedFrom };
}

/** The `path` of `<configurationRedirection enabled="true" path="…">`, or undefined when off. */
function sharedConfigurationOf(text: string, file: string): string | undefined {
  refuseDtd(text, file, new LineIndex(text));
  let document: unknown;
  try {
    document = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      parseAttributeValue: false,
      processEntities: false,
    }).parse(text, true);
  } catch (error) {
    throw new Error(`${file}: not valid XML (${(error as Error).message.split('\n')[0]})`);
  }
  const redirection = (document as { configuration?: { configurationRedirection?: unknown } }).configuration
    ?.configurationRedirection as Record<string, unknown> | undefined;
  if (!redirection || typeof redirection !== 'object') return undefined;
  const enabled = String(redirection.enabled ?? 'false').toLowerCase() === 'true';
  if (!enabled) return undefined;
  const decoded = decodeXmlReferences(String(redirection.path ?? ''));
  if ('problem' in decoded) throw new Error(`${file}: configurationRedirection path: ${decoded.problem}`);
  const path = decoded.value.trim();
  if (path === '')
    throw new Error(`${file}: shared configuration is enabled but names no path (configurationRedirection)`);
  return path;
}

/** `%NAME%` from the environment (names are case-insensitive on Windows); unknown ones stay. */
function expandEnvironment(path: string, env: Readonly<Record<string, string | undefined>>): string {
  const byName = new Map(Object.entries(env).map(([name, value]) => [name.toUpperCase(), value]));
  return path.replace(/%([^%]+)%/g, (whole, name: string) => byName.get(name.toUpperCase()) ?? whole);
}

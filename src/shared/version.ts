import { readPackageTextSync } from './package-files.js';

/** The package version, read once from the package.json shipped beside (or inside) the CLI. */
export const PORTFLIGHT_VERSION: string = (
  JSON.parse(readPackageTextSync('package.json')) as { version: string }
).version;

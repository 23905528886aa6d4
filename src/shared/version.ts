import { readFileSync } from 'node:fs';

/** The package version, read once; the path is the same from src/ (tests) and dist/ (installed). */
export const PORTFLIGHT_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

// NODE_EXTRA_CA_CERTS makes Node 20 read and parse that certificate file when any process starts
// (about 70 ms for a distribution's bundle on a small machine): a tax of the machine's set-up, not of
// the tool, which no probe needs. The benches take it out of the measured runs' environment and say
// so; --keep-env measures with it.

/** Deletes NODE_EXTRA_CA_CERTS from `env` (unless --keep-env); the note to print when it did. */
export function dropStartupTax(env: NodeJS.ProcessEnv, argv: readonly string[]): string | undefined {
  if (env.NODE_EXTRA_CA_CERTS === undefined || argv.includes('--keep-env')) return undefined;
  delete env.NODE_EXTRA_CA_CERTS;
  return 'NODE_EXTRA_CA_CERTS unset for the runs (--keep-env keeps it)';
}

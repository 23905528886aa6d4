import { verifyReportBytes } from '../report/index.js';
import { escapeControlCharacters } from '../shared/errors.js';
import { ExitCode } from '../shared/exit-codes.js';
import { readInputBytes } from '../shared/read-input-file.js';
import { loadPublicKey } from './signing-keys.js';
import { writeStdout } from './stdout.js';

/** Reports are larger than plans: a 6,000-probe HTML report is a few MB. */
const MAX_REPORT_BYTES = 256 * 1024 * 1024;

/**
 * `portflight verify REPORT [--public-key KEY]`: one line on stdout when the report is intact (0),
 * one on stderr naming what failed — content (4) or signature (5).
 */
export async function verifyReportFile(file: string, publicKeyFile?: string): Promise<number> {
  const publicKey = publicKeyFile === undefined ? undefined : await loadPublicKey(publicKeyFile);
  const outcome = verifyReportBytes(await readInputBytes(file, MAX_REPORT_BYTES), file, publicKey);
  if (!outcome.ok) {
    const where = outcome.position
      ? `${file}:${outcome.position.line}:${outcome.position.col}:`
      : `portflight: ${file}:`;
    process.stderr.write(`${escapeControlCharacters(where)} ${outcome.format} report: ${outcome.problem}\n`);
    return outcome.failed === 'content' ? ExitCode.reportChanged : ExitCode.signatureInvalid;
  }
  const signature = {
    verified: `signature verified (key ${outcome.keyId})`,
    'not-checked': `signed by key ${outcome.keyId}, not checked (give --public-key to check it)`,
    absent: 'not signed: the digest shows it is unchanged, not who wrote it',
  }[outcome.signature];
  await writeStdout(
    `portflight: ${file}: ${outcome.format} report unchanged (sha256 ${outcome.sha256}); ${signature}\n`,
  );
  return ExitCode.go;
}

import { randomBytes } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode } from '../shared/exit-codes.js';
import { UserError } from '../shared/errors.js';
import { readInputBytes } from '../shared/read-input-file.js';
import { MIN_TOKEN_BYTES } from './wire.js';

/** A token file is one line; anything larger is not one. */
const MAX_TOKEN_FILE_BYTES = 4096;

/**
 * Reads a shared token from a file (tokens are never taken from the command line, where other local
 * users see them in the process list). The token is the file's text without surrounding whitespace.
 */
export async function readTokenFile(path: string): Promise<{ token: Buffer; warning?: string }> {
  const bytes = await readInputBytes(path, MAX_TOKEN_FILE_BYTES);
  const token = Buffer.from(bytes.toString('utf8').trim(), 'utf8');
  if (token.length < MIN_TOKEN_BYTES)
    throw new UserError(
      `${path}: a token must be at least ${MIN_TOKEN_BYTES} characters (portflight listen writes 64)`,
      ExitCode.invalidInput,
    );
  const mode = process.platform === 'win32' ? 0 : (await stat(path)).mode;
  // Like ssh with a private key: say so, since whoever reads the token can forge proofs.
  const warning =
    (mode & 0o077) !== 0
      ? `${path} can be read by other users (mode ${(mode & 0o777).toString(8)}); chmod 600 it`
      : undefined;
  return { token, ...(warning ? { warning } : {}) };
}

/** A new random token (32 bytes, as 64 hex digits) in a new file only its owner may read. */
export async function createTokenFile(directory = tmpdir()): Promise<{ path: string; token: Buffer }> {
  const text = randomBytes(32).toString('hex');
  const path = join(directory, `portflight-token-${randomBytes(4).toString('hex')}.txt`);
  // 'wx' refuses an existing file (no one can plant a file or link there first); mode 0600 from creation.
  const handle = await open(path, 'wx', 0o600);
  try {
    await handle.writeFile(`${text}\n`);
  } finally {
    await handle.close();
  }
  return { path, token: Buffer.from(text, 'utf8') };
}

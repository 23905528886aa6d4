import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ExitCode } from '../shared/exit-codes.js';
import { UserError } from '../shared/errors.js';

/**
 * Writes a file atomically (temporary file in the same folder, then rename), so a reader — a scheduler
 * picking up the report — never sees half a report, and a failed run leaves the previous one intact.
 */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const temporary = join(
    dirname(path),
    `.portflight-tmp-${basename(path)}-${randomBytes(6).toString('hex')}`,
  );
  try {
    await writeFile(temporary, content, { mode: 0o644, flag: 'wx' });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new UserError(`${path}: cannot write the report (${code})`, ExitCode.usage);
  }
}

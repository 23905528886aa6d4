import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, chmod, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ExitCode } from '../shared/exit-codes.js';
import { UserError } from '../shared/errors.js';
import { outputError, writeStdout } from './stdout.js';

/**
 * Where a report goes, decided before the first packet so that a scan never runs for an hour to
 * find its output unwritable:
 * - `stdout` — no `--output`, or `-o -`;
 * - `replace` — a regular file (or a new one): written atomically (temporary file in the same
 *   folder, then rename), so a reader never sees half a report and a failed run leaves the previous
 *   one intact. A symlink is followed and the file it names is replaced, never the link itself;
 * - `in-place` — anything that is not a regular file (`/dev/null`, `/dev/stdout`, a FIFO, a
 *   terminal): opened and written like any program would. Renaming over it would replace a device
 *   with a file — as root, `-o /dev/null` would destroy /dev/null.
 */
export type OutputTarget =
  | { readonly kind: 'stdout' }
  | { readonly kind: 'replace'; readonly path: string; readonly shownAs: string; readonly mode: number }
  | { readonly kind: 'in-place'; readonly path: string; readonly shownAs: string };

export async function resolveOutputTarget(output: string | undefined): Promise<OutputTarget> {
  if (output === undefined || output === '-') return { kind: 'stdout' };
  if (output === '') throw new UserError('--output: the path is empty (use - for stdout)', ExitCode.usage);
  const existing = await stat(output).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw outputError(output, error);
  });
  if (existing?.isDirectory())
    throw new UserError(`${output}: is a directory; --output names a file`, ExitCode.usage);
  if (existing && !existing.isFile()) return { kind: 'in-place', path: output, shownAs: output };
  // A dangling symlink's stat fails with ENOENT: resolve what exists and write beside it.
  const path = existing ? await realpath(output).catch(() => output) : output;
  const folder = dirname(path);
  const folderStat = await stat(folder).catch((error: NodeJS.ErrnoException) => {
    throw outputError(
      output,
      error,
      error.code === 'ENOENT' ? `the folder ${folder} does not exist` : undefined,
    );
  });
  if (!folderStat.isDirectory())
    throw new UserError(`${output}: ${folder} is not a directory`, ExitCode.usage);
  await access(folder, constants.W_OK).catch((error: NodeJS.ErrnoException) => {
    throw outputError(output, error, `cannot create files in ${folder}`);
  });
  // A report replacing an older one keeps its permissions (a scheduler may have narrowed them).
  return { kind: 'replace', path, shownAs: output, mode: existing ? existing.mode & 0o7777 : 0o644 };
}

/** Writes the report to its target; stdout that closed early (`| head`) is a quiet end, not a crash. */
export async function writeReport(target: OutputTarget, content: string): Promise<void> {
  if (target.kind === 'stdout') return writeStdout(content);
  try {
    if (target.kind === 'in-place') await writeFile(target.path, content);
    else await replaceFile(target.path, content, target.mode);
  } catch (error) {
    // `-o /dev/stdout | head`: the reader went away, as on stdout itself.
    if (target.kind === 'in-place' && (error as NodeJS.ErrnoException).code === 'EPIPE') return;
    throw outputError(target.shownAs, error as NodeJS.ErrnoException);
  }
}

/** `--output` checked and written in one go, for callers that decide the path late (TUI export). */
export async function writeOutputFile(path: string, content: string): Promise<void> {
  await writeReport(await resolveOutputTarget(path), content);
}

async function replaceFile(path: string, content: string, mode: number): Promise<void> {
  const temporary = join(
    dirname(path),
    `.portflight-tmp-${basename(path)}-${randomBytes(6).toString('hex')}`,
  );
  try {
    await writeFile(temporary, content, { mode: 0o600, flag: 'wx' });
    await chmod(temporary, mode);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

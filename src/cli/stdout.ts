import { ExitCode } from '../shared/exit-codes.js';
import { describeErrno } from '../shared/errno-text.js';
import { UserError } from '../shared/errors.js';

// Kept apart from write-output.ts (which loads node:crypto for temporary names): the entry module
// loads this for every command, `--version` included.

/** Errors of a full or failing disk: the report could not be stored (sysexits EX_IOERR). */
const IO_ERRORS = new Set(['ENOSPC', 'EDQUOT', 'EIO', 'EFBIG', 'EROFS']);

/**
 * stdout, with its errors turned into outcomes: EPIPE (the reader went away) ends the write quietly
 * — the report was partly consumed, as with `git log | head`; a full disk behind a redirection is
 * exit 74 with one line.
 */
export function writeStdout(content: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(content, (error) => {
      if (!error || (error as NodeJS.ErrnoException).code === 'EPIPE') resolve();
      else reject(outputError('stdout', error as NodeJS.ErrnoException));
    });
  });
}

/**
 * Node reports a failed stdout write also as an 'error' event, and an unhandled one would end the
 * process with a stack trace: installed once at start-up, this keeps EPIPE quiet (the write's own
 * callback decides the outcome).
 */
export function guardStdout(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && !IO_ERRORS.has(error.code ?? '')) throw error;
  });
}

export function outputError(shownAs: string, error: NodeJS.ErrnoException, what?: string): UserError {
  const code = error.code ?? 'unknown error';
  const detail = what ?? describeErrno(code);
  const exitCode = IO_ERRORS.has(code) ? ExitCode.ioError : ExitCode.usage;
  return new UserError(`${shownAs}: cannot write the report: ${detail} (${code})`, exitCode);
}

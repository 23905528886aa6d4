import { open } from 'node:fs/promises';
import { ExitCode } from './exit-codes.js';
import { describeErrno } from './errno-text.js';
import { InputError, UserError } from './errors.js';
import { LineIndex } from './line-index.js';
import { fileBytes, pathInfo } from './package-files.js';
import { decodeUnicodeText } from './text-encoding.js';

/** Input files are read whole; anything this large is not a plan, rule file or evidence file. */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;

/**
 * Reads a text input file (plan, rule file), turning I/O failures into one-line user errors (exit
 * 65). UTF-8 or UTF-16 (Notepad and PowerShell's Out-File write it) are decoded; other bytes are
 * refused by name rather than read as mojibake.
 */
export async function readInputFile(path: string, maxBytes = MAX_INPUT_BYTES): Promise<string> {
  const text = decodeUnicodeText(await readInputBytes(path, maxBytes));
  if (text === null)
    throw new UserError(`${path}: not UTF-8 or UTF-16 text; save it as UTF-8`, ExitCode.invalidInput);
  return text;
}

/** The bytes of an input file (for files whose encoding is decided by their content: UTF-16 netsh output). */
export async function readInputBytes(path: string, maxBytes = MAX_INPUT_BYTES): Promise<Buffer> {
  try {
    const info = await pathInfo(path);
    if (!info.isFile) throw new UserError(`${path}: not a file`, ExitCode.invalidInput);
    // Files shipped inside the executable are small: only a file on disk can be over the limit.
    if (info.size > maxBytes) throw await oversizeError(path, info.size, maxBytes);
    return await fileBytes(path);
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === undefined ? String(error) : `${describeErrno(code)} (${code})`;
    throw new UserError(`${path}: cannot read: ${why}`, ExitCode.invalidInput);
  }
}

/**
 * The refusal of a file over the limit, positioned where the limit falls (so a user sees which part
 * of the file is too much: a pasted log, say). Only the bytes within the limit are read and decoded.
 */
async function oversizeError(path: string, size: number, maxBytes: number): Promise<InputError> {
  const handle = await open(path, 'r');
  let within: Buffer;
  try {
    const buffer = Buffer.alloc(maxBytes);
    const { bytesRead } = await handle.read(buffer, 0, maxBytes, 0);
    within = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  // Not fatal: the limit may fall inside a character.
  const text = decodeUnicodeText(within) ?? within.toString('utf8');
  const position = new LineIndex(text).position(text.length);
  const message = `file is ${size} bytes, over the ${maxBytes}-byte limit for input files (the limit falls here)`;
  return new InputError([{ position: { file: path, ...position }, message }]);
}

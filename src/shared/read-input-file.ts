import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { ExitCode } from './exit-codes.js';
import { describeErrno } from './errno-text.js';
import { InputError, UserError } from './errors.js';
import { LineIndex } from './line-index.js';
import { fileBytes, fileBytesSync, pathInfo, pathInfoSync, type PathInfo } from './package-files.js';
import { decodeUnicodeText } from './text-encoding.js';

/** Input files are read whole; anything this large is not a plan, rule file or evidence file. */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;

/**
 * Reads a text input file (plan, rule file), turning I/O failures into one-line user errors (exit
 * 65). UTF-8 or UTF-16 (Notepad and PowerShell's Out-File write it) are decoded; other bytes are
 * refused by name rather than read as mojibake.
 */
export async function readInputFile(path: string, maxBytes = MAX_INPUT_BYTES): Promise<string> {
  return decodedInput(path, await readInputBytes(path, maxBytes));
}

/**
 * readInputFile, synchronously: for the rule folders every command reads before it starts (one
 * file at a time, none of the promise round trips that cost ~20 ms for 60 small files).
 */
export function readInputFileSync(path: string, maxBytes = MAX_INPUT_BYTES): string {
  try {
    const info = pathInfoSync(path);
    if (checkedInfo(path, info, maxBytes) === 'oversize')
      throw oversizeError(path, info.size, maxBytes, readStartSync(path, maxBytes));
    return decodedInput(path, fileBytesSync(path));
  } catch (error) {
    throw inputReadError(path, error);
  }
}

/** The bytes of an input file (for files whose encoding is decided by their content: UTF-16 netsh output). */
export async function readInputBytes(path: string, maxBytes = MAX_INPUT_BYTES): Promise<Buffer> {
  try {
    const info = await pathInfo(path);
    // Files shipped inside the executable are small: only a file on disk can be over the limit.
    if (checkedInfo(path, info, maxBytes) === 'oversize')
      throw oversizeError(path, info.size, maxBytes, await readStart(path, maxBytes));
    return await fileBytes(path);
  } catch (error) {
    throw inputReadError(path, error);
  }
}

function decodedInput(path: string, bytes: Buffer): string {
  const text = decodeUnicodeText(bytes);
  if (text === null)
    throw new UserError(`${path}: not UTF-8 or UTF-16 text; save it as UTF-8`, ExitCode.invalidInput);
  return text;
}

function checkedInfo(path: string, info: PathInfo, maxBytes: number): 'ok' | 'oversize' {
  if (!info.isFile) throw new UserError(`${path}: not a file`, ExitCode.invalidInput);
  return info.size > maxBytes ? 'oversize' : 'ok';
}

/** Errors of ours as they are; the system's (ENOENT, EACCES …) as one line naming the path. */
function inputReadError(path: string, error: unknown): Error {
  if (error instanceof UserError || error instanceof InputError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const why = code === undefined ? String(error) : `${describeErrno(code)} (${code})`;
  return new UserError(`${path}: cannot read: ${why}`, ExitCode.invalidInput);
}

/** The first `maxBytes` of a file on disk (an oversize file is never read whole). */
async function readStart(path: string, maxBytes: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(maxBytes);
    const { bytesRead } = await handle.read(buffer, 0, maxBytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function readStartSync(path: string, maxBytes: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(maxBytes);
    return buffer.subarray(0, readSync(fd, buffer, 0, maxBytes, 0));
  } finally {
    closeSync(fd);
  }
}

/**
 * The refusal of a file over the limit, positioned where the limit falls (so a user sees which part
 * of the file is too much: a pasted log, say). Only the bytes within the limit are read and decoded.
 */
function oversizeError(path: string, size: number, maxBytes: number, within: Buffer): InputError {
  // Not fatal: the limit may fall inside a character.
  const text = decodeUnicodeText(within) ?? within.toString('utf8');
  const position = new LineIndex(text).position(text.length);
  const message = `file is ${size} bytes, over the ${maxBytes}-byte limit for input files (the limit falls here)`;
  return new InputError([{ position: { file: path, ...position }, message }]);
}

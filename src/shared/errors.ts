import { ExitCode, type ExitCodeValue } from './exit-codes.js';

/**
 * An error the user can fix: printed as its message alone (no stack), with a documented exit code.
 * Anything else that reaches the CLI's top level is a bug (exit 70).
 */
export class UserError extends Error {
  readonly exitCode: ExitCodeValue;
  constructor(message: string, exitCode: ExitCodeValue) {
    super(message);
    this.name = 'UserError';
    this.exitCode = exitCode;
  }
}

/** A position in an input file, 1-based as editors show it. */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/** One problem in an input file, printed as `file:line:col: message`. */
export interface InputProblem {
  readonly position: SourcePosition;
  readonly message: string;
}

export function formatInputProblem(problem: InputProblem): string {
  const { file, line, col } = problem.position;
  return `${file}:${line}:${col}: ${problem.message}`;
}

/** Invalid input file (plan, rules, evidence): one line per problem, exit 65. */
export class InputError extends UserError {
  readonly problems: readonly InputProblem[];
  constructor(problems: readonly InputProblem[]) {
    super(problems.map(formatInputProblem).join('\n'), ExitCode.invalidInput);
    this.name = 'InputError';
    this.problems = problems;
  }
}

export function usageError(message: string): UserError {
  return new UserError(message, ExitCode.usage);
}

/** Longest piece of a user's input an error message repeats. */
const ECHO_LIMIT = 60;

/**
 * A piece of the user's input, as an error message repeats it: quoted, its control characters
 * escaped (an escape sequence in a file name or a plan must not drive the terminal), and cut to a
 * readable length.
 */
export function echoed(text: string): string {
  const cut = [...text].length > ECHO_LIMIT ? `${[...text].slice(0, ECHO_LIMIT).join('')}…` : text;
  // Echoed input sits inside a one-line message: its line breaks are escaped too.
  return `"${escapeControlCharacters(cut).replace(/\r?\n/g, '\\n')}"`;
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;

/** C0 and C1 control characters (but the line break) as \uXXXX, so that a message is plain text. */
export function escapeControlCharacters(text: string): string {
  return text.replace(CONTROL_CHARACTERS, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

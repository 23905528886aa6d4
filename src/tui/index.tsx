/** tui/: the interactive pre-change check. Loaded lazily by cli/, so unattended runs never load Ink. */
import { render } from 'ink';
import { ExitCode } from '../shared/exit-codes.js';
import { CheckPrompt } from './components/CheckPrompt.js';
import { CheckScreen } from './components/CheckScreen.js';
import { ThemeContext } from './hooks/use-theme.js';
import type { InteractiveSession, PromptAnswers } from './session.js';
import { colourWanted, createTheme } from './theme.js';

export type { InteractiveSession, PromptAnswers } from './session.js';
export { EXIT_CODE_OF_VERDICT } from '../verdict/index.js';

/** Streams to draw on and read keys from; the process's own by default (tests pass fakes). */
export interface TerminalIo {
  readonly stdin?: NodeJS.ReadStream;
  readonly stdout?: NodeJS.WriteStream;
  readonly stderr?: NodeJS.WriteStream;
  /** Environment read for NO_COLOR. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

function renderOptions(io: TerminalIo) {
  return {
    stdin: io.stdin ?? process.stdin,
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    // Ctrl-C first stops a running scan (and shows INCOMPLETE); the screen decides when it quits.
    exitOnCtrlC: false,
  };
}

const themeFor = (io: TerminalIo) => createTheme({ colour: colourWanted(io.env ?? process.env) });

/**
 * Runs the check screen until the user quits; resolves with the exit code of the verdict on screen
 * (0 GO, 1 CONDITIONAL, 2 NO-GO, 3 INCOMPLETE; a failed run's own code).
 */
export async function runInteractiveUi(
  session: InteractiveSession,
  io: TerminalIo = {},
  close?: AbortSignal,
): Promise<number> {
  let exitCode: number = ExitCode.incomplete;
  const instance = render(
    <ThemeContext.Provider value={themeFor(io)}>
      <CheckScreen session={session} onExit={(code) => (exitCode = code)} />
    </ThemeContext.Provider>,
    renderOptions(io),
  );
  // Closed from outside (a signal): unmounting restores the terminal (raw mode off, cursor back).
  const onClose = () => instance.unmount();
  close?.addEventListener('abort', onClose, { once: true });
  await instance.waitUntilExit();
  close?.removeEventListener('abort', onClose);
  return close?.aborted ? ExitCode.incomplete : exitCode;
}

/** Asks for the site systems and the current and candidate ports; null when the user cancels. */
export async function promptForCheck(io: TerminalIo = {}): Promise<PromptAnswers | null> {
  let answers: PromptAnswers | null = null;
  const instance = render(
    <ThemeContext.Provider value={themeFor(io)}>
      <CheckPrompt onDone={(given) => (answers = given)} />
    </ThemeContext.Provider>,
    renderOptions(io),
  );
  await instance.waitUntilExit();
  return answers;
}

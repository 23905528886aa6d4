import { ExitCode, type ExitCodeValue } from '../shared/exit-codes.js';
import type { Verdict } from './compute-verdict.js';

/** The exit-code contract (README "Exit codes"), shared by unattended runs and the terminal UI. */
export const EXIT_CODE_OF_VERDICT: Readonly<Record<Verdict, ExitCodeValue>> = {
  go: ExitCode.go,
  conditional: ExitCode.conditional,
  'no-go': ExitCode.noGo,
  incomplete: ExitCode.incomplete,
};

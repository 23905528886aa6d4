import { ExitCode, type ExitCodeValue } from '../shared/exit-codes.js';
import type { Verdict } from '../verdict/index.js';

export const EXIT_CODE_OF_VERDICT: Readonly<Record<Verdict, ExitCodeValue>> = {
  go: ExitCode.go,
  conditional: ExitCode.conditional,
  'no-go': ExitCode.noGo,
  incomplete: ExitCode.incomplete,
};

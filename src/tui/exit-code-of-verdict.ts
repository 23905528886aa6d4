import { ExitCode } from '../shared/exit-codes.js';
import { EXIT_CODE_OF_VERDICT } from '../verdict/index.js';
import { displayedVerdict } from './state/selectors.js';
import type { UiState } from './state/types.js';

/**
 * Exit code when the user quits: the verdict on screen; a failed run's own code (a UserError's);
 * a bug's 70; and INCOMPLETE when quitting before any verdict — never GO without one.
 */
export function exitCodeOfScreen(state: UiState): number {
  const verdict = displayedVerdict(state);
  if (verdict) return EXIT_CODE_OF_VERDICT[verdict];
  if (state.status === 'failed') return state.failure?.exitCode ?? ExitCode.internal;
  return ExitCode.incomplete;
}

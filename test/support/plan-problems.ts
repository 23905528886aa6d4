import { parsePlanText } from '../../src/plan/index.js';
import { InputError } from '../../src/shared/errors.js';

/** The `file:line:col: …` lines a plan text is refused with (throws if it is accepted). */
export function problemsOf(text: string): string[] {
  try {
    parsePlanText(text, 'plan.yaml');
  } catch (error) {
    if (error instanceof InputError) return error.message.split('\n');
    throw error;
  }
  throw new Error('plan was accepted');
}

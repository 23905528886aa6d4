import { readInputFile } from '../shared/read-input-file.js';
import { parseYamlInput } from '../shared/yaml-input.js';
import { planSchema, type Plan } from './schema.js';
import { sha256Hex } from '../shared/sha256.js';

/** A plan is a few kilobytes; a megabyte is already a mistake (wrong file). */
const MAX_PLAN_BYTES = 1024 * 1024;

export interface LoadedPlan {
  readonly plan: Plan;
  /** Path as the user gave it. */
  readonly source: string;
  /** sha256 of the file's bytes, so a report names exactly the plan it checked. */
  readonly sha256: string;
}

/** Reads and validates a plan file; throws InputError (exit 65) with positioned problems. */
export async function loadPlanFile(path: string): Promise<LoadedPlan> {
  const text = await readInputFile(path, MAX_PLAN_BYTES);
  return { plan: parsePlanText(text, path), source: path, sha256: sha256Hex(text) };
}

export function parsePlanText(text: string, file: string): Plan {
  return parseYamlInput(text, file, planSchema);
}

export { sha256Hex };

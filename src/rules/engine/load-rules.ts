import { InputError, type InputProblem } from '../../shared/errors.js';
import type { Catalogue } from './catalogue.js';
import type { CompiledRule } from './compiled-rule.js';
import { BUILTIN_PRECOMPILED } from './builtin-precompiled.js';
import { precompiledReader, type PrecompiledRules } from './precompiled.js';
import { compareText } from '../../shared/text-order.js';

/** One rule file's text and name; the engine does no file I/O, so callers read the files. */
export interface RuleFileText {
  readonly file: string;
  readonly text: string;
}

/**
 * Loads a set of rule files, e.g. the built-in rules/ plus an administrator's folder. Reports the problems
 * of every file at once, and an id defined twice at the second definition, naming the first. Rules come
 * back ordered by id. A file that `precompiled` holds with the same name and text, for this catalogue,
 * is taken from there (the CLI's built-in rules, compiled by the build); any other is compiled here.
 */
export async function loadRuleSet(
  files: readonly RuleFileText[],
  catalogue: Catalogue,
  precompiled: PrecompiledRules | undefined = BUILTIN_PRECOMPILED,
): Promise<CompiledRule[]> {
  const precompiledRule = precompiledReader(precompiled, catalogue);
  const found = files.map(precompiledRule);
  // The compiler (YAML, zod, the checks) is loaded only when some file has no precompiled rule.
  const compile: typeof import('./compile-rule.js').parseRuleFile = found.includes(undefined)
    ? (await import('./compile-rule.js')).parseRuleFile
    : () => {
        throw new Error('every rule file was precompiled');
      };
  const problems: InputProblem[] = [];
  const byId = new Map<string, CompiledRule>();
  for (const [index, { file, text }] of files.entries()) {
    let rule: CompiledRule;
    try {
      rule = found[index] ?? compile(text, file, catalogue);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(...error.problems);
      continue;
    }
    const first = byId.get(rule.id);
    if (first) {
      const where = `${first.source.file}:${first.source.line}:${first.source.col}`;
      problems.push({ position: rule.source, message: `id: rule ${rule.id} is already defined in ${where}` });
      continue;
    }
    byId.set(rule.id, rule);
  }
  if (problems.length > 0) throw new InputError(problems);
  return [...byId.values()].sort((a, b) => compareText(a.id, b.id));
}

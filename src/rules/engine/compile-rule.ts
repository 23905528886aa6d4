import { echoed, InputError, type InputProblem } from '../../shared/errors.js';
import { knownDocumentUrl, type DocumentReference } from '../documents.js';
import { parseYamlSource, type YamlPath } from '../../shared/yaml-input.js';
import type { Catalogue, FactScope } from './catalogue.js';
import { bindEach, reportProblem, type CheckContext } from './check-context.js';
import { checkCondition } from './check-condition.js';
import type { CompiledRule, Iteration, Template } from './compiled-rule.js';
import type { RuleFileText } from './load-rules.js';
import { precompileRules, type PrecompiledRules } from './precompiled.js';
import { ruleFileSchema, type RawIteration, type RawRuleFile } from './rule-file-schema.js';
import { checkTemplate } from './template.js';

// The rule compiler: YAML with positions, the zod schema of rule files and the checks against the
// catalogue. loadRuleSet imports it only for files it has no precompiled rule for, so that a command
// that loads just the built-in rules does not load YAML, zod or the checks.

/**
 * Parses, validates and type-checks one rule file against the catalogue. Throws an InputError listing
 * every problem as `file:line:col: path: message` at the node that causes it.
 */
export function parseRuleFile(text: string, file: string, catalogue: Catalogue): CompiledRule {
  const source = parseYamlSource(text, file, ruleFileSchema);
  const raw = source.data;
  const ctx: CheckContext = { catalogue, source, problems: [] };

  // typescript-eslint's habit: the file name is the id, so a rule is found by its id without an index.
  const fileName = file.split(/[\\/]/).pop() ?? file;
  const expected = `${raw.id.toLowerCase()}.yaml`;
  if (fileName !== expected) {
    const message = `rule ${raw.id} belongs in a file named ${expected}, not ${fileName}`;
    reportProblem(ctx, source.positionOf(['id']), ['id'], message);
  }

  const rawIterations: [RawIteration, YamlPath][] = Array.isArray(raw.for)
    ? raw.for.map((iteration, index) => [iteration, ['for', index]])
    : raw.for
      ? [[raw.for, ['for']]]
      : [];
  const iterations: Iteration[] = [];
  let scope: FactScope = new Map();
  for (const [iteration, at] of rawIterations) {
    const bound = bindEach(ctx, iteration.each, iteration.as, at, scope);
    if (!bound) break; // later parts would only echo the unbound variable
    iterations.push({ each: bound.each, as: iteration.as });
    scope = bound.scope;
  }
  const scopeComplete = iterations.length === rawIterations.length;
  const template = (text: string, at: YamlPath) =>
    scopeComplete ? checkTemplate(ctx, text, at, scope) : undefined;

  const when = scopeComplete ? checkCondition(ctx, raw.when, ['when'], scope) : undefined;
  const subject: Template | undefined = raw.subject
    ? template(raw.subject, ['subject'])
    : [{ kind: 'text', text: raw.id }];
  const message = template(raw.message, ['message']);
  const remediation = raw.remediation === undefined ? undefined : template(raw.remediation, ['remediation']);
  const evidence = (raw.evidence ?? []).map((text, index) => template(text, ['evidence', index]));
  const references = raw.references.map((reference, index) => documentOf(ctx, reference, index));

  if (ctx.problems.length > 0) throw new InputError(sortProblems(ctx.problems));
  if (!when || !subject || !message || !evidence.every((item) => item !== undefined)) {
    throw new Error(`rule ${raw.id} failed to compile without a reported problem`); // a bug in the checks
  }
  return {
    id: raw.id,
    title: raw.title,
    severity: raw.severity,
    references: references.filter((item) => item !== undefined),
    ...(raw.description === undefined ? {} : { description: raw.description }),
    source: source.positionOf(['id']),
    iterations,
    when,
    subject,
    message,
    ...(remediation === undefined ? {} : { remediation }),
    evidence: evidence.filter((item) => item !== undefined),
  };
}

/** Compiles rule files ahead of time for loadRuleSet (the build does it for the built-in rules). */
export function precompileRuleFiles(files: readonly RuleFileText[], catalogue: Catalogue): PrecompiledRules {
  return precompileRules(files, catalogue, parseRuleFile);
}

/** A cited title must be a known document, so that every reference shown comes with its address. */
function documentOf(
  ctx: CheckContext,
  reference: RawRuleFile['references'][number],
  index: number,
): DocumentReference | undefined {
  if (typeof reference !== 'string') return reference;
  const url = knownDocumentUrl(reference);
  if (url !== undefined) return { title: reference, url };
  const at: YamlPath = ['references', index];
  const message = `${echoed(reference)} is not a known document title (src/rules/documents.ts lists them with their URLs); cite another document as { title: …, url: https://… }`;
  reportProblem(ctx, ctx.source.positionOf(at), at, message);
  return undefined;
}

function sortProblems(problems: readonly InputProblem[]): InputProblem[] {
  return [...problems].sort((a, b) => a.position.line - b.position.line || a.position.col - b.position.col);
}

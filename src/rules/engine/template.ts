import type { YamlPath } from '../../shared/yaml-input.js';
import { resolveFactPath, typeName, type FactScope } from './catalogue.js';
import { isRenderable, reportProblem, type CheckContext } from './check-context.js';
import type { Template, TemplatePart } from './compiled-rule.js';

/**
 * Templates are text with `{fact.path}` placeholders; `{{` writes a literal `{`. Deliberately no
 * conditionals or formatting: a rule that needs two wordings is two rules, or a fact that says which.
 */
const PLACEHOLDER_PATH = /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/;

/** Parses a template and checks each placeholder against the catalogue, reporting at the placeholder. */
export function checkTemplate(
  ctx: CheckContext,
  source: string,
  at: YamlPath,
  scope: FactScope,
): Template | undefined {
  const parts: TemplatePart[] = [];
  let text = '';
  let valid = true;
  let index = 0;
  while (index < source.length) {
    const open = source.indexOf('{', index);
    if (open < 0) break;
    text += source.slice(index, open);
    if (source[open + 1] === '{') {
      text += '{';
      index = open + 2;
      continue;
    }
    const close = source.indexOf('}', open);
    if (close < 0) {
      const position = ctx.source.positionWithin(at, source.slice(open));
      reportProblem(ctx, position, at, 'unclosed "{" (write {{ for a literal brace)');
      return undefined;
    }
    const placeholder = source.slice(open, close + 1);
    const position = ctx.source.positionWithin(at, placeholder, occurrencesBefore(source, placeholder, open));
    const path = placeholder.slice(1, -1);
    const resolved = PLACEHOLDER_PATH.test(path)
      ? resolveFactPath(ctx.catalogue, path, scope)
      : { error: `${placeholder} is not a fact path (write {{ for a literal brace)` };
    if ('error' in resolved) {
      reportProblem(ctx, position, at, resolved.error);
      valid = false;
    } else if (!isRenderable(resolved.node)) {
      reportProblem(
        ctx,
        position,
        at,
        `${placeholder} is ${typeName(resolved.node)}: name one of its fields`,
      );
      valid = false;
    } else {
      if (text) parts.push({ kind: 'text', text });
      parts.push({ kind: 'fact', fact: resolved });
    }
    text = '';
    index = close + 1;
  }
  text += source.slice(index);
  if (text) parts.push({ kind: 'text', text });
  return valid ? parts : undefined;
}

function occurrencesBefore(source: string, needle: string, end: number): number {
  let count = 0;
  for (let at = source.indexOf(needle); at >= 0 && at < end; at = source.indexOf(needle, at + 1)) count += 1;
  return count;
}

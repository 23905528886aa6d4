import type { ResolvedFactPath } from './catalogue.js';
import type { Template } from './compiled-rule.js';

/** The rendered text, and whether every placeholder had a value (evidence drops references with gaps). */
export interface RenderedTemplate {
  readonly text: string;
  readonly complete: boolean;
}

/** Renders a template: lists joined with `, `, not-gathered values as `unknown`. */
export function renderTemplate(
  template: Template,
  valueOf: (fact: ResolvedFactPath) => unknown,
): RenderedTemplate {
  // Once per part of every finding (thousands in a big scan): concatenation, no object per part.
  let text = '';
  let complete = true;
  for (const part of template) {
    if (part.kind === 'text') {
      text += part.text;
      continue;
    }
    const value = valueOf(part.fact);
    if (Array.isArray(value)) {
      const rendered = renderList(value);
      text += rendered.text;
      complete &&= rendered.complete;
    } else if (value === null || value === undefined) {
      text += UNKNOWN;
      complete = false;
    } else text += String(value);
  }
  return { text, complete };
}

const UNKNOWN = 'unknown';

function renderList(values: readonly unknown[]): RenderedTemplate {
  let complete = true;
  const texts = values.map((value) => {
    if (Array.isArray(value)) {
      const rendered = renderList(value);
      complete &&= rendered.complete;
      return rendered.text;
    }
    if (value === null || value === undefined) {
      complete = false;
      return UNKNOWN;
    }
    return String(value);
  });
  return { text: texts.join(', '), complete };
}

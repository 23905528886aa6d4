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
  let complete = true;
  const text = template
    .map((part) => {
      if (part.kind === 'text') return part.text;
      const rendered = renderValue(valueOf(part.fact));
      complete &&= rendered.complete;
      return rendered.text;
    })
    .join('');
  return { text, complete };
}

function renderValue(value: unknown): RenderedTemplate {
  if (value === null || value === undefined) return { text: 'unknown', complete: false };
  if (Array.isArray(value)) {
    const items = value.map(renderValue);
    return {
      text: items.map((item) => item.text).join(', '),
      complete: items.every((item) => item.complete),
    };
  }
  return { text: String(value), complete: true };
}

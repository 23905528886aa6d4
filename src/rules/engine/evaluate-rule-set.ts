import { SEVERITIES, type Finding } from '../types.js';
import type { ResolvedFactPath } from './catalogue.js';
import type { CompiledRule, Iteration, Template } from './compiled-rule.js';
import { bindingPlanOf } from './binding-plan.js';
import { evaluateCondition } from './evaluate-condition.js';
import { itemEqualityOf, itemsThatMayHold, type ItemEquality } from './equality-filter.js';
import { Bindings, lookupFact, type FactTree } from './fact-lookup.js';
import { renderTemplate } from './render-template.js';
import { unknown, type Unknown } from './three-valued.js';
import { compareNatural, compareText } from '../../shared/text-order.js';

/**
 * Evaluates every rule over the facts. Per binding of the rule's `for` variables (or once): true gives a
 * finding, unknown an `incomplete` finding naming the facts not gathered, false nothing. Findings come out
 * worst first, then by rule id and subject, as evaluateRules orders them.
 */
export function evaluateRuleSet(rules: readonly CompiledRule[], facts: FactTree): Finding[] {
  return rules.flatMap((rule) => evaluateRule(rule, facts)).sort(compareFindings);
}

/** The findings of one rule, in binding order; `plan` `{ variant: rule.when }` evaluates `when` whole. */
export function evaluateRule(rule: CompiledRule, facts: FactTree, plan = bindingPlanOf(rule)): Finding[] {
  const findings: Finding[] = [];
  const invariant = plan.invariant ? evaluateCondition(plan.invariant, facts, Bindings.none) : true;
  const when = invariant === true ? plan.variant : rule.when;
  const [only] = rule.iterations;
  const equality = only && rule.iterations.length === 1 ? itemEqualityOf(when, only) : undefined;
  forEachBinding(rule.iterations, 0, facts, Bindings.none, equality, (binding) => {
    if (!(binding instanceof Bindings)) {
      // The list to iterate was not gathered: no subject to name but the rule.
      findings.push(incompleteFinding(rule, rule.id, binding.missing));
      return;
    }
    if (invariant === false) return;
    const truth = evaluateCondition(when, facts, binding);
    if (truth === false) return;
    const render = (template: Template) =>
      renderTemplate(template, (fact) => lookupFact(facts, binding, fact));
    const subject = render(rule.subject).text;
    if (truth !== true) {
      findings.push(incompleteFinding(rule, subject, truth.missing));
      return;
    }
    const remediation = rule.remediation && render(rule.remediation).text;
    findings.push({
      rule: rule.id,
      severity: rule.severity,
      message: render(rule.message).text,
      subject,
      ...(remediation === undefined ? {} : { remediation }),
      evidence: evidenceOf(rule.evidence, facts, binding),
    });
  });
  return findings;
}

/**
 * Visits the cross product of the `for` iterations from `index` on, in order; a later `each` may read
 * an earlier variable. A list that was not gathered is visited as unknown, once. `equality`, for a
 * rule with one iteration: the items it rules out are not visited (equality-filter.ts).
 */
function forEachBinding(
  iterations: readonly Iteration[],
  index: number,
  facts: FactTree,
  bindings: Bindings,
  equality: ItemEquality | undefined,
  visit: (binding: Bindings | Unknown) => void,
): void {
  const iteration = iterations[index];
  if (!iteration) {
    visit(bindings);
    return;
  }
  const list = lookupFact(facts, bindings, iteration.each);
  if (!Array.isArray(list)) {
    visit(unknown([iteration.each.text]));
    return;
  }
  const items = equality ? itemsThatMayHold(list, equality) : (list as unknown[]);
  for (const item of items) {
    forEachBinding(iterations, index + 1, facts, bindings.with(iteration.as, item), undefined, visit);
  }
}

function incompleteFinding(rule: CompiledRule, subject: string, missing: readonly string[]): Finding {
  return {
    rule: rule.id,
    severity: 'incomplete',
    message: `${rule.title} could not be decided: ${missing.join(', ')} not gathered`,
    subject,
    evidence: [],
  };
}

/**
 * Evidence references, with two differences from messages: a template that is a single list placeholder
 * gives one reference per item, and a reference with a value not gathered is dropped (`probe:unknown`
 * points at nothing).
 */
function evidenceOf(templates: readonly Template[], facts: FactTree, bindings: Bindings): string[] {
  return templates.flatMap((template) => {
    const valueOf = (fact: ResolvedFactPath) => lookupFact(facts, bindings, fact);
    const [only] = template;
    const single = template.length === 1 && only?.kind === 'fact' ? valueOf(only.fact) : undefined;
    const items: Template[] = Array.isArray(single)
      ? single.map((item: unknown) => [{ kind: 'text', text: String(item ?? '') }])
      : [template];
    return items
      .map((item) => renderTemplate(item, valueOf))
      .filter((rendered) => rendered.complete && rendered.text !== '')
      .map((rendered) => rendered.text);
  });
}

/** The order findings come out in: worst first, then by rule id and subject. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity) ||
    compareText(a.rule, b.rule) ||
    compareNatural(a.subject, b.subject)
  );
}

import type { CompiledRule, Condition, Operand, Template, Test } from '../rules/engine/compiled-rule.js';

const COMPARISON = { eq: '=', ne: '≠', lt: '<', le: '≤', gt: '>', ge: '≥' } as const;

/**
 * `rules explain ID`: what a person needs to judge a finding of the rule — what it is, when it fires
 * (the condition as the rule file states it), what it asks to do, and the documents it rests on, with
 * their addresses.
 */
export function renderRuleExplanation(rule: CompiledRule): string {
  const { file, line, col } = rule.source;
  const iterations = rule.iterations.map((iteration) => `${iteration.as} in ${iteration.each.text}`);
  const lines = [
    `${rule.id}: ${rule.title}`,
    `severity: ${rule.severity}`,
    `file: ${file}:${line}:${col}`,
    '',
    rule.description?.trim() || '(no description)',
    '',
    ...(iterations.length > 0 ? [`for each: ${iterations.join(', ')}`] : []),
    'when:',
    ...conditionLines(rule.when, '  '),
    '',
    'message:',
    `  ${templateText(rule.message)}`,
    ...(rule.remediation ? ['', 'remediation:', `  ${templateText(rule.remediation)}`] : []),
    '',
    'references:',
    ...rule.references.map((reference) => `  - ${reference.title}\n    ${reference.url}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** One line per test, nested under `all of:` / `any of:` / `not:` and the quantifiers. */
function conditionLines(condition: Condition, indent: string): string[] {
  const inner = `${indent}  `;
  switch (condition.kind) {
    case 'test':
      return [`${indent}${condition.fact.text} ${testText(condition.test)}`];
    case 'all':
    case 'any':
      return [
        `${indent}${condition.kind} of:`,
        ...condition.conditions.flatMap((item) => conditionLines(item, inner)),
      ];
    case 'not':
      return [`${indent}not:`, ...conditionLines(condition.condition, inner)];
    case 'some':
    case 'every': {
      const { as, each, where } = condition.quantifier;
      const head = `${indent}${condition.kind === 'some' ? 'some' : 'every'} ${as} in ${each.text}`;
      return where ? [`${head} where:`, ...conditionLines(where, inner)] : [head];
    }
    case 'count': {
      const { as, each, where } = condition.quantifier;
      const head = `${indent}the number of ${as} in ${each.text}`;
      return where
        ? [`${head} ${testText(condition.test)}, counting those where:`, ...conditionLines(where, inner)]
        : [`${head} ${testText(condition.test)}`];
    }
  }
}

function testText(test: Test): string {
  switch (test.op) {
    case 'between':
      return `is between ${operandText(test.low)} and ${operandText(test.high)}`;
    case 'in':
    case 'notIn': {
      const values =
        test.values.kind === 'fact' ? test.values.fact.text : `[${test.values.values.join(', ')}]`;
      return `${test.op === 'in' ? 'is in' : 'is not in'} ${values}`;
    }
    case 'matches':
      return `matches /${test.pattern.source}/ (RE2)`;
    case 'exists':
      return test.expected ? 'is gathered' : 'is not gathered';
    default:
      return `${COMPARISON[test.op]} ${operandText(test.operand)}`;
  }
}

function operandText(operand: Operand): string {
  return operand.kind === 'fact' ? operand.fact.text : JSON.stringify(operand.value);
}

/** The template as written: placeholders stay `{fact.path}`. */
function templateText(template: Template): string {
  return template
    .map((part) => (part.kind === 'text' ? part.text : `{${part.fact.text}}`))
    .join('')
    .trim();
}

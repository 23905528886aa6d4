import type { YamlPath } from '../../shared/yaml-input.js';
import { typeName, unwrapNullable, type FactScope, type ValueFact } from './catalogue.js';
import { compilePattern } from './pattern.js';
import { bindEach, reportProblem, resolveFactAt, type CheckContext } from './check-context.js';
import type { Condition, ListOperand, Operand, Quantifier, Scalar, Test } from './compiled-rule.js';
import {
  TEST_OPERATORS,
  type RawCondition,
  type RawOperand,
  type RawQuantifier,
  type TestOperator,
} from './rule-file-schema.js';

type ValueKind = ValueFact['kind'];
const SCALAR_KINDS: readonly ValueKind[] = ['number', 'string', 'boolean', 'enum'];

/** The fact types each operator makes sense on; `gt` on a string is a mistake, not `false`. */
const OPERAND_KINDS: Record<TestOperator, readonly ValueKind[]> = {
  eq: SCALAR_KINDS,
  ne: SCALAR_KINDS,
  lt: ['number'],
  le: ['number'],
  gt: ['number'],
  ge: ['number'],
  between: ['number'],
  in: SCALAR_KINDS,
  notIn: SCALAR_KINDS,
  matches: ['string'],
  exists: ['number', 'string', 'boolean', 'enum', 'object', 'list'],
};

/** What a test is applied to: a fact, or the number `count` produced. */
interface TestSubject {
  readonly text: string;
  readonly node: ValueFact;
}
const COUNT_SUBJECT: TestSubject = { text: 'count', node: { kind: 'number', description: 'items counted' } };

/**
 * Checks a validated condition against the catalogue and compiles it. Problems are reported at the node
 * that causes them; `undefined` means "reported", so callers stop without piling up echoes.
 */
export function checkCondition(
  ctx: CheckContext,
  raw: RawCondition,
  at: YamlPath,
  scope: FactScope,
): Condition | undefined {
  for (const kind of ['all', 'any'] as const) {
    const list = raw[kind];
    if (list) {
      const conditions = list.map((item, index) => checkCondition(ctx, item, [...at, kind, index], scope));
      return conditions.every(isDefined) ? { kind, conditions } : undefined;
    }
  }
  if (raw.not) {
    const condition = checkCondition(ctx, raw.not, [...at, 'not'], scope);
    return condition && { kind: 'not', condition };
  }
  for (const kind of ['some', 'every'] as const) {
    const rawQuantifier = raw[kind];
    if (rawQuantifier) {
      const quantifier = checkQuantifier(ctx, rawQuantifier, [...at, kind], scope);
      return quantifier && { kind, quantifier };
    }
  }
  if (raw.count) {
    const quantifier = checkQuantifier(ctx, raw.count, [...at, 'count'], scope);
    const test = checkTest(ctx, raw, at, COUNT_SUBJECT, scope);
    return quantifier && test && { kind: 'count', quantifier, test };
  }
  if (raw.fact === undefined) return undefined; // the schema has already reported a condition without a head
  const fact = resolveFactAt(ctx, raw.fact, [...at, 'fact'], scope);
  const test = fact && checkTest(ctx, raw, at, fact, scope);
  return fact && test && { kind: 'test', fact, test };
}

function checkQuantifier(
  ctx: CheckContext,
  raw: RawQuantifier,
  at: YamlPath,
  scope: FactScope,
): Quantifier | undefined {
  const bound = bindEach(ctx, raw.each, raw.as, at, scope);
  if (!bound) return undefined;
  if (!raw.where) return { each: bound.each, as: raw.as };
  const where = checkCondition(ctx, raw.where, [...at, 'where'], bound.scope);
  return where && { each: bound.each, as: raw.as, where };
}

function checkTest(
  ctx: CheckContext,
  raw: RawCondition,
  at: YamlPath,
  subject: TestSubject,
  scope: FactScope,
): Test | undefined {
  const op = TEST_OPERATORS.find((operator) => raw[operator] !== undefined);
  if (op === undefined) return undefined; // the schema has already reported a missing operator
  const opAt = [...at, op];
  if (!OPERAND_KINDS[op].includes(subject.node.kind)) {
    const needs = OPERAND_KINDS[op].map((kind) => (kind === 'enum' ? 'an enum' : `a ${kind}`)).join(' or ');
    const message = `"${op}" needs ${needs}; ${subject.text} is ${typeName(subject.node)}`;
    reportProblem(ctx, ctx.source.keyPositionOf(opAt), opAt, message);
    return undefined;
  }
  switch (op) {
    case 'exists':
      return { op, expected: raw.exists === true };
    case 'matches':
      return checkPattern(ctx, raw.matches ?? '', opAt);
    case 'between': {
      const [low, high] = raw.between ?? [];
      const lowOperand = checkOperand(ctx, low, [...opAt, 0], subject, scope);
      const highOperand = checkOperand(ctx, high, [...opAt, 1], subject, scope);
      return lowOperand && highOperand && { op, low: lowOperand, high: highOperand };
    }
    case 'in':
    case 'notIn': {
      const values = checkListOperand(ctx, raw[op], opAt, subject, scope);
      return values && { op, values };
    }
    default: {
      const operand = checkOperand(ctx, raw[op], opAt, subject, scope);
      return operand && { op, operand };
    }
  }
}

function checkPattern(ctx: CheckContext, source: string, at: YamlPath): Test | undefined {
  const pattern = compilePattern(source);
  if ('error' in pattern) {
    const message = `not a regular expression that can be matched in linear time (RE2 syntax): ${pattern.error}`;
    reportProblem(ctx, ctx.source.positionOf(at), at, message);
    return undefined;
  }
  return { op: 'matches', pattern };
}

function checkOperand(
  ctx: CheckContext,
  raw: RawOperand | undefined,
  at: YamlPath,
  subject: TestSubject,
  scope: FactScope,
): Operand | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'object') {
    return checkLiteral(ctx, raw, at, subject) ? { kind: 'literal', value: raw } : undefined;
  }
  const fact = resolveFactAt(ctx, raw.fact, [...at, 'fact'], scope);
  if (!fact) return undefined;
  if (!comparable(subject.node, fact.node)) {
    const message = `${subject.text} (${typeName(subject.node)}) cannot be compared with ${fact.text} (${typeName(fact.node)})`;
    reportProblem(ctx, ctx.source.positionOf([...at, 'fact']), [...at, 'fact'], message);
    return undefined;
  }
  return { kind: 'fact', fact };
}

function checkListOperand(
  ctx: CheckContext,
  raw: RawCondition['in'],
  at: YamlPath,
  subject: TestSubject,
  scope: FactScope,
): ListOperand | undefined {
  if (raw === undefined) return undefined;
  if (Array.isArray(raw)) {
    const values: readonly Scalar[] = raw;
    const valid = values.map((value, index) => checkLiteral(ctx, value, [...at, index], subject));
    return valid.every(Boolean) ? { kind: 'literals', values } : undefined;
  }
  const ref = raw as { readonly fact: string };
  const fact = resolveFactAt(ctx, ref.fact, [...at, 'fact'], scope);
  if (!fact) return undefined;
  const item = fact.node.kind === 'list' ? unwrapNullable(fact.node.item).node : undefined;
  if (!item || !comparable(subject.node, item)) {
    const wanted = `a list of ${typeName(subject.node)}`;
    const message = `${fact.text} is ${typeName(fact.node)}; ${subject.text} needs ${wanted}`;
    reportProblem(ctx, ctx.source.positionOf([...at, 'fact']), [...at, 'fact'], message);
    return undefined;
  }
  return { kind: 'fact', fact };
}

/** Whether a literal fits the subject's type; an enum literal must be one of its values (typos stay loud). */
function checkLiteral(ctx: CheckContext, value: Scalar, at: YamlPath, subject: TestSubject): boolean {
  const { node } = subject;
  const fits =
    node.kind === 'enum'
      ? typeof value === 'string' && node.values.includes(value)
      : typeof value === node.kind;
  if (!fits) {
    const shown = JSON.stringify(value);
    const message =
      node.kind === 'enum'
        ? `${shown} is not one of ${node.values.join(', ')} (${subject.text})`
        : `${shown} is not a ${node.kind}, as ${subject.text} is`;
    reportProblem(ctx, ctx.source.positionOf(at), at, message);
  }
  return fits;
}

/** Same scalar kind; enums compare with strings and other enums (their values are strings). */
function comparable(left: ValueFact, right: ValueFact): boolean {
  const textual = (kind: ValueKind) => kind === 'string' || kind === 'enum';
  return left.kind === right.kind
    ? SCALAR_KINDS.includes(left.kind)
    : textual(left.kind) && textual(right.kind);
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}

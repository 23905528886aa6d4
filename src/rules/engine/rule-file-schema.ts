import * as z from 'zod';

/**
 * The shape of one rule file (rules/<lower-case id>.yaml). Strict everywhere: an unknown key is a typo that
 * would otherwise switch a check off. Whether facts exist and ops fit their types is checked afterwards,
 * against the catalogue (check-condition.ts), because that needs the catalogue and the bound variables.
 */

/** Severities a rule file may declare; `incomplete` is the engine's, for rules that could not be decided. */
export const RULE_SEVERITIES = ['no-go', 'incomplete', 'condition', 'info'] as const;
export type RuleSeverity = (typeof RULE_SEVERITIES)[number];

export const COMPARISON_OPERATORS = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

/** Operators that test one value: what follows `fact:` (all of them) or `count:` (the numeric ones). */
export const TEST_OPERATORS = [
  ...COMPARISON_OPERATORS,
  'in',
  'notIn',
  'between',
  'matches',
  'exists',
] as const;
export type TestOperator = (typeof TEST_OPERATORS)[number];
const COUNT_OPERATORS: readonly TestOperator[] = [...COMPARISON_OPERATORS, 'in', 'notIn', 'between'];

/** The key that says what kind of condition a map is; exactly one per condition. */
export const CONDITION_HEADS = ['fact', 'all', 'any', 'not', 'some', 'every', 'count'] as const;

export const RULE_ID_PATTERN = /^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$/;

export type RawScalar = number | string | boolean;
export interface RawFactRef {
  readonly fact: string;
}
export type RawOperand = RawScalar | RawFactRef;
export interface RawQuantifier {
  readonly each: string;
  readonly as: string;
  readonly where?: RawCondition;
}
export interface RawCondition {
  readonly fact?: string;
  readonly eq?: RawOperand;
  readonly ne?: RawOperand;
  readonly lt?: RawOperand;
  readonly le?: RawOperand;
  readonly gt?: RawOperand;
  readonly ge?: RawOperand;
  readonly in?: readonly RawScalar[] | RawFactRef;
  readonly notIn?: readonly RawScalar[] | RawFactRef;
  readonly between?: readonly [RawOperand, RawOperand];
  readonly matches?: string;
  readonly exists?: boolean;
  readonly all?: readonly RawCondition[];
  readonly any?: readonly RawCondition[];
  readonly not?: RawCondition;
  readonly some?: RawQuantifier;
  readonly every?: RawQuantifier;
  readonly count?: RawQuantifier;
}

const factPathSchema = z
  .string()
  .regex(/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/, 'a fact path is dotted names, e.g. change.https.candidate');
const variableNameSchema = z
  .string()
  .regex(/^[a-z][A-Za-z0-9]*$/, 'a variable name is a lower-camel-case word, e.g. probe');
const factRefSchema = z.strictObject({ fact: factPathSchema });
const scalarSchema = z.union([z.number(), z.string(), z.boolean()], {
  error: 'expected a number, a string or true/false',
});
const operandSchema = z.union([scalarSchema, factRefSchema], {
  error: 'expected a number, a string, true/false or { fact: PATH }',
});
const listOperandSchema = z.union([z.array(scalarSchema).min(1), factRefSchema], {
  error: 'expected a list of values or { fact: PATH } naming a list',
});

const quantifierSchema = (whereRequired: boolean): z.ZodType<RawQuantifier> =>
  z.strictObject({
    each: factPathSchema,
    as: variableNameSchema,
    where: whereRequired ? z.lazy(() => conditionSchema) : z.lazy(() => conditionSchema).optional(),
  });

export const conditionSchema: z.ZodType<RawCondition> = z.lazy(() =>
  z
    .strictObject({
      fact: factPathSchema.optional(),
      eq: operandSchema.optional(),
      ne: operandSchema.optional(),
      lt: operandSchema.optional(),
      le: operandSchema.optional(),
      gt: operandSchema.optional(),
      ge: operandSchema.optional(),
      in: listOperandSchema.optional(),
      notIn: listOperandSchema.optional(),
      between: z.tuple([operandSchema, operandSchema]).optional(),
      matches: z
        .string()
        .optional()
        .describe('RE2 regular expression (linear-time; no backreferences or lookaround)'),
      exists: z.boolean().optional(),
      all: z.array(conditionSchema).min(1).optional(),
      any: z.array(conditionSchema).min(1).optional(),
      not: conditionSchema.optional(),
      some: quantifierSchema(true).optional(),
      every: quantifierSchema(true).optional(),
      // `count` without `where` counts every item.
      count: quantifierSchema(false).optional(),
    })
    .superRefine(checkConditionForm),
);

/** One head (fact, all, any…), and one operator exactly when the head is `fact` or `count`. */
function checkConditionForm(condition: RawCondition, ctx: z.RefinementCtx): void {
  const present = <K extends string>(keys: readonly K[]) => keys.filter((key) => key in condition);
  const heads = present(CONDITION_HEADS);
  const operators = present(TEST_OPERATORS);
  const [head, secondHead] = heads;
  if (head === undefined) {
    const message = `a condition starts with one of ${CONDITION_HEADS.join(', ')}`;
    ctx.addIssue({ code: 'custom', message, path: operators.slice(0, 1) });
    return;
  }
  if (secondHead !== undefined) {
    const message = `"${head}" and "${secondHead}" cannot share one condition: put them under all or any`;
    ctx.addIssue({ code: 'custom', message, path: [secondHead] });
    return;
  }
  if (head !== 'fact' && head !== 'count') {
    for (const operator of operators) {
      const message = `"${operator}" applies to fact or count, not to ${head}`;
      ctx.addIssue({ code: 'custom', message, path: [operator] });
    }
    return;
  }
  const allowed = head === 'count' ? COUNT_OPERATORS : TEST_OPERATORS;
  const [operator, secondOperator] = operators;
  if (operator === undefined) {
    ctx.addIssue({ code: 'custom', message: `${head} needs one operator: ${allowed.join(', ')}`, path: [] });
  } else if (secondOperator !== undefined) {
    const message = `one operator per condition ("${operator}" and "${secondOperator}"): combine conditions with all`;
    ctx.addIssue({ code: 'custom', message, path: [secondOperator] });
  } else if (!allowed.includes(operator)) {
    const message = `count takes ${allowed.join(', ')}, not "${operator}"`;
    ctx.addIssue({ code: 'custom', message, path: [operator] });
  }
}

const iterationSchema = z.strictObject({ each: factPathSchema, as: variableNameSchema });
const templateSchema = z.string().min(1);
/** A known document by title (src/rules/documents.ts gives its URL), or any other with its own URL. */
const referenceSchema = z.union(
  [z.string().min(1), z.strictObject({ title: z.string().min(1), url: z.url({ protocol: /^https?$/ }) })],
  { error: 'expected a document title, or { title: TITLE, url: https://… } for a document of your own' },
);

export const ruleFileSchema = z.strictObject({
  id: z
    .string()
    .regex(RULE_ID_PATTERN, 'a rule id is upper-case words joined by "-", e.g. CM-INTERNET-HTTPS-PORT'),
  title: z.string().min(1),
  severity: z.enum(RULE_SEVERITIES),
  /** One iteration, or several for a cross product (each server × each port). */
  for: z.union([iterationSchema, z.array(iterationSchema).min(1)]).optional(),
  when: conditionSchema,
  subject: templateSchema.optional(),
  message: templateSchema,
  remediation: templateSchema.optional(),
  references: z.array(referenceSchema).min(1),
  evidence: z.array(templateSchema).optional(),
  description: z.string().optional(),
});
export type RawRuleFile = z.output<typeof ruleFileSchema>;
export type RawIteration = z.output<typeof iterationSchema>;

import type { SourcePosition } from '../../shared/errors.js';
import type { DocumentReference } from '../documents.js';
import type { ResolvedFactPath } from './catalogue.js';
import type { ComparisonOperator, RuleSeverity } from './rule-file-schema.js';

/** A rule file after it has been checked against the catalogue: plain data, ready to evaluate. */
export interface CompiledRule {
  readonly id: string;
  readonly title: string;
  readonly severity: RuleSeverity;
  /** The documents the rule cites, each with its address. */
  readonly references: readonly DocumentReference[];
  readonly description?: string;
  /** Where the rule's id is written: the file for `rules list`, the position for duplicate-id errors. */
  readonly source: SourcePosition;
  /** `for` iterations in order; later ones may iterate over a field of an earlier variable. */
  readonly iterations: readonly Iteration[];
  readonly when: Condition;
  readonly subject: Template;
  readonly message: Template;
  readonly remediation?: Template;
  readonly evidence: readonly Template[];
}

export interface Iteration {
  readonly each: ResolvedFactPath;
  readonly as: string;
}

export type Scalar = number | string | boolean;

export type Operand =
  | { readonly kind: 'literal'; readonly value: Scalar }
  | { readonly kind: 'fact'; readonly fact: ResolvedFactPath };

/** The values `in`/`notIn` look in: written out, or a list fact. */
export type ListOperand =
  | { readonly kind: 'literals'; readonly values: readonly Scalar[] }
  | { readonly kind: 'fact'; readonly fact: ResolvedFactPath };

/** What one operator checks about one value (a fact, or the number `count` counted). */
export type Test =
  | { readonly op: ComparisonOperator; readonly operand: Operand }
  | { readonly op: 'between'; readonly low: Operand; readonly high: Operand }
  | { readonly op: 'in' | 'notIn'; readonly values: ListOperand }
  | { readonly op: 'matches'; readonly pattern: { readonly source: string; test(text: string): boolean } }
  | { readonly op: 'exists'; readonly expected: boolean };

export interface Quantifier {
  readonly each: ResolvedFactPath;
  readonly as: string;
  /** Absent only for `count`, which then counts every item. */
  readonly where?: Condition;
}

export type Condition =
  | { readonly kind: 'test'; readonly fact: ResolvedFactPath; readonly test: Test }
  | { readonly kind: 'all' | 'any'; readonly conditions: readonly Condition[] }
  | { readonly kind: 'not'; readonly condition: Condition }
  | { readonly kind: 'some' | 'every'; readonly quantifier: Quantifier }
  | { readonly kind: 'count'; readonly quantifier: Quantifier; readonly test: Test };

/** Literal text and `{fact.path}` placeholders, in order. */
export type Template = readonly TemplatePart[];
export type TemplatePart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'fact'; readonly fact: ResolvedFactPath };

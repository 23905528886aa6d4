import type { InputProblem, SourcePosition } from '../../shared/errors.js';
import { formatYamlPath, type YamlPath, type YamlSource } from '../../shared/yaml-input.js';
import {
  resolveFactPath,
  typeName,
  unwrapNullable,
  type Catalogue,
  type FactNode,
  type FactScope,
  type ResolvedFactPath,
} from './catalogue.js';

/** What the load-time checks share: the catalogue, where things are written, and the problems found so far. */
export interface CheckContext {
  readonly catalogue: Catalogue;
  readonly source: YamlSource<unknown>;
  /** Collected rather than thrown, so one load reports every problem of a file. */
  readonly problems: InputProblem[];
}

/** Records a problem as `path: message` at `position` (parseYamlInput's format). */
export function reportProblem(
  ctx: CheckContext,
  position: SourcePosition,
  at: YamlPath,
  message: string,
): void {
  ctx.problems.push({ position, message: at.length > 0 ? `${formatYamlPath(at)}: ${message}` : message });
}

/** Resolves the fact path written at `at`; reports it there when the catalogue has no such fact. */
export function resolveFactAt(
  ctx: CheckContext,
  path: string,
  at: YamlPath,
  scope: FactScope,
): ResolvedFactPath | undefined {
  const resolved = resolveFactPath(ctx.catalogue, path, scope);
  if ('error' in resolved) {
    reportProblem(ctx, ctx.source.positionOf(at), at, resolved.error);
    return undefined;
  }
  return resolved;
}

/**
 * Resolves `each: PATH` (which must name a list) and binds `as` to its items. Names may not shadow a
 * top-level fact or another variable: `server.host` must mean one thing only.
 */
export function bindEach(
  ctx: CheckContext,
  each: string,
  as: string,
  at: YamlPath,
  scope: FactScope,
): { readonly each: ResolvedFactPath; readonly scope: FactScope } | undefined {
  const list = resolveFactAt(ctx, each, [...at, 'each'], scope);
  let usable = list !== undefined;
  if (list && list.node.kind !== 'list') {
    const message = `each needs a list; ${each} is ${typeName(list.node)}`;
    reportProblem(ctx, ctx.source.positionOf([...at, 'each']), [...at, 'each'], message);
    usable = false;
  }
  const clash = scope.has(as)
    ? `"${as}" is already bound by an enclosing for or quantifier`
    : Object.hasOwn(ctx.catalogue.fields, as)
      ? `"${as}" is a top-level fact; choose another name`
      : undefined;
  if (clash) {
    reportProblem(ctx, ctx.source.positionOf([...at, 'as']), [...at, 'as'], clash);
    usable = false;
  }
  if (!usable || !list || list.node.kind !== 'list') return undefined;
  return { each: list, scope: new Map([...scope, [as, list.node.item]]) };
}

/** Whether a value of type `node` can be rendered into a message: scalars and lists of scalars. */
export function isRenderable(node: FactNode): boolean {
  const value = unwrapNullable(node).node;
  if (value.kind === 'object') return false;
  return value.kind !== 'list' || isRenderable(value.item);
}

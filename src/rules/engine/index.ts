/**
 * The declarative rule engine: rules are YAML files (rules/<id>.yaml) checked against a typed fact
 * catalogue when they load, and evaluated purely, with three-valued logic, over a fact tree.
 */
export {
  defineCatalogue,
  fact,
  renderCatalogueMarkdown,
  resolveFactPath,
  typeName,
  walkCatalogue,
  type Catalogue,
  type FactNode,
  type FactScope,
  type FactsOf,
  type ResolvedFactPath,
} from './catalogue.js';
export type { CompiledRule, Condition, Template } from './compiled-rule.js';
export { compareFindings, evaluateRule, evaluateRuleSet } from './evaluate-rule-set.js';
export type { FactTree } from './fact-lookup.js';
// The compiler (compile-rule.ts: parseRuleFile, precompileRuleFiles) and the rule-file schema are
// deliberately not re-exported: loadRuleSet loads them only when a rule file needs compiling.
export { loadRuleSet, type RuleFileText } from './load-rules.js';
export type { PrecompiledRules } from './precompiled.js';
export type { RuleSeverity } from './rule-file-schema.js';

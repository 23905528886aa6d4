/** rules/: declarative rule files (rules/*.yaml) evaluated over the fact tree; no I/O here. */
export { SEVERITIES, type Finding, type Severity } from './types.js';
export { RULE_CATALOGUE } from './catalogue.js';
export { factTreeOf } from './fact-tree.js';

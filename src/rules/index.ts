/** rules/: pure functions from facts to findings. */
export { evaluateRules } from './evaluate-rules.js';
export { BUILTIN_RULES } from './builtin/index.js';
export { SEVERITIES, type Finding, type Rule, type Severity } from './types.js';

import { fact } from './engine/index.js';

/**
 * The short names the catalogue files declare facts with (`n('Port number')`), in one place: every
 * catalogue-*.ts reads as a table of facts, and they all mean the same by `ref`.
 */
export const n = fact.number;
export const s = fact.string;
export const b = fact.boolean;
export const list = fact.list;
export const obj = fact.object;
export const maybe = fact.nullable;
/** The evidence a finding cites. */
export const ref = () => s('Evidence reference (probe:…, file:line)');

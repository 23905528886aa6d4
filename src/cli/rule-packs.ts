import { isAbsolute, join, relative } from 'node:path';
import { RULE_CATALOGUE } from '../rules/catalogue.js';
import { loadRuleSet, type Catalogue, type CompiledRule, type RuleFileText } from '../rules/engine/index.js';
import { ExitCode } from '../shared/exit-codes.js';
import { describeErrno } from '../shared/errno-text.js';
import { folderEntries, packagePath } from '../shared/package-files.js';
import { readInputFile } from '../shared/read-input-file.js';
import { usageError, UserError } from '../shared/errors.js';

/** The built-in rules: rules/ at the package root (or inside the executable). */
export const BUILTIN_RULES_DIR = packagePath('rules');

/** A rule file is a screenful of YAML; a megabyte is a wrong file, not a rule. */
const MAX_RULE_BYTES = 1024 * 1024;

export interface RulePackOptions {
  /** Folder of the built-in rules; tests point it at a folder of their own. */
  readonly builtinDir?: string;
  /** Catalogue the rules are checked against; tests inject the engine's test catalogue. */
  readonly catalogue?: Catalogue;
  /** Base for the file names shown in errors and `rules list` (default: the working directory). */
  readonly cwd?: string;
}

/**
 * Loads the built-in rules plus every `*.yaml` of each `--rules` folder, checked against the fact
 * catalogue. Throws an InputError (exit 65) with `file:line:col` lines for bad rule files, a one-line
 * UserError (exit 65) for a folder that is missing or holds no rule file.
 */
export async function loadRulePacks(
  packDirs: readonly string[],
  options: RulePackOptions = {},
): Promise<CompiledRule[]> {
  const cwd = options.cwd ?? process.cwd();
  const builtin = await readRuleFolder(options.builtinDir ?? BUILTIN_RULES_DIR, cwd, 'builtin');
  const packs = await Promise.all(packDirs.map((dir) => readRuleFolder(dir, cwd, 'pack')));
  return loadRuleSet([...builtin, ...packs.flat()], options.catalogue ?? RULE_CATALOGUE);
}

/** The `*.yaml` files of one folder, by name, each named as the user would open it. */
async function readRuleFolder(dir: string, cwd: string, kind: 'builtin' | 'pack'): Promise<RuleFileText[]> {
  const label = kind === 'pack' ? `--rules ${dir}` : `built-in rule folder ${dir}`;
  const nextStep = kind === 'pack' ? '' : ' (the installation is broken: reinstall portflight)';
  let names: string[];
  try {
    const entries = await folderEntries(dir);
    names = entries
      .filter((entry) => entry.isFile && entry.name.endsWith('.yaml'))
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such folder' : code === 'ENOTDIR' ? 'not a folder' : describeErrno(code ?? '');
    throw new UserError(`${label}: cannot read the rule folder: ${why}${nextStep}`, ExitCode.invalidInput);
  }
  if (names.length === 0) {
    // An empty pack is almost always the wrong folder, and no built-in rule would mean a silent GO.
    throw new UserError(`${label}: no *.yaml rule file in this folder${nextStep}`, ExitCode.invalidInput);
  }
  return Promise.all(
    names.map(async (name) => {
      const path = join(dir, name);
      return { file: displayPath(path, cwd), text: await readInputFile(path, MAX_RULE_BYTES) };
    }),
  );
}

/** Relative to the working directory when the file is below it, so error lines stay short and clickable. */
function displayPath(path: string, cwd: string): string {
  const below = relative(cwd, path);
  return below !== '' && !below.startsWith('..') && !isAbsolute(below) ? below : path;
}

/** The rule with this id (case does not matter), or a usage error (exit 64) naming the way to list them. */
export function findRule(rules: readonly CompiledRule[], id: string): CompiledRule {
  const rule = rules.find((candidate) => candidate.id === id.toUpperCase());
  if (!rule) throw usageError(`no rule ${id} (portflight rules list shows the rules)`);
  return rule;
}

/** `rules list`: one row per rule, columns padded to their widest cell. */
export function renderRuleTable(rules: readonly CompiledRule[]): string {
  const rows = [
    ['ID', 'SEVERITY', 'TITLE', 'FILE'],
    ...rules.map((rule) => [rule.id, rule.severity, rule.title, rule.source.file]),
  ];
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const lines = rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd(),
  );
  return `${lines.join('\n')}\n`;
}

import { isAbsolute, join, relative, resolve } from 'node:path';
import { RULE_CATALOGUE } from '../rules/catalogue.js';
import { loadRuleSet, type Catalogue, type CompiledRule, type RuleFileText } from '../rules/engine/index.js';
import { ExitCode } from '../shared/exit-codes.js';
import { describeErrno } from '../shared/errno-text.js';
import { folderEntriesSync, packagePath } from '../shared/package-files.js';
import { readInputFileSync } from '../shared/read-input-file.js';
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
  const builtin = readRuleFolder(options.builtinDir ?? BUILTIN_RULES_DIR, cwd, 'builtin');
  const packs = packDirs.map((dir) => readRuleFolder(dir, cwd, 'pack'));
  return loadRuleSet([...builtin, ...packs.flat()], options.catalogue ?? RULE_CATALOGUE);
}

/**
 * The `*.yaml` files of one folder, by name, each named as the user would open it. Read
 * synchronously, one at a time: every command reads the built-in rules before anything else runs,
 * and sixty small files took ~20 ms of promise round trips read asynchronously; one file open at a
 * time also never runs out of descriptors under a low `ulimit -n`.
 */
function readRuleFolder(dir: string, cwd: string, kind: 'builtin' | 'pack'): RuleFileText[] {
  const label = kind === 'pack' ? `--rules ${dir}` : `built-in rule folder ${dir}`;
  const nextStep = kind === 'pack' ? '' : ' (the installation is broken: reinstall portflight)';
  let names: string[];
  try {
    const entries = folderEntriesSync(dir);
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
  return names.map((name) => {
    const path = join(dir, name);
    return { file: displayPath(path, cwd), text: readInputFileSync(path, MAX_RULE_BYTES) };
  });
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

/** A terminal's width, which `rules list` keeps to. */
const LIST_WIDTH = 80;

/**
 * `rules list`: as text, one row per rule (ID, SEVERITY, TITLE) within 80 columns, long titles
 * wrapped under their column, and the file of each rule that is not built in on a line of its own;
 * as JSON, every rule with its file.
 */
export function renderRuleList(rules: readonly CompiledRule[], format: 'text' | 'json'): string {
  if (format === 'json') {
    const list = rules.map((rule) => ({
      id: rule.id,
      severity: rule.severity,
      title: rule.title,
      file: rule.source.file,
      builtin: isBuiltin(rule),
    }));
    return `${JSON.stringify(list, null, 2)}\n`;
  }
  const idWidth = Math.max(2, ...rules.map((rule) => rule.id.length));
  const severityWidth = Math.max(8, ...rules.map((rule) => rule.severity.length));
  const indent = idWidth + severityWidth + 4;
  const titleWidth = Math.max(20, LIST_WIDTH - indent);
  const row = (id: string, severity: string, text: string) =>
    `${id.padEnd(idWidth)}  ${severity.padEnd(severityWidth)}  ${text}`.trimEnd();
  const lines = [row('ID', 'SEVERITY', 'TITLE')];
  for (const rule of rules) {
    const [first = '', ...rest] = wrapWords(rule.title, titleWidth);
    lines.push(row(rule.id, rule.severity, first));
    const more = isBuiltin(rule) ? rest : [...rest, ...wrapWords(`from ${rule.source.file}`, titleWidth)];
    for (const line of more) lines.push(`${' '.repeat(indent)}${line}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A rule of rules/ (the file's own path, or where the executable holds it). */
function isBuiltin(rule: CompiledRule): boolean {
  const below = relative(BUILTIN_RULES_DIR, resolve(rule.source.file));
  return below !== '' && !below.startsWith('..') && !isAbsolute(below);
}

/** Words into lines of at most `width` characters (a longer word gets a line of its own). */
function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

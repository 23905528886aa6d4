import type { KeyObject } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
// Not report/index.js, which also loads the report reader (and its schema) no scan needs.
import { sealReport } from '../report/integrity.js';
import type { Report } from '../report/model.js';
import { REPORT_FILE_EXTENSIONS, REPORT_RENDERERS, type ReportFormat } from '../report/registry.js';
import { ExitCode } from '../shared/exit-codes.js';
import { UserError } from '../shared/errors.js';
import type { OutputFlags } from './program.js';
import { loadSigningKey } from './signing-keys.js';
import { outputError } from './stdout.js';
import { resolveOutputTarget, writeOutputFile, writeReport, type OutputTarget } from './write-output.js';

/**
 * Where the reports of a run go and how they are sealed, decided before the first packet (a folder
 * that cannot be written, a key that does not load, fail before an hour of probing): one format to
 * stdout or `--output`, or one file per format in `--output-dir`.
 */
export type ReportOutputs = (
  | { readonly kind: 'single'; readonly format: ReportFormat; readonly target: OutputTarget }
  | { readonly kind: 'folder'; readonly formats: readonly ReportFormat[]; readonly dir: string }
) & { readonly signingKey?: KeyObject };

export async function resolveReportOutputs(flags: OutputFlags): Promise<ReportOutputs> {
  const formats = flags.format;
  if (flags.outputDir !== undefined && flags.output !== undefined)
    throw new UserError(
      '--output and --output-dir: give one (a file, or a folder for one file per format)',
      ExitCode.usage,
    );
  if (flags.outputDir === undefined && formats.length > 1)
    throw new UserError(
      `--format ${formats.join(',')}: several formats need --output-dir DIR (one file each)`,
      ExitCode.usage,
    );
  const signing = flags.signKey === undefined ? {} : { signingKey: await loadSigningKey(flags.signKey) };
  if (flags.outputDir === undefined) {
    return {
      kind: 'single',
      format: formats[0] ?? 'yaml',
      target: await resolveOutputTarget(flags.output),
      ...signing,
    };
  }
  return { kind: 'folder', formats, dir: await writableFolder(flags.outputDir), ...signing };
}

/** The folder, created when missing (`--output-dir out/` on a fresh clone), and writable. */
async function writableFolder(dir: string): Promise<string> {
  if (dir === '') throw new UserError('--output-dir: the path is empty', ExitCode.usage);
  await mkdir(dir, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw outputError(dir, error);
  });
  const info = await stat(dir).catch((error: NodeJS.ErrnoException) => {
    throw outputError(dir, error);
  });
  if (!info.isDirectory())
    throw new UserError(`${dir}: not a directory; --output-dir names a folder`, ExitCode.usage);
  await access(dir, constants.W_OK).catch((error: NodeJS.ErrnoException) => {
    throw outputError(dir, error, `cannot create files in ${dir}`);
  });
  return dir;
}

/** ` (report: out.yaml)` / ` (reports: a.md, a.html)` for the summary line; empty for stdout. */
export function writtenPhrase(written: readonly string[]): string {
  return written.length === 0 ? '' : ` (report${written.length > 1 ? 's' : ''}: ${written.join(', ')})`;
}

/** Seals the report once (signed when a key was given) and writes every format; returns where, for the summary. */
export async function writeReports(outputs: ReportOutputs, report: Report): Promise<string[]> {
  const sealed = sealReport(report, outputs.signingKey);
  if (outputs.kind === 'single') {
    await writeReport(outputs.target, REPORT_RENDERERS[outputs.format](sealed));
    return outputs.target.kind === 'stdout' ? [] : [outputs.target.shownAs];
  }
  const written: string[] = [];
  for (const format of outputs.formats) {
    const path = join(outputs.dir, reportFileName(report, format));
    await writeOutputFile(path, REPORT_RENDERERS[format](sealed));
    written.push(path);
  }
  return written;
}

/**
 * `<plan name>-<scan start, UTC>.<ext>`: the plan's name (else its file name, else the hosts of a
 * `check`) reduced to letters, digits, dots, dashes and underscores, so the name is valid on every
 * file system and a share; the time makes runs of one plan sort and never collide.
 */
export function reportFileName(report: Report, format: ReportFormat): string {
  const planFile = report.plan.path
    ?.split(/[\\/]/)
    .pop()
    ?.replace(/\.ya?ml$/i, '');
  const named =
    report.plan.name ?? planFile ?? `check-${report.targets.map((target) => target.host).join('-')}`;
  const time = report.startedAt.replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
  return `${safeFileStem(named)}-${time}${REPORT_FILE_EXTENSIONS[format]}`;
}

const STEM_LIMIT = 80;

function safeFileStem(text: string): string {
  const ascii = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  const stem = ascii
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+/, '')
    .slice(0, STEM_LIMIT)
    .replace(/[-.]+$/, '');
  return stem === '' ? 'portflight-report' : stem;
}

import type { FindingChange, ProbeChange, ProbeOutcome, ReportDiff } from './diff-reports.js';

/** `diff --format` choices. */
export const DIFF_FORMATS = ['text', 'json'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

export const DIFF_RENDERERS: Readonly<Record<DiffFormat, (diff: ReportDiff) => string>> = {
  text: renderDiffText,
  json: (diff) => `${JSON.stringify(diff, null, 2)}\n`,
};

/**
 * For a person (and a change ticket): the verdicts first, then each probe and finding that changed,
 * one line each, marked like diff(1) — `-` only in the old run, `+` only in the new one, `~` changed.
 */
export function renderDiffText(diff: ReportDiff): string {
  const lines = [
    `verdict: ${diff.old.verdict.toUpperCase()} → ${diff.new.verdict.toUpperCase()}${diff.verdictChanged ? '' : ' (unchanged)'}`,
    `old: ${diff.old.file} (${diff.old.phase}, ${diff.old.startedAt}, from ${diff.old.vantage})`,
    `new: ${diff.new.file} (${diff.new.phase}, ${diff.new.startedAt}, from ${diff.new.vantage})`,
  ];
  if (diff.planChanged)
    lines.push(
      `plan: changed (sha256 ${diff.old.planSha256.slice(0, 12)}… → ${diff.new.planSha256.slice(0, 12)}…)`,
    );
  if (!diff.changed) return `${[...lines, 'no change in probes, findings or verdict'].join('\n')}\n`;
  lines.push('', `probes: ${diff.probes.length} changed`);
  for (const change of diff.probes) lines.push(probeLine(change));
  lines.push('', `findings: ${diff.findings.length} changed`);
  for (const change of diff.findings) lines.push(findingLine(change));
  return `${lines.join('\n')}\n`;
}

function probeLine(change: ProbeChange): string {
  const where = `${change.target}${change.address && change.address !== change.target ? ` (${change.address})` : ''} ${change.protocol}/${change.port}`;
  const from = change.vantage === null ? '' : ` from ${change.vantage}`;
  if (change.old === null) return `  + ${where}${from}: ${outcome(change.new)}`;
  if (change.new === null) return `  - ${where}${from}: ${outcome(change.old)}`;
  return `  ~ ${where}${from}: ${outcome(change.old)} → ${outcome(change.new)}`;
}

function outcome(probe: ProbeOutcome | null): string {
  if (probe === null) return 'not probed';
  const blocked = probe.blockedBy === null ? '' : `, blocked by ${probe.blockedBy}`;
  return `${probe.state} (${probe.reason}${blocked})`;
}

function findingLine(change: FindingChange): string {
  const from = change.vantages.length === 0 ? '' : ` [${change.vantages.join(', ')}]`;
  const head = `${change.rule} ${change.subject}${from}`;
  const severity = (state: FindingChange['old']) =>
    state === null ? '' : `${state.severity}${state.waived ? ', waived' : ''}`;
  if (change.old === null) return `  + ${head} (${severity(change.new)}): ${change.new?.message ?? ''}`;
  if (change.new === null) return `  - ${head} (${severity(change.old)}): ${change.old.message}`;
  const what =
    severity(change.old) === severity(change.new)
      ? severity(change.new)
      : `${severity(change.old)} → ${severity(change.new)}`;
  return `  ~ ${head} (${what}): ${change.new.message}`;
}

import { embeddedCopyOf, type EmbeddedCopy } from './embedded-copy.js';
import { sealedOrBare, type SealedReport } from './integrity.js';
import type { Report } from './model.js';
import type { Block, Span, Spans, TicketDocument } from './ticket-document.js';
import { ticketDocument } from './ticket-view.js';

/**
 * GitHub-flavoured Markdown for change tickets (ServiceNow, Jira, Azure DevOps work items): headings,
 * pipe tables, fenced code blocks, no raw HTML — those fields strip or show HTML as text. The sealed
 * report rides at the end in a `portflight-report` fence for `portflight verify`.
 */
export function renderMarkdownReport(report: Report): string {
  const sealed = sealedOrBare(report);
  return markdownDocument(sealed, embeddedCopyOf(sealed));
}

/** The document around a given copy: verify rebuilds it around the copy it found. */
export function markdownDocument(report: SealedReport, copy: EmbeddedCopy): string {
  return renderDocument(ticketDocument(report, copy));
}

/** Finds the copy `markdownDocument` wrote; null when the text has none. */
export function findMarkdownCopy(text: string): string[] | null {
  const match = /^~~~portflight-report\n([A-Za-z0-9+/=\n]*?)\n?~~~$/m.exec(text);
  return match ? (match[1] as string).split('\n').filter((line) => line !== '') : null;
}

function renderDocument(document: TicketDocument): string {
  const { verdictMark } = document;
  const out = [
    `# ${inline([document.title])}`,
    '',
    `> **${verdictMark.symbol} ${verdictMark.label}** — ${inline(document.sentence)}`,
    '',
  ];
  for (const section of document.sections) {
    out.push(`## ${inline([section.title])}`, '');
    for (const block of section.blocks) out.push(...blockLines(block), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function blockLines(block: Block): string[] {
  switch (block.kind) {
    case 'paragraph':
      return [inline(block.spans)];
    case 'heading':
      return [`### ${inline(block.spans)}`];
    case 'list':
      return block.items.map((item) => `- ${inline(item)}`);
    case 'table':
      return [
        row(block.header.map((cell) => escapeText(cell, true))),
        row(block.header.map(() => '---')),
        ...block.rows.map((cells) => row(cells.map((cell) => inline(cell, true)))),
      ];
    case 'code': {
      const fence = '`'.repeat(Math.max(3, longestRun(block.text, '`') + 1));
      return [fence, block.text, fence];
    }
    case 'copy':
      return ['~~~portflight-report', ...block.copy.lines, '~~~'];
  }
}

function row(cells: readonly string[]): string {
  return `| ${cells.map((cell) => (cell === '' ? ' ' : cell)).join(' | ')} |`;
}

function inline(spans: Spans, inTable = false): string {
  return spans.map((span) => spanText(span, inTable)).join('');
}

function spanText(span: Span, inTable: boolean): string {
  if (typeof span === 'string') return escapeText(span, inTable);
  if ('code' in span) return codeSpan(span.code, inTable);
  if ('strong' in span) {
    // Emphasis cannot open before or close after a space: the spaces go outside it.
    const core = span.strong.trim();
    if (core === '') return span.strong;
    const lead = span.strong.slice(0, span.strong.indexOf(core));
    const trail = span.strong.slice(lead.length + core.length);
    return `${lead}**${escapeText(core, inTable)}**${trail}`;
  }
  return escapeText(span.mark, inTable);
}

/**
 * Text as Markdown shows it literally: punctuation that would start emphasis, links, HTML or a table
 * cell is backslash-escaped (CommonMark: any ASCII punctuation may be), line breaks become spaces.
 */
function escapeText(text: string, inTable: boolean): string {
  const flat = text.replace(/\r?\n/g, ' ');
  const escaped = flat.replace(/[\\`*_[\]<>|~]/g, (ch) => `\\${ch}`);
  // A line that starts like a heading, list or quote would be read as one.
  return inTable ? escaped : escaped.replace(/^([#>+-]|\d+[.)])/, '\\$1');
}

function codeSpan(text: string, inTable: boolean): string {
  const flat = text.replace(/\r?\n/g, ' ');
  const ticks = '`'.repeat(longestRun(flat, '`') + 1);
  const padded = flat.startsWith('`') || flat.endsWith('`') ? ` ${flat} ` : flat;
  // GFM splits table cells at every unescaped pipe, code spans included.
  return `${ticks}${inTable ? padded.replaceAll('|', '\\|') : padded}${ticks}`;
}

function longestRun(text: string, ch: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === ch ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}

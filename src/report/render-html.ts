import { embeddedCopyOf, type EmbeddedCopy } from './embedded-copy.js';
import { HTML_STYLE } from './html-style.js';
import { sealedOrBare, type SealedReport } from './integrity.js';
import type { Report } from './model.js';
import type { Block, Span, Spans, TicketDocument } from './ticket-document.js';
import { ticketDocument } from './ticket-view.js';

/**
 * One self-contained HTML file for a CAB pack, on screen or printed to PDF: inline CSS only — no
 * script, font, image or link to anything outside the file (links are to its own sections). The sealed
 * report is in a closed <details> at the end (not printed) for `portflight verify`.
 */
export function renderHtmlReport(report: Report): string {
  const sealed = sealedOrBare(report);
  return htmlDocument(sealed, embeddedCopyOf(sealed));
}

/** The document around a given copy: verify rebuilds it around the copy it found. */
export function htmlDocument(report: SealedReport, copy: EmbeddedCopy): string {
  return renderDocument(ticketDocument(report, copy));
}

/** Finds the copy `htmlDocument` wrote; null when the text has none. */
export function findHtmlCopy(text: string): string[] | null {
  const match = /<pre class="portflight-report">\n([A-Za-z0-9+/=\n]*?)<\/pre>/.exec(text);
  return match ? (match[1] as string).split('\n').filter((line) => line !== '') : null;
}

function renderDocument(document: TicketDocument): string {
  const { verdictMark } = document;
  const out = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(`${verdictMark.label} — ${document.title}`)}</title>`,
    `<style>${HTML_STYLE}</style>`,
    '</head>',
    '<body>',
    '<header>',
    `<h1>${escapeHtml(document.title)}</h1>`,
    `<div class="verdict tone-${verdictMark.tone}" id="verdict">`,
    `<p><span class="label"><span class="mark">${escapeHtml(verdictMark.symbol)}</span> ${escapeHtml(verdictMark.label)}</span></p>`,
    `<p class="sentence">${inline(document.sentence)}</p>`,
    '</div>',
    '<nav><ol>',
    ...document.sections.map(
      (section) => `<li><a href="#${section.id}">${escapeHtml(section.title)}</a></li>`,
    ),
    '</ol></nav>',
    '</header>',
  ];
  for (const section of document.sections) {
    out.push(`<section id="${section.id}">`, `<h2>${escapeHtml(section.title)}</h2>`);
    for (const block of section.blocks) out.push(blockHtml(block));
    out.push('</section>');
  }
  out.push('</body>', '</html>');
  return `${out.join('\n')}\n`;
}

function blockHtml(block: Block): string {
  switch (block.kind) {
    case 'paragraph':
      return `<p>${inline(block.spans)}</p>`;
    case 'heading':
      return `<h3>${inline(block.spans)}</h3>`;
    case 'list':
      return `<ul>\n${block.items.map((item) => `<li>${inline(item)}</li>`).join('\n')}\n</ul>`;
    case 'table': {
      const head = `<thead><tr>${block.header.map((cell) => `<th>${escapeHtml(cell).replaceAll('\n', '<br>')}</th>`).join('')}</tr></thead>`;
      const body = block.rows
        .map((cells) => `<tr>${cells.map((cell) => `<td>${inline(cell)}</td>`).join('')}</tr>`)
        .join('\n');
      return `<table>\n${head}\n<tbody>\n${body}\n</tbody>\n</table>`;
    }
    case 'code':
      return `<pre>${escapeHtml(block.text)}</pre>`;
    case 'copy':
      return [
        '<details>',
        '<summary>Sealed report (gzip, base64) for portflight verify</summary>',
        `<pre class="portflight-report">\n${block.copy.lines.join('\n')}</pre>`,
        '</details>',
      ].join('\n');
  }
}

function inline(spans: Spans): string {
  return spans.map(spanHtml).join('');
}

function spanHtml(span: Span): string {
  if (typeof span === 'string') return escapeHtml(span);
  if ('code' in span) return `<code>${escapeHtml(span.code)}</code>`;
  if ('strong' in span) return `<strong>${escapeHtml(span.strong)}</strong>`;
  return `<span class="mark tone-${span.tone}">${escapeHtml(span.mark)}</span>`;
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] as string);
}

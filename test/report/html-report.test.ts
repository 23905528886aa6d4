import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { describe, expect, it } from 'vitest';
import { REPORT_RENDERERS } from '../../src/report/index.js';
import { describeWithCommands } from '../support/require-commands.js';
import { estateReport, richReport } from '../support/sample-reports.js';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

/** Rendered pages are kept for a person to look at (gitignored). */
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

function elementsOf(node: Node): Element[] {
  const children = 'childNodes' in node ? node.childNodes : [];
  const own = 'tagName' in node ? [node as Element] : [];
  const inTemplate = 'content' in node ? elementsOf((node as DefaultTreeAdapterMap['template']).content) : [];
  return [...own, ...children.flatMap(elementsOf), ...inTemplate];
}

/** Attributes that make a browser fetch or go somewhere. */
const REFERENCE_ATTRIBUTES = new Set([
  'src',
  'href',
  'srcset',
  'action',
  'formaction',
  'poster',
  'data',
  'xlink:href',
  'background',
]);
const FETCHING_ELEMENTS = new Set([
  'script',
  'link',
  'img',
  'iframe',
  'frame',
  'object',
  'embed',
  'base',
  'audio',
  'video',
  'source',
  'track',
  'form',
  'svg',
  'picture',
  'input',
]);

describe('HTML report', () => {
  const html = REPORT_RENDERERS.html(richReport());
  const elements = elementsOf(parse(html));

  it('refers to nothing outside itself: no script, stylesheet, font or image, links only to its sections', () => {
    expect(
      elements.filter((element) => FETCHING_ELEMENTS.has(element.tagName)).map((e) => e.tagName),
    ).toEqual([]);
    const references = elements.flatMap((element) =>
      element.attrs.filter((attr) => REFERENCE_ATTRIBUTES.has(attr.name)).map((attr) => attr.value),
    );
    expect(references.length).toBeGreaterThan(0);
    expect(references.filter((value) => !value.startsWith('#'))).toEqual([]);
    const ids = new Set(
      elements.flatMap((element) => element.attrs.filter((a) => a.name === 'id').map((a) => a.value)),
    );
    expect(references.filter((value) => !ids.has(value.slice(1)))).toEqual([]);
    expect(
      elements
        .flatMap((element) => element.attrs)
        .filter((attr) => attr.name === 'style' || attr.name.startsWith('on')),
    ).toEqual([]);
    const css = elements
      .filter((element) => element.tagName === 'style')
      .map((element) => element.childNodes.map((child) => ('value' in child ? child.value : '')).join(''))
      .join('');
    expect(css).not.toMatch(/url\(|@import|@font-face/i);
    expect(
      elements.filter((e) => e.tagName === 'meta' && e.attrs.some((a) => a.name === 'http-equiv')),
    ).toEqual([]);
  });

  it('shows each state by a symbol as well as by colour, with a legend', () => {
    const marks = elements.filter((element) =>
      element.attrs.some((a) => a.name === 'class' && a.value.startsWith('mark tone-')),
    );
    expect(marks.length).toBeGreaterThan(10);
    for (const mark of marks)
      expect(mark.childNodes.map((child) => ('value' in child ? child.value : '')).join('')).not.toBe('');
    expect(html).toContain('⊘</span> blocked by a hop');
  });

  it('escapes what messages carry: <b> in a message is text', () => {
    expect(elements.filter((element) => element.tagName === 'b')).toEqual([]);
    expect(html).toContain('&lt;b&gt;not&lt;/b&gt; HTML &amp; &quot;quoted&quot;');
  });
});

/** Chromium runs in a network namespace of its own: loopback only, whatever it would fetch. */
function isolatedChromium(args: readonly string[]): void {
  const profile = mkdtempSync(join(tmpdir(), 'pf-chromium-'));
  execFileSync(
    'unshare',
    [
      '--net',
      'chromium',
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      `--user-data-dir=${profile}`,
      ...args,
    ],
    { stdio: 'pipe', timeout: 90_000 },
  );
}

function canIsolate(): string | undefined {
  try {
    execFileSync('unshare', ['--net', 'true'], { stdio: 'pipe' });
    return undefined;
  } catch {
    return 'unshare --net (root)';
  }
}

describeWithCommands(
  'HTML report in headless Chromium',
  ['chromium', 'unshare', 'pdfinfo', 'pdftotext'],
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'pf-html-'));
    const render = (name: string, html: string) => {
      const file = join(dir, `${name}.html`);
      writeFileSync(file, html);
      return file;
    };

    it('prints to A4 PDF: one page per section after the first, verdict on page 1, wide tables kept on the page', () => {
      const file = render('rich', REPORT_RENDERERS.html(richReport()));
      const pdf = join(dir, 'rich.pdf');
      isolatedChromium(['--no-pdf-header-footer', `--print-to-pdf=${pdf}`, `file://${file}`]);
      const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
      expect(info).toMatch(/Page size:.* pts \(A4\)/);
      const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
      // The change and "when and from where" share page 1; seven sections start a page each.
      expect(pages).toBeGreaterThanOrEqual(8);
      const first = execFileSync('pdftotext', ['-f', '1', '-l', '1', '-layout', pdf, '-'], {
        encoding: 'utf8',
      });
      expect(first).toMatch(/✖ NO-GO/);
      expect(first).toMatch(/3 no-go finding\(s\)/);
      const all = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
      // The closed <details> with the sealed copy is not printed.
      expect(all).not.toMatch(/H4sI/);
      expect(all.replace(/\s+/g, ' ')).toContain(
        'CCMSetup.exe /mp:mp01.corp.example SMSSITECODE=P01 CCMHTTPPORT=8080 CCMHTTPSPORT=8443',
      );
    });

    it('keeps the last column of a 200 × 8 matrix on an A4 page, and renders a screenshot', () => {
      const file = render('estate', REPORT_RENDERERS.html(estateReport()));
      const pdf = join(dir, 'estate.pdf');
      isolatedChromium(['--no-pdf-header-footer', `--print-to-pdf=${pdf}`, `file://${file}`]);
      const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      expect(text).toContain('196 addresses: all open');
      expect(text).toContain('tcp/9443');
      expect(text).toContain('tcp/10123');

      mkdirSync(ARTIFACTS, { recursive: true });
      const png = join(ARTIFACTS, 'report-rich.png');
      isolatedChromium([
        `--screenshot=${png}`,
        '--window-size=1100,2400',
        `file://${render('shot', REPORT_RENDERERS.html(richReport()))}`,
      ]);
      const bytes = readFileSync(png);
      expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([1100, 2400]);
    });
  },
  canIsolate,
);

import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import { describe, expect, it } from 'vitest';
import { REPORT_RENDERERS } from '../../src/report/index.js';
import { estateReport, richReport } from '../support/sample-reports.js';

// html: true so that raw HTML, if the renderer ever wrote any, shows up as html_* tokens.
const markdown = new MarkdownIt('default', { html: true });

interface Table {
  readonly header: string[];
  readonly rows: string[][];
}

/** The tables a GFM parser finds, as the text of their cells (inline Markdown resolved). */
function tablesOf(tokens: readonly Token[]): Table[] {
  const tables: Table[] = [];
  let table: { header: string[]; rows: string[][] } | undefined;
  let row: string[] | undefined;
  let inHead = false;
  for (const token of tokens) {
    if (token.type === 'table_open') table = { header: [], rows: [] };
    else if (token.type === 'thead_open') inHead = true;
    else if (token.type === 'thead_close') inHead = false;
    else if (token.type === 'tr_open') row = [];
    else if (token.type === 'tr_close' && table && row) {
      if (inHead) table.header = row;
      else table.rows.push(row);
      row = undefined;
    } else if (token.type === 'inline' && row) row.push(textOf(token));
    else if (token.type === 'table_close' && table) {
      tables.push(table);
      table = undefined;
    }
  }
  return tables;
}

function textOf(inline: Token): string {
  return (inline.children ?? [])
    .filter((child) => child.type === 'text' || child.type === 'code_inline')
    .map((child) => child.content)
    .join('');
}

function headingsOf(tokens: readonly Token[], tag: string): string[] {
  return tokens.flatMap((token, index) =>
    token.type === 'heading_open' && token.tag === tag ? [tokens[index + 1]?.content ?? ''] : [],
  );
}

describe('Markdown report', () => {
  const report = richReport();
  const text = REPORT_RENDERERS.markdown(report);
  const tokens = markdown.parse(text, {});

  it('has no raw HTML, even where messages hold <b> and &', () => {
    expect(tokens.filter((token) => token.type.startsWith('html'))).toEqual([]);
    const inlineHtml = tokens
      .flatMap((token) => token.children ?? [])
      .filter((child) => child.type.startsWith('html'));
    expect(inlineHtml).toEqual([]);
    const message = report.findings[0]?.message ?? '';
    expect(
      tokens
        .flatMap((token) => token.children ?? [])
        .some((child) => child.content.includes('<b>not</b> HTML & "quoted"')),
    ).toBe(true);
    expect(message).toContain('|');
  });

  it('puts the sections in the order a change board reads them', () => {
    expect(headingsOf(tokens, 'h1')).toEqual(['portflight: Move P01 to 8080/8443']);
    expect(headingsOf(tokens, 'h2')).toEqual([
      'The change',
      'When and from where',
      'Targets and ports',
      'Where blocked ports stop',
      'Evidence from the site systems',
      'Findings by severity',
      'Remediation',
      'Waivers',
      'About this report',
    ]);
    const verdict = tokens.find((token) => token.type === 'blockquote_open');
    expect(tokens[tokens.indexOf(verdict as Token) + 2]?.content).toMatch(
      /^\*\*✖ NO-GO\*\* — 3 no-go finding\(s\) — PF-CANDIDATE-BLOCKED \(mp01.corp.example:tcp\/8080, dp02.corp.example:tcp\/8080\), IIS-BINDING-CONFLICT/,
    );
  });

  it('yields the targets × ports matrix as a table, one row per address, with symbols', () => {
    const matrix = tablesOf(tokens).find((table) => table.header[0] === 'Target (address)');
    expect(matrix?.header).toEqual([
      'Target (address)',
      'tcp/80 current-http',
      'tcp/443 current-https',
      'tcp/8080 candidate-http',
      'tcp/8443 candidate-https',
    ]);
    expect(matrix?.rows).toEqual([
      ['dp02.corp.example (198.18.3.3)', '●', '●', '⊘', '○'],
      ['gone.corp.example (unresolved)', '!', '', '', ''],
      ['mp01.corp.example (198.18.3.2)', '●', '●', '⊘', '✗'],
    ]);
  });

  it('shows the path of each blocked port with the blocking device, and the waivers with owner and expiry', () => {
    const tables = tablesOf(tokens);
    const paths = tables.find((table) => table.header[0] === 'Port' && table.header[1] === 'Destinations');
    expect(paths?.rows).toEqual([
      [
        'TCP 8080 (candidate-http)',
        '2: 198.18.3.3, 198.18.3.2',
        'no-response',
        '1 198.18.1.1 → ⊘ 198.18.2.1 → ✗ 198.18.3.3',
        '1 probed, 1 inferred',
      ],
      [
        'TCP 8443 (candidate-https)',
        '198.18.3.2',
        'no-response',
        '1 198.18.1.1 → 2 198.18.2.1 → 3 198.18.3.1 → ⊘ 198.18.3.2 (its own firewall)',
        '1 probed',
      ],
    ]);
    const waivers = tables.find((table) => table.header[0] === 'Rule');
    expect(waivers?.rows.map((row) => [row[0], row[2], row[3], row[4]])).toEqual([
      ['IIS-DEFAULT-WEB-SITE-SHARED', 'owner of IIS-DEFAULT-WEB-SITE-SHARED', '2027-03-31', 'active'],
      ['PF-UDP-SILENCE', 'owner of PF-UDP-SILENCE', '2027-03-31', 'unused'],
      ['HTTPSYS-CERTIFICATE-DIFFERS', 'owner of HTTPSYS-CERTIFICATE-DIFFERS', '2027-03-31', 'expired'],
    ]);
  });

  it('quotes evidence lines and gives remediation as code blocks to paste', () => {
    const code = tokens.filter((token) => token.type === 'fence').map((token) => token.content);
    expect(code).toContain(
      'evidence/mp01/applicationHost.config:42: <binding protocol="https" bindingInformation="*:8443:" />\n',
    );
    expect(code).toContain(
      'Open TCP 8080 to 198.18.3.2 on 198.18.2.1:\n  permit tcp any host 198.18.3.2 eq 8080\n',
    );
    expect(code).toContain(
      'CCMSetup.exe /mp:mp01.corp.example SMSSITECODE=P01 CCMHTTPPORT=8080 CCMHTTPSPORT=8443\n',
    );
    expect(code).toContain('wscript.exe portswitch.vbs 8080 8443\n');
  });

  it('groups a 200 × 8 estate into its exceptions instead of 200 rows', () => {
    const estate = markdown.parse(REPORT_RENDERERS.markdown(estateReport()), {});
    const matrix = tablesOf(estate).find((table) => table.header[0] === 'Target (address)');
    expect(matrix?.rows).toHaveLength(2);
    expect(matrix?.rows[0]?.[0]).toBe(
      '196 addresses: all open (mp001.corp.example (198.18.10.1), mp002.corp.example (198.18.10.2), mp003.corp.example (198.18.10.3), mp004.corp.example (198.18.10.4) and 192 more)',
    );
    expect(matrix?.rows[1]?.slice(0, 5)).toEqual([
      '4 addresses (mp197.corp.example (198.18.10.197), mp198.corp.example (198.18.10.198), mp199.corp.example (198.18.10.199), mp200.corp.example (198.18.10.200))',
      '●',
      '●',
      '⊘',
      '●',
    ]);
    const paragraphs = estate.filter((token) => token.type === 'inline').map((token) => token.content);
    expect(paragraphs.filter((line) => line.startsWith('**PF-CANDIDATE-BLOCKED**'))).toHaveLength(4);
  });
});

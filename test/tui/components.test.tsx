import { render } from 'ink-testing-library';
import type { ReactElement } from 'react';
import { describe, expect, it } from 'vitest';
import { Header } from '../../src/tui/components/Header.js';
import { ProbeMatrix } from '../../src/tui/components/ProbeMatrix.js';
import { VerdictBanner } from '../../src/tui/components/VerdictBanner.js';
import { describeChange } from '../../src/tui/describe.js';
import { ThemeContext } from '../../src/tui/hooks/use-theme.js';
import { initialUiState, uiReducer } from '../../src/tui/state/reducer.js';
import { matrixView } from '../../src/tui/state/matrix-view.js';
import { colourWanted, createTheme, type CellKind } from '../../src/tui/theme.js';
import type { Verdict } from '../../src/verdict/compute-verdict.js';
import { SPEC } from './fixtures.js';
import { buildAdhocSpec } from '../../src/plan/index.js';

/** Start of an ANSI foreground colour (ESC [ 3x m). */
const ANSI_FOREGROUND = '\u001b[3';
const lines = (frame: string | undefined) => (frame ?? '').split('\n');
const withTheme = (tree: ReactElement, colour = true) => (
  <ThemeContext.Provider value={createTheme({ colour })}>{tree}</ThemeContext.Provider>
);

/** A one-row, one-column matrix whose only cell is of `kind`. */
function singleCellView(kind: CellKind) {
  return {
    labelWidth: 16,
    siteWidth: 0,
    rolesWidth: 0,
    columnsMax: 0,
    cellWidth: 6,
    columns: [
      {
        key: 'tcp/8080',
        protocol: 'tcp' as const,
        port: 8080,
        role: 'candidate-http' as const,
        label: '8080',
      },
    ],
    columnsBefore: 0,
    hiddenColumns: 0,
    rows: [
      {
        key: 'r',
        label: '198.18.0.1',
        site: '',
        roles: '',
        notProbedWhy: null,
        cells: [{ kind, selected: false }],
        blockedAt: kind === 'blocked-by-hop' ? '10.0.0.254' : null,
      },
    ],
    rowsAbove: 0,
    rowsBelow: 0,
  };
}

describe('theme', () => {
  it('gives each probe state its own symbol and colour', () => {
    const theme = createTheme({ colour: true });
    const expected: [CellKind, string, string][] = [
      ['in-flight', '…', 'white'],
      ['open', '●', 'green'],
      ['closed', '○', 'cyan'],
      ['filtered', '✗', 'red'],
      ['blocked-by-hop', '⊘', 'red'],
      ['open|filtered', '◐', 'yellow'],
      ['error', '!', 'magenta'],
    ];
    for (const [kind, symbol, colour] of expected) {
      expect(theme.cell(kind)).toMatchObject({ symbol, colour });
    }
  });

  it('honours NO_COLOR: no colour at all, the same symbols', () => {
    expect(colourWanted({ NO_COLOR: '1' })).toBe(false);
    expect(colourWanted({ NO_COLOR: '' })).toBe(true);
    expect(colourWanted({})).toBe(true);
    const plain = createTheme({ colour: false });
    expect(plain.cell('open')).toEqual({ ...createTheme({ colour: true }).cell('open'), colour: undefined });
    expect(plain.verdict('no-go').colour).toBeUndefined();
    expect(plain.accent).toBeUndefined();
  });
});

describe('ProbeMatrix', () => {
  it.each([
    ['in-flight', '…'],
    ['open', '●'],
    ['closed', '○'],
    ['filtered', '✗'],
    ['blocked-by-hop', '⊘'],
    ['open|filtered', '◐'],
    ['error', '!'],
  ] as const)('draws a %s cell as %s', (kind, symbol) => {
    const { lastFrame } = render(withTheme(<ProbeMatrix view={singleCellView(kind)} width={80} />));
    const row = lines(lastFrame())[1] ?? '';
    expect(row).toMatch(new RegExp(`^198\\.18\\.0\\.1\\s+${symbol}(\\s|$)`));
    if (kind === 'blocked-by-hop') expect(row).toContain('⊘ at 10.0.0.254');
  });

  it('keeps the symbols without colour (NO_COLOR)', () => {
    for (const kind of ['open', 'closed', 'filtered', 'open|filtered', 'error'] as const) {
      const { lastFrame } = render(withTheme(<ProbeMatrix view={singleCellView(kind)} width={80} />, false));
      expect(lastFrame()).toContain(createTheme({ colour: false }).cell(kind).symbol);
      expect(lastFrame()).not.toContain(ANSI_FOREGROUND);
    }
  });

  it('fits 80 columns: long names truncated, rows beyond the height scrolled with "↓ n more"', () => {
    const hosts = Array.from(
      { length: 12 },
      (_, i) => `distribution-point-${i}.very-long-subdomain.corp.example`,
    );
    const spec = buildAdhocSpec({
      hosts,
      http: 8080,
      https: 8443,
      ports: [
        { protocol: 'tcp', port: 10123 },
        { protocol: 'udp', port: 9 },
      ],
      probe: {},
    });
    const state = uiReducer(initialUiState(spec.targets), { type: 'scan-started', runId: 1, at: 0 });
    const { lastFrame } = render(withTheme(<ProbeMatrix view={matrixView(state, 80, 5)} width={80} />));
    const frame = lines(lastFrame());
    expect(frame[0]).toMatch(/^target\/address\s+80\s+8080\s+443\s+8443\s+u9\s+10123/);
    expect(frame.filter((line) => line.includes('distribution-point'))).toHaveLength(5);
    expect(frame.at(-1)).toBe('↓ 7 more rows');
    for (const line of frame) expect([...line].length).toBeLessThanOrEqual(80);
    expect(frame[1]).toContain('…');
  });
  it('scrolls the columns with the cursor when the ports do not fit', () => {
    const ports = Array.from({ length: 20 }, (_, i) => ({ protocol: 'tcp' as const, port: 9000 + i }));
    const spec = buildAdhocSpec({ hosts: ['198.18.0.1'], ports, probe: {} });
    let state = uiReducer(initialUiState(spec.targets), { type: 'scan-started', runId: 1, at: 0 });
    const heading = () =>
      lines(render(withTheme(<ProbeMatrix view={matrixView(state, 80, 5)} width={80} />)).lastFrame())[0];
    expect(heading()).toMatch(/^target\/address\s+9000 .* 1\d▸ ←\/→$/);
    state = uiReducer(state, { type: 'cursor-moved', by: 19 });
    expect(heading()).toMatch(/ 9019\s+◂1\d ←\/→$/);
    expect(
      lines(render(withTheme(<ProbeMatrix view={matrixView(state, 80, 5)} width={80} />)).lastFrame())[1],
    ).toMatch(/\[·\]$/);
  });
});

describe('Header', () => {
  it('says the title, sites, change and "probing…" before the report, within 80 columns', () => {
    const { lastFrame } = render(
      withTheme(
        <Header
          title={`scan ${'/very/long/path/'.repeat(8)}plan.yaml`}
          sites={['P01', 'S01']}
          change={describeChange(SPEC.change)}
          vantage="probing…"
          width={80}
        />,
      ),
    );
    const frame = lines(lastFrame());
    expect(frame[0]).toMatch(/^portflight · scan \/very.*…$/);
    expect(frame[1]).toBe('sites: P01, S01 · change: HTTP 80 → 8080, HTTPS 443 → 8443');
    expect(frame[2]).toBe('vantage: probing…');
    for (const line of frame) expect([...line].length).toBeLessThanOrEqual(80);
  });
});

describe('VerdictBanner', () => {
  it.each([
    ['go', '✔ GO'],
    ['conditional', '◆ CONDITIONAL'],
    ['no-go', '✖ NO-GO'],
    ['incomplete', '◌ INCOMPLETE'],
  ] as const)('shows %s with its symbol and the main reason cut to the width', (verdict: Verdict, head) => {
    const reason = `the main reason ${'x'.repeat(200)}`;
    const { lastFrame } = render(
      withTheme(<VerdictBanner verdict={verdict} failed={false} reason={reason} width={80} />),
    );
    const frame = lines(lastFrame());
    expect(frame).toHaveLength(3);
    expect(frame[1]).toContain(`${head}  the main reason`);
    expect(frame[1]).toMatch(/…│$/);
    for (const line of frame) expect([...line].length).toBe(80);
  });
});

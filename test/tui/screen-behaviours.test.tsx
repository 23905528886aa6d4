// Issue 14's behaviours at the two sizes that matter: the smallest terminal (80×24) and a big one.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlanFile, resolvePlan } from '../../src/plan/index.js';
import { CheckScreen } from '../../src/tui/components/CheckScreen.js';
import { fakeSession, finding, record, report, scanEvents, type FakeSession } from './fixtures.js';
import { renderAt, waitFor } from './render-at.js';

const mounted: { unmount: () => void }[] = [];
afterEach(() => mounted.splice(0).forEach((screen) => screen.unmount()));

const REMEDIATION = Array.from(
  { length: 12 },
  (_, i) =>
    `step ${i + 1}: on mp0${i}.corp.example run Set-ItemProperty -Path HKLM:\\SOFTWARE\\Microsoft\\SMS -Name HttpPort -Value 8080`,
).join('\n');

async function screenAt(columns: number, rows: number, session: FakeSession = fakeSession()) {
  const exits: number[] = [];
  const screen = renderAt(
    <CheckScreen session={session} onExit={(code) => exits.push(code)} />,
    columns,
    rows,
  );
  mounted.push(screen);
  const events = scanEvents((address) =>
    address === '198.18.0.2' ? { state: 'closed', reason: 'conn-refused' } : {},
  );
  for (const event of events) session.emit(event);
  const probes = events.flatMap((event) => (event.type === 'probe-finished' ? [event.record] : []));
  session.finish(
    report(
      'conditional',
      [
        finding({
          severity: 'condition',
          rule: 'CM-LINUX-UNIX-CLIENTS',
          subject: 'clients.linuxUnix',
          remediation: REMEDIATION,
        }),
        finding({
          severity: 'info',
          rule: 'PF-CANDIDATE-NOT-LISTENING',
          subject: '198.18.0.2:tcp/8080',
          message: 'nothing listens on 198.18.0.2',
        }),
      ],
      probes,
    ),
  );
  await waitFor(() => screen.lastFrame().includes('CONDITIONAL'));
  const frame = () => screen.lastFrame();
  const keys = async (text: string) => {
    screen.stdin.write(text);
    await new Promise((resolve) => setTimeout(resolve, 40));
  };
  return { ...screen, session, exits, frame, keys };
}

const SIZES = [
  [80, 24],
  [200, 60],
] as const;

const fits = (frame: string, columns: number, rows: number) => {
  const lines = frame.split('\n');
  expect(lines.length).toBeLessThan(rows);
  for (const line of lines) expect([...line].length).toBeLessThanOrEqual(columns);
};

describe.each(SIZES)('check screen at %i×%i', (columns, rows) => {
  it('shows human subjects, then wraps and scrolls the details to the last remediation line', async () => {
    const screen = await screenAt(columns, rows);
    expect(screen.frame()).toContain('› Linux/UNIX clients: ');
    expect(screen.frame()).toContain('198.18.0.2 — tcp/8080: nothing listens');
    await screen.keys('\r');
    expect(screen.frame()).toContain('subject: clients.linuxUnix (as reports and waivers name it)');
    fits(screen.frame(), columns, rows);
    if (columns === 80) expect(screen.frame()).not.toContain('step 12:');
    await screen.keys('\x1b[F'); // End
    await waitFor(() => /fix: step 12: on mp011\.corp\.example run/.test(screen.frame()));
    // Wrapped, not cut: the end of the last line is on screen too.
    expect(screen.frame()).toMatch(/HttpPort -Value\s*(│\s*\n│)?\s*8080/);
    expect(screen.frame()).toMatch(/lines \d+–(\d+) of \1|all \d+ lines/);
    await screen.keys('\x1b[H'); // Home
    expect(screen.frame()).toContain('CONDITION CM-LINUX-UNIX-CLIENTS · Linux/UNIX clients');
    fits(screen.frame(), columns, rows);
  });

  it('copies the remediation with c and the details with C as OSC 52, and w writes a file', async () => {
    const screen = await screenAt(columns, rows);
    await screen.keys('c');
    const sent = screen.stdout.sequences.at(-1) ?? '';
    expect(sent.startsWith('\x1b]52;c;') && sent.endsWith('\x07')).toBe(true);
    expect(Buffer.from(sent.slice(7, -1), 'base64').toString('utf8')).toBe(REMEDIATION);
    expect(screen.frame()).toContain('copied the remediation (12 lines) via OSC 52');
    await screen.keys('C');
    const all = Buffer.from((screen.stdout.sequences.at(-1) ?? '').slice(7, -1), 'base64').toString('utf8');
    expect(all.split('\n')[0]).toBe('CONDITION CM-LINUX-UNIX-CLIENTS · Linux/UNIX clients');
    expect(all).toContain('fix: step 12:');
    await screen.keys('w');
    await waitFor(() => screen.frame().includes('wrote the details to'));
    const [path, text] = [...screen.session.texts][0] ?? [];
    expect(path).toMatch(/^portflight-cm-linux-unix-clients-details-\d{8}T\d{6}Z\.txt$/);
    expect(text).toBe(`${all}\n`);
  });

  it('finds a host with /, steps with n/N, and Esc goes back', async () => {
    const screen = await screenAt(columns, rows);
    await screen.keys('/');
    await screen.keys('198.18.0.2');
    expect(screen.frame()).toContain('/198.18.0.2');
    expect(screen.frame()).toMatch(/› 198\.18\.0\.2 — tcp\/8080/);
    await screen.keys('\r');
    expect(screen.frame()).toContain('/198.18.0.2: match 1 of 5 · n next');
    await screen.keys('n'); // the first probe of the host's row
    expect(screen.frame()).toMatch(/198\.18\.0\.2\s+\[○\]/);
    expect(screen.frame()).toContain('match 2 of 5');
    await screen.keys('N');
    expect(screen.frame()).toContain('match 1 of 5');
    await screen.keys('/zzz');
    await screen.keys('\r');
    expect(screen.frame()).toContain('no match for /zzz');
    fits(screen.frame(), columns, rows);
  });

  it('handles every key of one read in order (key repeat over SSH)', async () => {
    const screen = await screenAt(columns, rows);
    await screen.keys('jjj'); // two findings, then the first probe… and one more
    expect(screen.frame()).toMatch(/198\.18\.0\.1\s+●\s+\[●\]/);
    await screen.keys('kkk');
    expect(screen.frame()).toContain('› Linux/UNIX clients');
  });

  it('groups identical rows with g and undoes it', async () => {
    const session = fakeSession();
    const screen = renderAt(<CheckScreen session={session} onExit={() => {}} />, columns, rows);
    mounted.push(screen);
    for (const event of scanEvents(() => ({}))) session.emit(event);
    await waitFor(() => screen.lastFrame().includes('8/8'));
    screen.stdin.write('g');
    await waitFor(() => screen.lastFrame().includes('2 addresses: all open'));
    expect(screen.lastFrame()).not.toMatch(/^198\.18\.0\.2/m);
    screen.stdin.write('g');
    await waitFor(() => /^198\.18\.0\.2/m.test(screen.lastFrame()));
  });

  it('asks before replacing an export, and writes several formats', async () => {
    const session = fakeSession({
      formats: ['yaml', 'json'],
      title: 'Move ports of P01',
      existing: ['move-ports-of-p01-20250101T000001Z.json'],
    });
    const screen = await screenAt(columns, rows, session);
    await screen.keys('e');
    expect(screen.frame()).toContain('file: move-ports-of-p01-20250101T000001Z▏ + .yaml');
    await screen.keys('\x1b[C'); // → json
    await screen.keys(' ');
    expect(screen.frame()).toContain('+ .yaml .json');
    await screen.keys('\r');
    await waitFor(() => screen.frame().includes('y replaces'));
    expect(session.exports).toEqual([]);
    await screen.keys('y');
    await waitFor(() => screen.frame().includes('✔ wrote'));
    expect(session.exports).toEqual([
      { format: 'yaml', path: 'move-ports-of-p01-20250101T000001Z.yaml' },
      { format: 'json', path: 'move-ports-of-p01-20250101T000001Z.json' },
    ]);
    await screen.keys('\r');
    await screen.keys('q'); // exported: no question
    expect(screen.exits).toEqual([1]);
  });
});

describe.each(SIZES)('stopping at %i×%i', (columns, rows) => {
  it('Ctrl-C mid-scan shows STOPPED with done and not-done counts, never done, and INCOMPLETE', async () => {
    const session = fakeSession();
    const screen = renderAt(<CheckScreen session={session} onExit={() => {}} />, columns, rows);
    mounted.push(screen);
    for (const event of scanEvents(() => ({})).slice(0, 8)) session.emit(event);
    await waitFor(() => screen.lastFrame().includes('2/8'));
    screen.stdin.write('\x03');
    await waitFor(() => screen.lastFrame().includes('stopping… 2 of 8 probes done'));
    const aborted = (address: string, port: number) =>
      record(address, port, { state: 'error', reason: 'aborted', rttMs: null });
    session.finish(
      report(
        'incomplete',
        [],
        [
          record('198.18.0.1', 80),
          record('198.18.0.1', 8080),
          ...[443, 8443].map((p) => aborted('198.18.0.1', p)),
        ],
      ),
    );
    await waitFor(() => screen.lastFrame().includes('◌ INCOMPLETE'));
    expect(screen.lastFrame()).toContain('STOPPED · 2 of 8 probes done, 6 not done');
    expect(screen.lastFrame()).not.toMatch(/probes · done/);
    fits(screen.lastFrame(), columns, rows);
  });
});

describe('a system with nothing to probe', () => {
  it('says why in its row, with its site and roles', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'portflight-tui-plan-'));
    const planPath = join(dir, 'plan.yaml');
    await writeFile(
      planPath,
      [
        'portflight: 1',
        'hierarchy:',
        '  primarySites:',
        '    - siteCode: P01',
        '      publishedToActiveDirectory: true',
        '      systems:',
        '        - { host: mp01.corp.example, roles: [management-point] }',
        '        - { host: sql01.corp.example, roles: [site-database-server] }',
        'change:',
        '  clientRequest:',
        '    http: { current: 80, candidate: 8080 }',
        '',
      ].join('\n'),
    );
    const spec = resolvePlan(await loadPlanFile(planPath));
    const session = { ...fakeSession({ targets: spec.targets }), change: spec.change };
    const screen = renderAt(<CheckScreen session={session} onExit={() => {}} />, 80, 24);
    mounted.push(screen);
    await waitFor(() => screen.lastFrame().includes('sql01'));
    expect(screen.lastFrame()).toMatch(/^target\/address\s+site roles/m);
    expect(screen.lastFrame()).toMatch(/^mp01\.corp\.example\s+P01\s+MP\s+\[·\]/m);
    expect(screen.lastFrame()).toMatch(
      /^sql01\.corp\.example\s+P01\s+SQL\s+nothing to probe: site database/m,
    );
  });
});

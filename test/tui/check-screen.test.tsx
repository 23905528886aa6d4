import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { buildAdhocSpec } from '../../src/plan/index.js';
import { CheckScreen } from '../../src/tui/components/CheckScreen.js';
import { fakeSession, finding, record, report, scanEvents, type FakeSession } from './fixtures.js';
import { renderAt, waitFor } from './render-at.js';

const DOWN = '\x1b[B';
const ESC = '\x1b';

const mounted: { unmount: () => void }[] = [];
afterEach(() => {
  cleanup();
  mounted.splice(0).forEach((screen) => screen.unmount());
});

/** A screen after a finished run: two findings, and one probe blocked by a hop. */
async function finishedScreen(session: FakeSession = fakeSession()) {
  const exits: number[] = [];
  // 100×40, the size of the tmux test: room for the whole details panel.
  const screen = renderAt(<CheckScreen session={session} onExit={(code) => exits.push(code)} />, 100, 40);
  mounted.push(screen);
  const blocked = (address: string, port: number) =>
    port === 8080 && address === '198.18.0.1'
      ? { state: 'filtered' as const, reason: 'no-response' as const, blockedBy: '10.0.0.254' }
      : { state: 'closed' as const, reason: 'conn-refused' as const };
  for (const event of scanEvents(blocked)) session.emit(event);
  const probes = scanEvents(blocked).flatMap((event) =>
    event.type === 'probe-finished' ? [event.record] : [],
  );
  const path = [
    { ttl: 1, address: '198.18.0.100', rttMs: 0.3 },
    { ttl: 2, address: '10.0.0.254', rttMs: 0.6 },
  ];
  const withPath = probes.map((probe) => (probe.blockedBy ? { ...probe, path } : probe));
  session.finish(
    report(
      'no-go',
      [
        finding(),
        finding({ severity: 'condition', message: 'reinstall the workgroup clients', subject: 'clients' }),
      ],
      withPath,
    ),
  );
  await waitFor(() => (screen.lastFrame() ?? '').includes('NO-GO'));
  return { ...screen, session, exits, frame: () => screen.lastFrame() ?? '' };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

describe('CheckScreen', () => {
  it('fills the matrix live from batched events, then shows the verdict and vantage', async () => {
    const session = fakeSession();
    const screen = render(<CheckScreen session={session} onExit={() => {}} />);
    expect(screen.lastFrame()).toContain('vantage: probing…');
    expect(screen.lastFrame()).toContain('… CHECKING');
    const events = scanEvents(() => ({}));
    for (const event of events.slice(0, 6)) session.emit(event);
    session.emit(events[6]!);
    await waitFor(() => (screen.lastFrame() ?? '').includes('1/8'));
    expect(screen.lastFrame()).toContain('…'); // one probe in flight
    expect(screen.lastFrame()).toContain('● 1 open');
    session.finish(
      report(
        'go',
        [],
        events.flatMap((e) => (e.type === 'probe-finished' ? [e.record] : [])),
      ),
    );
    await waitFor(() => (screen.lastFrame() ?? '').includes('✔ GO'));
    expect(screen.lastFrame()).toContain('vantage: vantage01 · raw sockets: no');
    expect(screen.lastFrame()).toContain('● 8 open');
  });

  it('moves with j/k through findings then probes, Enter opens details with evidence and the blocking hop', async () => {
    const screen = await finishedScreen();
    // The human subject in the list; the machine one stays in the details, for waivers.
    expect(screen.frame()).toMatch(/› 198\.18\.0\.1 — 8080: clients cannot reach/);
    screen.stdin.write('\r');
    await settle();
    expect(screen.frame()).toContain('evidence: probe:198.18.0.1@198.18.0.1/tcp/8080');
    expect(screen.frame()).toContain('fix: open tcp/8080 to 198.18.0.1 on the firewall');
    expect(screen.frame()).toContain('subject: 198.18.0.1:8080 (as reports and waivers name it)');
    expect(screen.frame()).toContain('  path: 1 198.18.0.100 → 2 10.0.0.254 ⊘');
    screen.stdin.write(']'); // next item, details kept open
    await settle();
    expect(screen.frame()).toContain('CONDITION candidate-port-filtered · clients');
    screen.stdin.write(ESC);
    await settle();
    expect(screen.frame()).toMatch(/› clients: reinstall the workgroup clients/);
    screen.stdin.write('k');
    screen.stdin.write('j');
    screen.stdin.write('j'); // first probe: 198.18.0.1 port 80
    screen.stdin.write('j'); // 8080, blocked
    await settle();
    expect(screen.frame()).toContain('[⊘]');
    screen.stdin.write('\r');
    await settle();
    expect(screen.frame()).toContain('198.18.0.1 tcp/8080: filtered (no-response)');
    expect(screen.frame()).toContain('path: 1 198.18.0.100 → 2 10.0.0.254 ⊘');
    screen.stdin.write(ESC);
    await settle();
    expect(screen.frame()).not.toContain('path: 1');
  });

  it('cycles the severity filter with f', async () => {
    const screen = await finishedScreen();
    screen.stdin.write('f');
    await settle();
    expect(screen.frame()).toContain('1 finding (filter: no-go)');
    expect(screen.frame()).not.toContain('reinstall the workgroup clients');
    screen.stdin.write('f');
    await settle();
    expect(screen.frame()).toContain('0 findings (filter: incomplete)');
    screen.stdin.write('f');
    await settle();
    expect(screen.frame()).toContain('reinstall the workgroup clients');
  });

  it('opens and closes the help overlay with ?', async () => {
    const screen = await finishedScreen();
    screen.stdin.write('?');
    await settle();
    expect(screen.frame()).toContain('Keys');
    expect(screen.frame()).toContain('⊘  blocked by a hop');
    screen.stdin.write('?');
    await settle();
    expect(screen.frame()).not.toContain('Matrix cells');
  });

  it('shows the one-line error when the export fails', async () => {
    const screen = await finishedScreen(fakeSession({ exportError: 'EACCES: permission denied\nstack' }));
    screen.stdin.write('e');
    await settle();
    screen.stdin.write('\r');
    await waitFor(() => screen.frame().includes('✖ EACCES: permission denied'));
    expect(screen.frame()).not.toContain('stack');
  });

  it('Ctrl-C during the scan aborts it and shows INCOMPLETE, never GO; q then quits with 3', async () => {
    const session = fakeSession();
    const exits: number[] = [];
    const screen = render(<CheckScreen session={session} onExit={(code) => exits.push(code)} />);
    for (const event of scanEvents(() => ({})).slice(0, 6)) session.emit(event);
    await waitFor(() => (screen.lastFrame() ?? '').includes('1/8'));
    screen.stdin.write('\x03');
    await settle();
    expect(session.signals[0]?.aborted).toBe(true);
    expect(screen.lastFrame()).toContain('stopping the scan…');
    // Even if a report said GO, a stopped scan is shown as INCOMPLETE.
    session.finish(report('go', [], [record('198.18.0.1', 80)]));
    await waitFor(() => (screen.lastFrame() ?? '').includes('INCOMPLETE'));
    expect(screen.lastFrame()).not.toContain('✔ GO');
    expect(screen.lastFrame()).toContain('–'); // probes that never ran
    expect(screen.lastFrame()).toContain('STOPPED · 1 of 8 probes done, 7 not done');
    expect(screen.lastFrame()).not.toMatch(/· done/);
    screen.stdin.write('q'); // the report is not exported: asks once
    await settle();
    expect(screen.lastFrame()).toContain('the report is not exported: q again quits');
    expect(exits).toEqual([]);
    screen.stdin.write('q');
    await settle();
    expect(exits).toEqual([3]);
  });

  it('r aborts the running scan and starts a new one', async () => {
    const session = fakeSession();
    const screen = render(<CheckScreen session={session} onExit={() => {}} />);
    screen.stdin.write('r');
    session.finish(report('incomplete'));
    await waitFor(() => session.signals.length === 2);
    expect(session.signals[0]?.aborted).toBe(true);
    expect(session.signals[1]?.aborted).toBe(false);
    expect(screen.lastFrame()).toContain('CHECKING');
  });

  it('Ctrl-C when idle quits with the exit code of the verdict', async () => {
    const screen = await finishedScreen();
    screen.stdin.write('\x03');
    await settle();
    expect(screen.exits).toEqual([2]);
  });

  it('fits an 80×24 terminal with the details panel open', async () => {
    const session = fakeSession();
    const screen = renderAt(<CheckScreen session={session} onExit={() => {}} />, 80, 24);
    for (const event of scanEvents(() => ({}))) session.emit(event);
    session.finish(report('conditional', [finding({ severity: 'condition', message: 'm'.repeat(300) })]));
    await waitFor(() => screen.lastFrame().includes('CONDITIONAL'));
    screen.stdin.write('\r');
    await settle();
    const lines = screen.lastFrame().split('\n');
    expect(lines.length).toBeLessThan(24);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
    expect(screen.lastFrame()).toContain('change: HTTP 80 → 8080, HTTPS 443 → 8443');
    screen.unmount();
  });
});

describe('scrolling', () => {
  it('shows only the rows that fit and moves the window with the cursor', async () => {
    const hosts = Array.from({ length: 20 }, (_, i) => `198.18.1.${i + 1}`);
    const spec = buildAdhocSpec({ hosts, http: 8080, https: 8443, probe: {} });
    const session = fakeSession({ targets: spec.targets });
    const screen = renderAt(<CheckScreen session={session} onExit={() => {}} />, 80, 24);
    mounted.push(screen);
    await settle();
    expect(screen.lastFrame()).toMatch(/↓ 15 more/);
    expect(screen.lastFrame()).not.toContain('198.18.1.20 ');
    for (let i = 0; i < 20 * 4; i += 1) screen.stdin.write(DOWN);
    await settle();
    expect(screen.lastFrame()).toMatch(/↑ 15 more/);
    expect(screen.lastFrame()).toMatch(/198\.18\.1\.20\s+·\s+·\s+·\s+\[·\]/);
    expect(screen.lastFrame()!.split('\n').length).toBeLessThan(24);
  });
});

// End to end in a real terminal: the built CLI under tmux, against listeners on loopback. This is
// the only test that sees what Ink really draws on a TTY (raw mode, cursor moves, the final frame).
import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CLI } from '../support/cli.js';

/** A private tmux server, so the test never touches a user's sessions. */
const SOCKET = `portflight-e2e-${process.pid}`;
const SESSION = 'check';

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
}

function tmuxMissing(): string | undefined {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'pipe' });
    return undefined;
  } catch {
    return 'tmux is not installed (.ci/run installs it)';
  }
}

const paneOf = (session: string) => tmux('capture-pane', '-p', '-t', session);

/** The pane's text once `condition` holds; fails with what the pane shows after `timeoutMs`. */
async function waitForPane(
  session: string,
  condition: (text: string) => boolean,
  timeoutMs = 8_000,
): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const text = paneOf(session);
    if (condition(text)) return text;
    if (Date.now() > until) throw new Error(`screen never got there; it shows:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const waitForScreen = (condition: (text: string) => boolean, timeoutMs = 20_000) =>
  waitForPane(SESSION, condition, timeoutMs);

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });
}

const missing = tmuxMissing();
const suite = missing === undefined ? describe : process.env.CI === 'true' ? describe : describe.skip;

suite(
  `interactive check under tmux${missing && process.env.CI !== 'true' ? ` [skipped: ${missing}]` : ''}`,
  () => {
    const listener = createServer((socket) => socket.destroy());
    let openPort = 0;
    let closedPort = 0;

    beforeAll(async () => {
      if (missing) return;
      openPort = await listen(listener);
      // A port that was free a moment ago: nothing listens there, so loopback answers RST (closed).
      const probe = createServer();
      closedPort = await listen(probe);
      await new Promise((resolve) => probe.close(resolve));
    });

    afterAll(() => {
      listener.close();
      if (!missing) {
        try {
          tmux('kill-server');
        } catch {
          // already gone
        }
      }
    });

    it('shows the matrix and a GO banner, and exits 0 on q', async () => {
      // Under CI=true a missing tmux must fail the run, never skip it.
      if (missing) throw new Error(`${missing}. CI=true, so this fails instead of skipping.`);
      expect(existsSync(CLI), `${CLI} is missing: build with npx tsc -p tsconfig.build.json`).toBe(true);
      // Ink draws only the last frame when it believes it runs in CI, as a person's terminal never does.
      const command =
        `env -u CI -u CONTINUOUS_INTEGRATION -u NO_COLOR ${process.execPath} ${CLI} ` +
        `check 127.0.0.1 --ports ${openPort},${closedPort} --interactive; ` +
        `echo PORTFLIGHT_EXIT=$?; sleep 600`;
      tmux('new-session', '-d', '-x', '100', '-y', '40', '-s', SESSION, command);

      const shown = await waitForScreen((text) => /│✔ GO\b/.test(text));
      const lines = shown.split('\n');
      expect(lines[0]).toBe('portflight · check 127.0.0.1');
      // Extra ports are columns in port order; each symbol must sit under its own port.
      const heading = lines.find((line) => line.startsWith('target/address')) ?? '';
      const row = lines.find((line) => line.startsWith('127.0.0.1')) ?? '';
      const under = (port: number) => {
        const at = heading.indexOf(String(port));
        return row.slice(at - 1, at + 2);
      };
      expect(heading).toMatch(/^target\/address\s+\d+\s+\d+$/);
      expect(under(openPort)).toContain('●');
      expect(under(closedPort)).toContain('○');
      expect(shown).toContain('● 1 open  ○ 1 closed');
      expect(shown).toMatch(/vantage: \S+ · raw sockets: (yes|no)/);
      for (const line of lines) expect([...line].length).toBeLessThanOrEqual(100);

      tmux('send-keys', '-t', SESSION, 'q');
      // The finished report was not exported: q asks once, the second quits.
      await waitForScreen((text) => text.includes('the report is not exported: q again quits'), 5_000);
      tmux('send-keys', '-t', SESSION, 'q');
      const after = await waitForScreen((text) => text.includes('PORTFLIGHT_EXIT='), 10_000);
      expect(after).toContain('PORTFLIGHT_EXIT=0');
    });

    it('demo at 80×24: details scrolled to the last remediation line, copied (OSC 52), a host found', async () => {
      if (missing) throw new Error(`${missing}. CI=true, so this fails instead of skipping.`);
      const session = 'demo';
      const waitPane = (condition: (text: string) => boolean) => waitForPane(session, condition);
      tmux(
        'new-session',
        '-d',
        '-x',
        '80',
        '-y',
        '24',
        '-s',
        session,
        `env -u CI -u CONTINUOUS_INTEGRATION ${process.execPath} ${CLI} demo --interactive; sleep 600`,
      );
      // OSC 52 from the application lands in a tmux buffer.
      tmux('set-option', '-s', 'set-clipboard', 'on');
      await waitPane((text) => /│◆ CONDITIONAL/.test(text));
      tmux('send-keys', '-t', session, 'Enter');
      await waitPane((text) => text.includes('CM-CLIENTS-MUST-REINSTALL'));
      tmux('send-keys', '-t', session, 'End');
      const end = await waitPane((text) => /lines \d+–(\d+) of \1/.test(text));
      const lastFix =
        end
          .split('\n')
          .filter((line) => line.startsWith('│'))
          .at(-2) ?? '';
      expect(lastFix.trim().length).toBeGreaterThan(2);
      for (const line of end.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
      tmux('send-keys', '-t', session, 'c');
      await waitPane((text) => text.includes('copied the remediation'));
      const copied = tmux('show-buffer');
      expect(copied).toMatch(/client push/);
      tmux('send-keys', '-t', session, 'Escape');
      tmux('send-keys', '-t', session, '/127.0.0.2', 'Enter');
      const found = await waitPane((text) => /\/127\.0\.0\.2: match 1 of \d+/.test(text));
      // The first match names the host in its message (secondary site S01); n goes to the next.
      expect(found).toMatch(/^› /m);
      tmux('send-keys', '-t', session, 'n');
      const next = await waitPane((text) => /match 2 of \d+/.test(text));
      expect(next).toMatch(/^› 127\.0\.0\.2 — tcp\/48080: Candidate HTTP port/m);
      tmux('kill-session', '-t', session);
    }, 15_000);

    it('exports two formats at once from e, asks before replacing them, and the files verify', async () => {
      if (missing) throw new Error(`${missing}. CI=true, so this fails instead of skipping.`);
      const session = 'export';
      const dir = await mkdtemp(join(tmpdir(), 'portflight-export-'));
      const waitPane = (condition: (text: string) => boolean) => waitForPane(session, condition);
      tmux(
        'new-session',
        '-d',
        '-x',
        '80',
        '-y',
        '24',
        '-c',
        dir,
        '-s',
        session,
        `env -u CI -u CONTINUOUS_INTEGRATION ${process.execPath} ${CLI} check 127.0.0.1 ` +
          `--ports ${openPort},${closedPort} --interactive; sleep 600`,
      );
      await waitPane((text) => /│✔ GO\b/.test(text));
      tmux('send-keys', '-t', session, 'e');
      await waitPane((text) => text.includes('Export the report'));
      // The first format (yaml) is ticked; → to json, Space ticks it too, Enter writes both.
      tmux('send-keys', '-t', session, 'Right', 'Space', 'Enter');
      const written = await waitPane((text) => text.includes('✔ wrote'));
      const files = (await readdir(dir)).sort();
      expect(files).toHaveLength(2);
      expect(files.map((file) => file.replace(/^.*\./, '.'))).toEqual(['.json', '.yaml']);
      expect(written.replace(/\s+/g, '')).toContain(files[0]?.slice(0, 20));
      for (const file of files)
        expect(
          execFileSync(process.execPath, [CLI, 'verify', join(dir, file)], { encoding: 'utf8' }),
        ).toMatch(/unchanged/);
      // Again: the same names exist now, so it asks, and any other key than y leaves them alone.
      const before = await readFile(join(dir, files[0] as string), 'utf8');
      tmux('send-keys', '-t', session, 'Escape', 'e');
      await waitPane((text) => text.includes('Export the report'));
      tmux('send-keys', '-t', session, 'Right', 'Space', 'Enter');
      await waitPane((text) => text.includes('y replaces'));
      tmux('send-keys', '-t', session, 'n');
      expect(await readFile(join(dir, files[0] as string), 'utf8')).toBe(before);
      tmux('kill-session', '-t', session);
    }, 20_000);

    it('Ctrl-C mid-scan at 80×24 shows STOPPED with done and not-done probes and INCOMPLETE', async () => {
      if (missing) throw new Error(`${missing}. CI=true, so this fails instead of skipping.`);
      const silent = createSocket('udp4');
      await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
      const session = 'ctrl-c';
      tmux(
        'new-session',
        '-d',
        '-x',
        '80',
        '-y',
        '24',
        '-s',
        session,
        `env -u CI -u CONTINUOUS_INTEGRATION ${process.execPath} ${CLI} check 127.0.0.1 ` +
          `--ports udp:${silent.address().port},${openPort} --timeout 30000 --min-timeout 30000 --interactive; sleep 600`,
      );
      let text = '';
      for (const until = Date.now() + 8_000; !/1\/2 probes/.test(text) && Date.now() < until;)
        text = await new Promise<string>((resolve) => setTimeout(() => resolve(paneOf(session)), 100));
      tmux('send-keys', '-t', session, 'C-c');
      for (const until = Date.now() + 8_000; !text.includes('INCOMPLETE') && Date.now() < until;)
        text = await new Promise<string>((resolve) => setTimeout(() => resolve(paneOf(session)), 100));
      silent.close();
      expect(text).toContain('STOPPED · 1 of 2 probes done, 1 not done');
      expect(text).toContain('◌ INCOMPLETE');
      expect(text).not.toMatch(/probes · done/);
      tmux('kill-session', '-t', session);
    }, 15_000);

    it.each(['SIGTERM', 'SIGHUP'] as const)(
      'on %s mid-scan restores the terminal, writes the partial report to --output and exits 3',
      async (signal) => {
        if (missing) throw new Error(`${missing}. CI=true, so this fails instead of skipping.`);
        const silent = createSocket('udp4');
        await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
        const dir = await mkdtemp(join(tmpdir(), 'portflight-tui-signal-'));
        const output = join(dir, 'report.yaml');
        const pidFile = join(dir, 'pid');
        const session = `signal-${signal}`;
        const command =
          `sh -c 'echo $$ > ${pidFile}; exec env -u CI -u CONTINUOUS_INTEGRATION ${process.execPath} ${CLI} ` +
          `check 127.0.0.1 --ports udp:${silent.address().port},${openPort} --timeout 30000 ` +
          `--min-timeout 30000 --interactive -o ${output}'; echo PORTFLIGHT_EXIT=$?; stty -a; echo STTY_SHOWN; sleep 600`;
        tmux('new-session', '-d', '-x', '100', '-y', '40', '-s', session, command);
        const until = Date.now() + 20_000;
        while (!/probing|target\/address/.test(paneOf(session)) && Date.now() < until)
          await new Promise((resolve) => setTimeout(resolve, 100));
        process.kill(Number(await readFile(pidFile, 'utf8')), signal);
        let after = '';
        // Until stty has printed too: the pane can show the exit status a moment before stty's lines.
        for (const stop = Date.now() + 10_000; !after.includes('STTY_SHOWN') && Date.now() < stop;)
          after = await new Promise<string>((resolve) => setTimeout(() => resolve(paneOf(session)), 100));
        silent.close();
        expect(after).toContain('PORTFLIGHT_EXIT=3');
        // Ink left raw mode: the terminal echoes and reads lines again.
        expect(after).toMatch(/(^|\s)icanon\b/m);
        expect(after).toMatch(/(^|\s)echo\b/m);
        const report = parse(await readFile(output, 'utf8'));
        expect(report.verdict).toBe('incomplete');
        expect(report.scan.complete).toBe(false);
        tmux('kill-session', '-t', session);
      },
    );
  },
);

// The single executables as an administrator gets them: copied alone onto a machine without Node.js.
// The Linux one runs the demo (same verdict as `npm start`), an offline evidence check and `rules
// list` with no node on PATH, and without the raw-socket addon beside it; the Windows one runs
// `--version`, `rules list` and the same offline check under Wine, and its report must say what the
// Linux one says. Building takes about half a minute, Wine's first start about as long: generous
// timeouts. Under CI=true a missing Wine fails instead of skipping (.ci/run installs wine64).
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import {
  buildExecutables,
  findWine,
  LINUX_EXECUTABLE,
  pathWithoutNode,
  runToFiles,
  stopWine,
  WINDOWS_EXECUTABLE,
  wineEnvironment,
  type ExecutableRun,
} from './executables.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SLOW = 240_000;

interface ReportSummary {
  verdict: string;
  findings: { rule: string; severity: string; subject: string; message: string; evidence: string[] }[];
}

/** What two reports of the same evidence must share, whatever the platform: `\` cited as `/`. */
function summary(reportText: string): ReportSummary {
  const report = JSON.parse(reportText) as ReportSummary;
  return {
    verdict: report.verdict,
    findings: report.findings.map(({ rule, severity, subject, message, evidence }) => ({
      rule,
      severity,
      subject,
      message,
      evidence: evidence.map((line) => line.replaceAll('\\', '/')),
    })),
  };
}

const OFFLINE_CHECK = [
  'check',
  '127.0.0.1',
  '--http',
  '8080',
  '--https',
  '8443',
  '--evidence',
  'evidence',
  '--offline',
  '-f',
  'json',
  '-o',
  'report.json',
];

let built = '';
/** A folder holding only the Linux executable (no addon beside it), and one to run in. */
let alone = '';
let work = '';

beforeAll(async () => {
  built = await mkdtemp(join(tmpdir(), 'portflight-dist-bin-'));
  await buildExecutables(built);
  alone = await mkdtemp(join(tmpdir(), 'portflight-alone-'));
  await cp(join(built, LINUX_EXECUTABLE), join(alone, LINUX_EXECUTABLE));
  work = await mkdtemp(join(tmpdir(), 'portflight-exe-work-'));
  await cp(join(ROOT, 'samples/demo/evidence-p01'), join(work, 'evidence'), { recursive: true });
}, SLOW);

afterAll(async () => {
  for (const folder of [built, alone, work]) if (folder) await rm(folder, { recursive: true, force: true });
});

describe('npm run package', () => {
  it('writes both executables, the optional addon beside the Linux one, and their SHA256SUMS', async () => {
    const sums = await readFile(join(built, 'SHA256SUMS'), 'utf8');
    const names = sums
      .trim()
      .split('\n')
      .map((line) => /^[0-9a-f]{64} {2}(.+)$/.exec(line)?.[1]);
    expect(names).toEqual(expect.arrayContaining([LINUX_EXECUTABLE, WINDOWS_EXECUTABLE]));
    expect(names).not.toContain(undefined);
    expect(await readdir(built)).toEqual(expect.arrayContaining([LINUX_EXECUTABLE, WINDOWS_EXECUTABLE]));
  });
});

describe('the Linux executable, alone on a machine without Node.js', () => {
  /** From `alone` (nothing beside it), or from the build folder (the addon beside it). */
  const run = (args: readonly string[], folder = alone): Promise<ExecutableRun> =>
    runToFiles(join(folder, LINUX_EXECUTABLE), args, {
      cwd: work,
      env: { PATH: pathWithoutNode(), CI: 'true', NO_COLOR: '1' },
      timeoutMs: 60_000,
    });

  it('prints its version and lists the embedded rules', async () => {
    const version = await run(['--version']);
    expect(version).toMatchObject({ code: 0, stderr: '' });
    const { version: expected } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(version.stdout).toBe(`${expected}\n`);
    const rules = await run(['rules', 'list']);
    expect(rules.stderr).toBe('');
    expect(rules.code).toBe(0);
    expect(rules.stdout).toMatch(/^PF-OFFLINE +incomplete /m);
    expect((await runCli(['rules', 'list'])).stdout).toBe(rules.stdout);
  });

  it('runs the demo from its embedded plan and evidence, with the verdict and findings of npm start', async () => {
    // With the addon beside it, as npm start has its own: the same probes (raw ones as root).
    const fromExecutable = await run(['demo', '-f', 'json'], built);
    expect(fromExecutable.stderr).not.toMatch(/internal error/);
    expect(fromExecutable.code).toBe(0);
    const fromNpm = await runCli(['demo', '-f', 'json']);
    const executableReport = JSON.parse(fromExecutable.stdout) as ReportSummary & { probes: unknown[] };
    expect(executableReport.verdict).toBe('conditional');
    expect(summary(fromExecutable.stdout).findings.map((finding) => finding.rule)).toEqual(
      summary(fromNpm.stdout).findings.map((finding) => finding.rule),
    );
    expect(executableReport.verdict).toBe(summary(fromNpm.stdout).verdict);
    // The evidence cited comes from inside the executable.
    expect(fromExecutable.stdout).toContain(
      `${join(built, LINUX_EXECUTABLE)}/samples/demo/evidence-p01/applicationHost.config:`,
    );
  });

  it('checks evidence offline and probes without the raw-socket addon, saying what it skipped', async () => {
    const offline = await run(OFFLINE_CHECK);
    expect(offline.code).toBe(2);
    expect(summary(await readFile(join(work, 'report.json'), 'utf8')).verdict).toBe('no-go');
    const probe = await run(['check', '127.0.0.1', '--ports', '1', '-f', 'json']);
    expect([0, 1, 2, 3]).toContain(probe.code);
    const report = JSON.parse(probe.stdout) as {
      vantage: { privileges: { skipped: { probe: string; reason: string }[] } };
    };
    // As root the addon is what is missing; otherwise the privilege (and the addon is never loaded).
    for (const entry of report.vantage.privileges.skipped)
      expect(entry.reason, entry.probe).toMatch(/addon|CAP_NET_RAW|root/);
    expect(report.vantage.privileges.skipped.map((entry) => entry.probe)).toEqual(
      expect.arrayContaining(['path']),
    );
  });

  it('draws the terminal UI in a real terminal (its layout engine is bundled without a top-level await)', async () => {
    const socket = `portflight-exe-${process.pid}`;
    const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
    try {
      execFileSync('tmux', ['-V'], { stdio: 'pipe' });
    } catch {
      if (process.env.CI === 'true') throw new Error('tmux is not installed (.ci/run installs it)');
      console.warn('skipping the executable terminal UI check: tmux is not installed');
      return;
    }
    const command = `env -u CI PATH='${pathWithoutNode()}' '${join(built, LINUX_EXECUTABLE)}' demo`;
    tmux('new-session', '-d', '-s', 'exe', '-x', '120', '-y', '40', '-c', work, command);
    try {
      let text = '';
      for (const until = Date.now() + 30_000; Date.now() < until;) {
        text = tmux('capture-pane', '-p', '-t', 'exe');
        if (/CONDITIONAL/.test(text) && /q quit/.test(text)) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(text).toMatch(/◆ CONDITIONAL/);
      // The matrix row of the first system: its site and roles, then a cell per port.
      expect(text).toMatch(/^127\.0\.0\.1 +P01 +SS MP DP +●/m);
      tmux('send-keys', '-t', 'exe', 'q');
    } finally {
      tmux('kill-server');
    }
  });

  it('writes nothing next to itself', async () => {
    expect(await readdir(alone)).toEqual([LINUX_EXECUTABLE]);
  });
});

const wine = findWine();
const wineMissing = wine === undefined ? 'Wine is not installed (Debian: apt-get install wine64)' : undefined;
if (wineMissing && process.env.CI !== 'true')
  console.warn(`skipping the Windows executable tests: ${wineMissing}`);

describe.skipIf(wineMissing !== undefined && process.env.CI !== 'true')(
  `the Windows executable under Wine${wineMissing ? ` [skipped: ${wineMissing}]` : ''}`,
  () => {
    let prefix = '';
    let winWork = '';
    const run = (args: readonly string[]): Promise<ExecutableRun> =>
      runToFiles(wine as string, [join(built, WINDOWS_EXECUTABLE), ...args], {
        cwd: winWork,
        env: wineEnvironment(prefix),
        timeoutMs: SLOW,
      });

    beforeAll(async () => {
      prefix = await mkdtemp(join(tmpdir(), 'portflight-wine-'));
      winWork = join(prefix, 'work');
      await mkdir(winWork);
      await cp(join(ROOT, 'samples/demo/evidence-p01'), join(winWork, 'evidence'), { recursive: true });
    });

    afterAll(async () => {
      if (!prefix) return;
      if (wine) await stopWine(wine, prefix);
      await rm(prefix, { recursive: true, force: true });
    });

    it('is installed (CI must run these tests)', () => {
      expect(wineMissing).toBeUndefined();
    });

    it(
      'prints its version',
      async () => {
        const version = await run(['--version']);
        expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\r?\n$/);
        expect(version.code).toBe(0);
      },
      SLOW,
    );

    it(
      'lists the embedded rules as the Linux executable does',
      async () => {
        const rules = await run(['rules', 'list']);
        expect(rules.code).toBe(0);
        const linux = await runCli(['rules', 'list']);
        expect(rules.stdout.replaceAll('\r\n', '\n')).toBe(linux.stdout);
      },
      SLOW,
    );

    it(
      'checks the evidence offline with the verdict, findings and evidence lines of the Linux executable',
      async () => {
        const windows = await run(OFFLINE_CHECK);
        expect(windows.code).toBe(2);
        const linux = await runToFiles(join(built, LINUX_EXECUTABLE), OFFLINE_CHECK, {
          cwd: work,
          env: { PATH: pathWithoutNode(), CI: 'true' },
          timeoutMs: 60_000,
        });
        expect(linux.code).toBe(2);
        const fromWindows = summary(await readFile(join(winWork, 'report.json'), 'utf8'));
        expect(fromWindows.findings.length).toBeGreaterThan(0);
        expect(fromWindows).toEqual(summary(await readFile(join(work, 'report.json'), 'utf8')));
      },
      SLOW,
    );
  },
);

import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const COMMANDS = [
  [],
  ['check'],
  ['scan'],
  ['collect'],
  ['demo'],
  ['rules'],
  ['rules', 'list'],
  ['rules', 'explain'],
];

describe('--help teaches', () => {
  it.each(COMMANDS.map((path) => [path.join(' ') || 'portflight', path]))(
    '%s: ends with examples and exit codes, no empty defaults, within 80 columns',
    async (_name, path) => {
      const run = await runCli([...path, '--help']);
      expect(run.code).toBe(0);
      const help = run.stdout;
      expect(help).toMatch(/\nExamples:\n {2}portflight /);
      expect(help).toMatch(/\nExit codes:\n {3}0 {2}/);
      expect(help.indexOf('Examples:')).toBeGreaterThan(help.indexOf('Usage:'));
      expect(help).not.toMatch(/\(default: \[\]\)/);
      for (const line of help.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    },
  );

  it('names the environment variables on the root help', async () => {
    const help = (await runCli(['--help'])).stdout;
    for (const name of ['NO_COLOR', 'CI=true', 'PORTFLIGHT_DEBUG']) expect(help).toContain(name);
  });

  it('gives scan the probe settings check has', async () => {
    const [check, scan] = await Promise.all([runCli(['check', '--help']), runCli(['scan', '--help'])]);
    const flags = (help: string) => [...help.matchAll(/^ {2}(--[a-z-]+)/gm)].map((match) => match[1]);
    const checkOnly = ['--http', '--https', '--alt-http', '--alt-https', '--current-http', '--current-https'];
    const expected = flags(check.stdout).filter(
      (flag) =>
        !checkOnly.includes(flag as string) && !['--ports', '--custom-website'].includes(flag as string),
    );
    expect(flags(scan.stdout)).toEqual(expect.arrayContaining(expected));
    expect(expected).toEqual(
      expect.arrayContaining(['--timeout', '--deadline', '--evidence', '--expected-issuer']),
    );
  });

  it('never advises setcap on node itself', async () => {
    for (const path of [['check'], ['scan']]) {
      const help = (await runCli([...path, '--help'])).stdout;
      expect(help).toMatch(/setcap cap_net_raw\+ep\s+\.\/portflight-linux-x64/);
      expect(help).not.toMatch(/setcap \S+ \S*node\b/);
    }
  });

  it('says a bad flag value once', async () => {
    const run = await runCli(['check', '127.0.0.1', '--http', 'abc']);
    expect(run.code).toBe(64);
    expect(run.stderr.match(/abc/g)).toHaveLength(1);
    expect(run.stderr.match(/--http/g)).toHaveLength(1);
  });
});

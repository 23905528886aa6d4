import { createServer, type Server } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

/**
 * Built-in modules that only some commands need load only for them (src/shared/lazy-builtin.ts says
 * why it matters for start-up). A preload lists, at exit, the built-ins the command loaded.
 */
const LISTED = 'portflight-builtins:';
const TICKET_ONLY = ['zlib'];
const APP_PROBES_ONLY = ['http', 'https', 'tls'];

describe('built-ins a command does not need stay unloaded', () => {
  let folder = '';
  let server: Server;
  let httpPort = 0;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'portflight-builtins-'));
    await writeFile(
      join(folder, 'list-builtins.cjs'),
      "process.on('exit', () => process.stderr.write(" +
        `'${LISTED}' + process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)).join(',') + '\\n'));\n`,
    );
    server = createServer((_request, response) => response.writeHead(404).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    httpPort = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  async function builtinsOf(args: readonly string[]): Promise<string[]> {
    const result = await runCli(args, {
      env: { NODE_OPTIONS: `--require ${join(folder, 'list-builtins.cjs')}`, CI: 'true', NO_COLOR: '1' },
    });
    const line = result.stderr.split('\n').find((text) => text.startsWith(LISTED));
    expect(line, result.stderr).toBeDefined();
    return (line as string).slice(LISTED.length).split(',');
  }

  it('an offline scan with a JSON report loads neither zlib nor the HTTP/TLS modules', async () => {
    const loaded = await builtinsOf(['scan', 'samples/demo/plan.yaml', '--offline', '-f', 'json']);
    for (const name of [...TICKET_ONLY, ...APP_PROBES_ONLY]) expect(loaded, name).not.toContain(name);
    expect(loaded).toContain('crypto'); // the report is sealed
  });

  it('a check with no HTTP(S) port open loads no HTTP/TLS module; a Markdown report loads zlib', async () => {
    const loaded = await builtinsOf([
      'check',
      '127.0.0.1',
      '--ports',
      '1',
      '--no-path',
      '--no-icmp',
      '-f',
      'markdown',
    ]);
    for (const name of APP_PROBES_ONLY) expect(loaded, name).not.toContain(name);
    expect(loaded).toContain('zlib');
  });

  it('a check whose candidate HTTP port is open loads them, for its application probes', async () => {
    const loaded = await builtinsOf([
      'check',
      '127.0.0.1',
      '--http',
      String(httpPort),
      '--no-path',
      '--no-icmp',
    ]);
    for (const name of APP_PROBES_ONLY) expect(loaded, name).toContain(name);
    expect(loaded).not.toContain('zlib');
  });
});

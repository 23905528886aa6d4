// The source address a hand-built SYN carries (its TCP checksum covers it), asked of the routing
// table in a namespace the test builds: one interface, one route, nothing else.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { addNamespace } from '../../net/namespaces.js';
import { describeNetns } from '../../net/require-root.js';
import { mustSucceed, runCommand } from '../../net/run-command.js';

const TSX_LOADER = new URL('../../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
const MODULE = fileURLToPath(new URL('../../../src/probes/raw/source-address.ts', import.meta.url));
// Every lookup, in the namespace; each answer is the address or the error code.
const SCRIPT = `
const { sourceAddressFor } = await import(${JSON.stringify(MODULE)});
const ask = (a) => sourceAddressFor(a).then((s) => s, (e) => e.code);
const destinations = JSON.parse(process.argv[1]);
const answers = await Promise.all(destinations.map(ask));
console.log(JSON.stringify(answers));
`;

describeNetns('source address of raw SYNs (routing table lookups)', () => {
  let ns = '';
  const exec = (argv: string[]) =>
    mustSucceed(runCommand(['ip', 'netns', 'exec', ns, ...argv]), argv.join(' '));
  beforeAll(async () => {
    ns = await addNamespace();
    await exec(['ip', 'link', 'set', 'lo', 'up']);
    await exec(['ip', 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1']);
    await exec(['ip', 'link', 'set', 'v0', 'up']);
    await exec(['ip', 'link', 'set', 'v1', 'up']);
    await exec(['ip', 'addr', 'add', '198.18.40.1/24', 'dev', 'v0']);
    await exec(['ip', 'route', 'add', '198.19.40.0/24', 'via', '198.18.40.254', 'src', '198.18.40.1']);
  });
  afterAll(async () => {
    if (ns) await runCommand(['ip', 'netns', 'del', ns]);
  });

  it('answers each destination with the address its route uses, and a destination without a route with its error', async () => {
    const routed = Array.from({ length: 300 }, (_, i) => `198.19.40.${(i % 250) + 1}`);
    const destinations = ['198.18.40.7', '198.20.0.1', ...routed, '127.0.0.1'];
    const result = await exec([
      process.execPath,
      '--import',
      TSX_LOADER,
      '--input-type=module',
      '-e',
      SCRIPT,
      JSON.stringify(destinations),
    ]);
    const answers = JSON.parse(result.stdout) as string[];
    expect(answers[0]).toBe('198.18.40.1');
    // No route at all: an error, never 0.0.0.0 (a SYN built from it could not be answered).
    expect(answers[1]).toBe('ENETUNREACH');
    expect(new Set(answers.slice(2, -1))).toEqual(new Set(['198.18.40.1']));
    expect(answers.at(-1)).toBe('127.0.0.1');
  });
});

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAX_SEMI_SPACE_BYTES } from '../../src/shared/young-generation.js';

const MODULE = fileURLToPath(new URL('../../src/shared/young-generation.ts', import.meta.url));

/**
 * A workload shaped like a scan's (objects that outlive several scavenges, the event loop turning
 * between small allocations), in a fresh Node with V8's default flags: the largest semi-space seen.
 */
function largestSemiSpace(capped: boolean): number {
  const script = `
    import { capYoungGeneration, semiSpaceBytes } from ${JSON.stringify(MODULE)};
    if (${capped}) capYoungGeneration();
    let live = [];
    let largest = 0;
    for (let turn = 0; turn < 2000; turn++) {
      for (let i = 0; i < 2000; i++) live.push({ probe: i, events: [i] });
      if (live.length > 200000) live = live.slice(100000);
      largest = Math.max(largest, semiSpaceBytes());
      await new Promise((resolve) => setImmediate(resolve));
    }
    process.stdout.write(String(largest));
  `;
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NODE_OPTIONS;
  delete env.PORTFLIGHT_WRITE_CODE_CACHE;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    env,
    timeout: 60_000,
  });
  expect(child.stderr).toBe('');
  expect(child.status).toBe(0);
  return Number(child.stdout);
}

describe('capYoungGeneration', () => {
  it('holds the semi-spaces to 4 MiB where V8 alone grows them to 16 MiB', () => {
    // The control: without the cap this workload takes V8 past twice the cap, so the cap has work to do.
    expect(largestSemiSpace(false)).toBeGreaterThan(2 * MAX_SEMI_SPACE_BYTES);
    const capped = largestSemiSpace(true);
    expect(capped).toBeLessThanOrEqual(MAX_SEMI_SPACE_BYTES);
    // ...and lets them grow to it: 2 MiB semi-spaces cost a scan ~90 ms.
    expect(capped).toBeGreaterThan(MAX_SEMI_SPACE_BYTES / 2);
  });
});

import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyCommandLineOverrides, loadPlanFile, resolvePlan } from '../../src/plan/index.js';

const PLAN = 'samples/plans/two-primaries.yaml';

async function planSpec() {
  return resolvePlan(await loadPlanFile(PLAN));
}

describe('applyCommandLineOverrides (scan flags over a plan)', () => {
  it("keeps the plan's settings where no flag is given", async () => {
    const spec = await planSpec();
    expect(applyCommandLineOverrides(spec, { probe: {}, evidence: [] })).toEqual(spec);
  });

  it('puts the named probe settings over the plan, leaving the others', async () => {
    const spec = await planSpec();
    const probe = applyCommandLineOverrides(spec, {
      probe: { timeoutMs: 900, deadlineMs: 60_000, pathProbing: false, expectedTlsIssuer: 'Contoso CA' },
      evidence: [],
    }).probe;
    expect(probe).toEqual({
      ...spec.probe,
      timeoutMs: 900,
      deadlineMs: 60_000,
      pathProbing: false,
      expectedTlsIssuer: 'Contoso CA',
    });
  });

  it("replaces a system's evidence bundle with HOST=DIR, and refuses a host the plan does not name", async () => {
    const spec = await planSpec();
    const host = spec.targets[0]?.host as string;
    const changed = applyCommandLineOverrides(spec, { probe: {}, evidence: [`${host}=fresh/mp01`] });
    expect(changed.targets[0]?.evidence).toBe(resolve('fresh/mp01'));
    expect(changed.targets.slice(1)).toEqual(spec.targets.slice(1));
    expect(() => applyCommandLineOverrides(spec, { probe: {}, evidence: ['nowhere.example=fresh'] })).toThrow(
      /--evidence nowhere\.example=fresh: nowhere\.example is not one of the hosts to check/,
    );
    expect(() => applyCommandLineOverrides(spec, { probe: {}, evidence: ['fresh'] })).toThrow(
      /with several hosts, write --evidence HOST=DIR/,
    );
  });

  it('refuses a value out of range as a usage error naming the flag', async () => {
    const spec = await planSpec();
    expect(() => applyCommandLineOverrides(spec, { probe: { minTimeoutMs: 1 }, evidence: [] })).toThrow(
      /^--min-timeout: /,
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAdhocSpec } from '../../src/plan/index.js';
import type { ProbeRecord } from '../../src/probes/index.js';
import { buildReport } from '../../src/report/index.js';
import { reportInput } from '../support/report-input.js';

const spec = buildAdhocSpec({ hosts: ['mp01.corp.example'], http: 8080 });

/** Report order, written independently: natural order for targets and addresses, then protocol, port. */
function referenceOrder(records: readonly ProbeRecord[]): ProbeRecord[] {
  return [...records].sort(
    (a, b) =>
      naturalReference(a.target, b.target) ||
      naturalReference(a.address ?? '', b.address ?? '') ||
      (a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0) ||
      a.port - b.port,
  );
}

/** Natural order by splitting into digit runs (compared as numbers) and the rest (case-folded). */
function naturalReference(a: string, b: string): number {
  const parts = (text: string) => text.toLowerCase().match(/\d+|\D/g) ?? [];
  const [x, y] = [parts(a), parts(b)];
  for (let index = 0; index < Math.min(x.length, y.length); index += 1) {
    const [p, q] = [x[index] as string, y[index] as string];
    const numeric = /^\d/.test(p) && /^\d/.test(q);
    const order = numeric
      ? Number(BigInt(p) - BigInt(q) > 0n) - Number(BigInt(p) < BigInt(q))
      : p.charCodeAt(0) - q.charCodeAt(0);
    if (order !== 0) return order;
  }
  return x.length - y.length || (a < b ? -1 : a > b ? 1 : 0);
}

function reportOf(records: readonly ProbeRecord[]) {
  return buildReport(reportInput(spec, { records }));
}

// Names that collate in interesting ways: case, digits (numerically for addresses), accents,
// punctuation, IPv6, and different texts the collation may call equal.
const NAMES = ['mp01', 'MP01', 'mp1', 'mp10', 'mp2', 'Mp02', 'dp-01', 'dp_01', 'dp01', 'é', 'e', 'E', 'ｍｐ'];
const ADDRESSES = [
  '198.18.2.9',
  '198.18.2.10',
  '198.18.10.1',
  '10.0.0.1',
  '::1',
  'fe80::2',
  'fe80::10',
  'a',
  'A',
];
const record = fc.record({
  target: fc.constantFrom(...NAMES),
  address: fc.option(fc.constantFrom(...ADDRESSES), { nil: null }),
  protocol: fc.constantFrom('tcp' as const, 'udp' as const),
  port: fc.constantFrom(80, 443, 8080, 8443),
  id: fc.nat(),
});

describe('report probe order', () => {
  it('is natural order by target and address, then protocol and port, ties kept in scan order', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 40 }), (drawn) => {
        const records: ProbeRecord[] = drawn.map(({ id, ...fields }) => ({
          ...fields,
          roles: ['extra'],
          state: 'open',
          reason: 'syn-ack',
          rttMs: id,
        }));
        const order = (list: readonly { rttMs: number | null }[]) => list.map((probe) => probe.rttMs);
        expect(order(reportOf(records).probes)).toEqual(order(referenceOrder(records)));
      }),
      { numRuns: 500 },
    );
  });
});

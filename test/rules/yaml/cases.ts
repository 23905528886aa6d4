import type { Facts } from '../../../src/facts/index.js';
import type { EvidenceBundle } from '../../../src/evidence/types.js';
import { CONFIGMGR_DWS, bundle, sslcert } from '../../support/bundles.js';
import { STANDARD_CHANGE, cannedFacts } from '../../support/facts.js';

/** Facts that make a rule fire (with what its findings must say) and facts that keep it quiet. */
export interface RuleCase {
  readonly fires: Facts;
  /** Each must match the joined messages and remediations of the findings. */
  readonly says: readonly RegExp[];
  /** Each must be the subject of a finding. */
  readonly subjects?: readonly string[];
  readonly quiet: readonly Facts[];
}

export const ALL_OPEN = {
  '80': 'open',
  '443': 'open',
  '8080': 'open',
  '8443': 'open',
  '10123': 'open',
} as const;
export const HASH = '5226dc6c54559761cd471b86eb51c096252c90f2';
export const HOST = 'mp01.corp.example';

export const range = (start: number, end: number, administered = false) => ({
  start,
  end,
  administered,
  source: { file: 'bundle/excludedportrange-tcp.txt', line: 6 },
});
export const DYNAMIC_STANDARD = {
  start: 49152,
  count: 16384,
  source: { file: 'bundle/dynamicport-tcp.txt', line: 4 },
};
export const reservation = (url: string, port: number) => ({
  url,
  scheme: 'http' as const,
  host: '+',
  port,
  path: '/',
  users: [{ user: 'NT SERVICE\\ReportServer', listen: true, delegate: false }],
  sddl: null,
  source: { file: 'bundle/urlacl.txt', line: 9 },
});

/** A bundle with every file a check reads, none of them showing a problem, unless `parts` says otherwise. */
export function fullBundle(parts: Parameters<typeof bundle>[0] = {}): EvidenceBundle {
  return bundle({
    sites: [CONFIGMGR_DWS],
    sslcert: [sslcert('0.0.0.0', 443, HASH), sslcert('0.0.0.0', 8443, HASH)],
    urlacl: [],
    iplisten: [],
    excludedTcp: [],
    dynamicTcp: DYNAMIC_STANDARD,
    listeners: [],
    ...parts,
  });
}

/** The standard change (80→8080, 443→8443) with one evidence bundle for mp01. */
export const withBundle = (evidence: EvidenceBundle, customWebsite = false) =>
  cannedFacts({
    change: { ...STANDARD_CHANGE, customWebsite },
    bundles: { [HOST]: evidence },
  });

export const withChange = (
  change: Partial<Facts['change']>,
  options: Parameters<typeof cannedFacts>[0] = {},
) => cannedFacts({ ...options, change: { ...STANDARD_CHANGE, ...change } });

/** withBundle, with mp01 probed at 198.18.2.2: the address its name resolved to, as host-header and IP checks need. */
export const withResolvedBundle = (evidence: EvidenceBundle, customWebsite = false) =>
  cannedFacts({
    change: { ...STANDARD_CHANGE, customWebsite },
    endpoints: [{ ports: {} }],
    bundles: { [HOST]: evidence },
  });

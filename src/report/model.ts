import type { ChangeSpec } from '../plan/scan-spec.js';
import type {
  AppProbeResult,
  PathHop,
  PortRole,
  ProbeProtocol,
  ProbeReason,
  ProbeState,
} from '../probes/types.js';
import type { Finding } from '../rules/types.js';
import type { Verdict } from '../verdict/compute-verdict.js';

/** Bumped only when a field changes meaning or disappears; new fields may appear within a version. */
export const REPORT_FORMAT_VERSION = 1;

export interface ReportProbe {
  readonly target: string;
  readonly address: string | null;
  readonly protocol: ProbeProtocol;
  readonly port: number;
  readonly role: PortRole;
  readonly roles: readonly PortRole[];
  readonly state: ProbeState;
  readonly reason: ProbeReason;
  readonly rttMs: number | null;
  readonly replyTtl?: number;
  readonly blockedBy?: string | null;
  readonly path?: readonly PathHop[];
  readonly app?: AppProbeResult;
  readonly detail?: string;
}

export interface ReportTarget {
  readonly host: string;
  readonly sites: readonly string[];
  readonly roles: readonly string[];
  readonly addresses: readonly string[];
  /** ICMP echo per address, when it ran. */
  readonly icmpEcho?: Readonly<Record<string, { state: string; reason: string; rttMs: number | null }>>;
}

/** The one structured projection every format renders. Key order here is the key order on disk. */
export interface Report {
  readonly portflight: typeof REPORT_FORMAT_VERSION;
  readonly tool: { readonly name: 'portflight'; readonly version: string };
  readonly verdict: Verdict;
  readonly counts: {
    readonly 'no-go': number;
    readonly incomplete: number;
    readonly condition: number;
    readonly info: number;
  };
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  readonly vantage: {
    readonly hostname: string;
    readonly addresses: readonly string[];
    readonly privileges: {
      readonly rawSocket: boolean;
      readonly detail: string;
      /** Probe kinds that did not run from here, and why. */
      readonly skipped: readonly { readonly probe: string; readonly reason: string }[];
    };
  };
  readonly plan: {
    readonly source: 'plan' | 'command-line';
    readonly path: string | null;
    readonly sha256: string;
  };
  readonly scan: {
    readonly complete: boolean;
    readonly interruption: 'signal' | 'deadline' | 'host-deadline' | null;
    readonly probes: number;
    readonly states: Readonly<Record<string, number>>;
  };
  readonly change: ChangeSpec;
  readonly targets: readonly ReportTarget[];
  readonly probes: readonly ReportProbe[];
  readonly findings: readonly Finding[];
}

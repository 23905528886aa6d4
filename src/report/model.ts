import type { ChangeSpec } from '../plan/scan-spec.js';
import type {
  AppProbeResult,
  Localisation,
  PathHop,
  PortRole,
  ProbeProtocol,
  ProbeReason,
  ProbeState,
  ResponderEvidence,
} from '../probes/types.js';
import type { Finding } from '../rules/types.js';
import type { Verdict } from '../verdict/compute-verdict.js';
import type { WaiverStatus } from '../verdict/apply-waivers.js';
import type { Remediation } from '../rules/remediation.js';

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
  /** Who sent the answer that decided the state (raw sockets only). */
  readonly replyFrom?: string;
  readonly replyTtl?: number;
  readonly blockedBy?: string | null;
  readonly localisation?: Localisation;
  readonly inferredFrom?: string;
  readonly blockedBetween?: readonly [string, string];
  readonly answeredCloser?: { readonly replyHops: number; readonly destinationHops: number };
  readonly path?: readonly PathHop[];
  readonly app?: AppProbeResult;
  /** What the site system's responder proved (token fingerprints only, never the token). */
  readonly responder?: ResponderEvidence;
  readonly detail?: string;
}

export interface ReportTarget {
  readonly host: string;
  readonly sites: readonly string[];
  readonly roles: readonly string[];
  readonly addresses: readonly string[];
  /** Evidence bundle folder read for this host, when there was one. */
  readonly evidence: string | null;
  /** ICMP echo per address, when it ran. */
  readonly icmpEcho?: Readonly<Record<string, { state: string; reason: string; rttMs: number | null }>>;
}

/** A waiver of the plan and what became of it. */
export interface ReportWaiver {
  readonly rule: string;
  /** Exact subject or glob; null when the waiver covers every subject of the rule. */
  readonly subject: string | null;
  readonly reason: string;
  readonly owner: string;
  readonly expires: string;
  readonly status: WaiverStatus;
  /** Condition and no-go findings it names (for an expired waiver: those it would accept if renewed). */
  readonly matched: number;
  /** Why findings it names were not waived: incomplete (missing facts) and info findings cannot be. */
  readonly note?: string;
}

/** The one structured projection every format renders. Key order here is the key order on disk. */
export interface Report {
  readonly portflight: typeof REPORT_FORMAT_VERSION;
  readonly tool: { readonly name: 'portflight'; readonly version: string };
  /** The verdict with the plan's waivers applied; the exit code follows it. */
  readonly verdict: Verdict;
  /** What the verdict would be if no waiver applied. */
  readonly verdictWithoutWaivers: Verdict;
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
    /** True when no probe was sent (`--offline`): evidence analysis only. */
    readonly offline: boolean;
    readonly interruption: 'signal' | 'deadline' | 'host-deadline' | null;
    readonly probes: number;
    readonly states: Readonly<Record<string, number>>;
  };
  readonly change: ChangeSpec;
  readonly targets: readonly ReportTarget[];
  readonly probes: readonly ReportProbe[];
  readonly findings: readonly Finding[];
  /** Paste-ready steps: CCMSetup and Portswitch lines, primary sites to repeat the change on, ports to open. */
  readonly remediation: Remediation;
  /** Every waiver of the plan, in plan order; empty for `check` and plans without waivers. */
  readonly waivers: readonly ReportWaiver[];
}

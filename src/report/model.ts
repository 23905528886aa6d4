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
import type { ScanPhase } from '../plan/scan-spec.js';

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
  /** In a merged report: the name of the vantage point (`vantages[].name`) that sent this probe. */
  readonly vantage?: string;
}

/** A finding as the report carries it: with the evidence lines it cites, quoted. */
export interface ReportFinding extends Finding {
  /** The lines behind its `file:line` evidence references, as the bundle holds them. */
  readonly proof?: readonly { readonly ref: string; readonly line: string }[];
  /** In a merged report: the vantage points (`vantages[].name`) whose runs found it. */
  readonly vantages?: readonly string[];
}

/** Where one run of a merged report was taken from, and what that run concluded on its own. */
export interface ReportVantage {
  /** The hostname, made unique within the merge (`ws01#2` for a second run from ws01). */
  readonly name: string;
  readonly hostname: string;
  readonly addresses: readonly string[];
  readonly privileges: Report['vantage']['privileges'];
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly planSha256: string;
  readonly complete: boolean;
  /** The verdict of this run alone, as its report gave it. */
  readonly verdict: Verdict;
  /** ICMP echo per address from this vantage point, when it ran. */
  readonly icmpEcho?: ReportTarget['icmpEcho'];
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

/** The seal of a report (report/integrity.ts): what the digest covers, the digest, the signature. */
export interface ReportIntegrity {
  readonly canonicalisation: string;
  /** Hex sha256 of the canonical content. */
  readonly sha256: string;
  /** With `--sign-key`: an Ed25519 signature of the canonical content. */
  readonly signature?: {
    readonly algorithm: 'ed25519';
    /** `sha256:` and the hex sha256 of the public key (DER SubjectPublicKeyInfo). */
    readonly keyId: string;
    /** base64. */
    readonly value: string;
  };
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
    /** The plan's `name`; null for `check` and plans without one. */
    readonly name?: string | null;
  };
  readonly scan: {
    readonly complete: boolean;
    /** `preflight` before the change; `verify` after it (`--phase verify`). */
    readonly phase: ScanPhase;
    /** True when no probe was sent (`--offline`): evidence analysis only. */
    readonly offline: boolean;
    readonly interruption: 'signal' | 'deadline' | 'host-deadline' | null;
    readonly probes: number;
    readonly states: Readonly<Record<string, number>>;
  };
  readonly change: ChangeSpec;
  readonly targets: readonly ReportTarget[];
  readonly probes: readonly ReportProbe[];
  readonly findings: readonly ReportFinding[];
  /** Paste-ready steps: CCMSetup and Portswitch lines, primary sites to repeat the change on, ports to open. */
  readonly remediation: Remediation;
  /** Every waiver of the plan, in plan order; empty for `check` and plans without waivers. */
  readonly waivers: readonly ReportWaiver[];
  /**
   * Present only in a merged report (`portflight merge`): each run it combines, in input order. The
   * top-level `vantage` then summarises them all.
   */
  readonly vantages?: readonly ReportVantage[];
  /** Last, and not part of the content it seals: the digest and signature (report/integrity.ts). */
  readonly integrity?: ReportIntegrity;
}

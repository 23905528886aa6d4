import type { ChangeSpec, PrimarySiteSpec, ScanPhase, ScanTarget } from '../plan/scan-spec.js';
import type { ClientPopulation } from '../plan/schema.js';
import type { PortRole, ProbeRecord } from '../probes/types.js';
import type { Vantage } from '../probes/vantage.js';
import type { IcmpEchoResult } from '../probes/icmp-echo.js';
import type { ScanResult } from '../run/scan.js';
import type { Recheck } from '../run/recheck-phase.js';
import type { EvidenceBundle } from '../evidence/types.js';

/** One resolved address of one target, with its probe records by role. */
export interface EndpointFacts {
  readonly target: ScanTarget;
  /** Null when the name did not resolve. */
  readonly address: string | null;
  readonly probes: readonly ProbeRecord[];
  /** The probe of the port that plays each role on this endpoint. */
  readonly byRole: Readonly<Partial<Record<PortRole, ProbeRecord>>>;
  /** True when at least one probe got an answer from the destination host itself (open or closed). */
  readonly reachedHost: boolean;
  /** ICMP echo to the address, when it ran. */
  readonly icmpEcho: IcmpEchoResult | null;
  /** A port that had answered, asked again at the end of the scan (addresses with filtered ports). */
  readonly recheck: Recheck | null;
}

/** A site system's IIS/Windows evidence bundle. */
export interface ServerEvidence {
  readonly target: ScanTarget;
  readonly bundle: EvidenceBundle;
}

/** A port the change introduces, with what it is for. */
export interface NewPort {
  readonly scheme: 'http' | 'https';
  readonly kind: 'candidate' | 'alternate';
  readonly port: number;
  /** Today's port of the same scheme. */
  readonly current: number;
}

/** Everything the rules can see. Pure data: rules never probe or read files. */
export interface Facts {
  readonly change: ChangeSpec;
  readonly primarySites: readonly PrimarySiteSpec[];
  readonly clients: ClientPopulation | null;
  /** Every site system of the scan, probed or not (a role that serves no client port holds no probe). */
  readonly targets: readonly ScanTarget[];
  readonly endpoints: readonly EndpointFacts[];
  /** Evidence bundles of the site systems that have one. */
  readonly servers: readonly ServerEvidence[];
  /** The client request ports the change introduces (candidates and alternates that differ from today's). */
  readonly newPorts: readonly NewPort[];
  readonly vantage: Vantage;
  readonly scan: {
    /** Before the change, or after it (`--phase verify`): the rules judge other things then. */
    readonly phase: ScanPhase;
    readonly complete: boolean;
    /** No probe was sent (`--offline`): the network was not tested. */
    readonly offline: boolean;
    readonly interruption: ScanResult['interruption'];
    /** Probe kinds that could not run from this vantage point, and why. */
    readonly skipped: ScanResult['skipped'];
  };
}

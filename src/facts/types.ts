import type { ChangeSpec, PrimarySiteSpec, ScanTarget } from '../plan/scan-spec.js';
import type { ClientPopulation } from '../plan/schema.js';
import type { PortRole, ProbeRecord } from '../probes/types.js';
import type { Vantage } from '../probes/vantage.js';
import type { IcmpEchoResult } from '../probes/icmp-echo.js';
import type { ScanResult } from '../run/scan.js';

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
}

/** Everything the rules can see. Pure data: rules never probe or read files. */
export interface Facts {
  readonly change: ChangeSpec;
  readonly primarySites: readonly PrimarySiteSpec[];
  readonly clients: ClientPopulation | null;
  readonly endpoints: readonly EndpointFacts[];
  readonly vantage: Vantage;
  readonly scan: {
    readonly complete: boolean;
    readonly interruption: ScanResult['interruption'];
    /** Probe kinds that could not run from this vantage point, and why. */
    readonly skipped: ScanResult['skipped'];
  };
}

import type { PortRole, ProbeProtocol } from '../shared/port-vocabulary.js';
import type { ClientPopulation, ProbeSettings, RequestPort, SiteSystemRole } from './schema.js';

/** What one target must be probed on, and why. */
export interface PortAssignment {
  readonly protocol: ProbeProtocol;
  readonly port: number;
  /** Most important first (PORT_ROLES order). */
  readonly roles: readonly PortRole[];
}

export interface SiteRef {
  readonly siteCode: string;
  readonly kind: 'primary' | 'secondary';
  /** The primary site whose ports this site uses (itself for a primary). */
  readonly primarySiteCode: string;
}

export interface ScanTarget {
  /** Host name or address as the plan or command line wrote it. */
  readonly host: string;
  readonly sites: readonly SiteRef[];
  /** Empty when unknown (ad-hoc mode). */
  readonly systemRoles: readonly SiteSystemRole[];
  /** A management point on it accepts internet-based clients (plan `managementPoint.internetFacing`). */
  readonly internetFacing: boolean;
  /** HTTPS port of its enrollment point website, when it holds that role. */
  readonly enrollmentPointPort: number | null;
  /** Absolute path of the evidence bundle, when the plan names one. */
  readonly evidence: string | null;
  readonly ports: readonly PortAssignment[];
  /**
   * A portflight responder runs on it during the scan (plan `responder: true`, or `check
   * --responder-token-file`): its new ports are proved two-sided (plan/responder-ports.ts). Absent: no.
   */
  readonly responder?: boolean;
}

export interface ChangeSpec {
  readonly http: RequestPort | null;
  readonly https: RequestPort | null;
  /** Null when unknown (ad-hoc mode does not say). */
  readonly customWebsite: boolean | null;
  readonly clientNotificationPort: number | null;
  /** Wake-up settings, when the plan gives them. */
  readonly wakeUp: {
    readonly sitePort: number;
    readonly clientSettingPort: number | null;
    readonly proxyPort: number;
  } | null;
}

export interface PrimarySiteSpec {
  readonly siteCode: string;
  readonly publishedToActiveDirectory: boolean;
  readonly secondarySiteCodes: readonly string[];
  /**
   * The site systems the plan lists for this site: its own first, then its secondary sites'. Facts
   * built without a plan (ad-hoc, tests) leave it out, and the probed targets say instead.
   */
  readonly systems?: readonly { readonly host: string; readonly roles: readonly SiteSystemRole[] }[];
  /** This site's clients, when the plan counts them per primary site. */
  readonly clients?: ClientPopulation;
}

/**
 * When the scan runs: `preflight` before the change (the candidate ports must get through while
 * today's ports still work), `verify` after it (the candidate ports must be open and the management
 * point answer on them; today's ports may have closed).
 */
export const SCAN_PHASES = ['preflight', 'verify'] as const;
export type ScanPhase = (typeof SCAN_PHASES)[number];

/** Everything a scan needs, the same whether it came from a plan file or from `check` flags. */
export interface ScanSpec {
  readonly source: {
    readonly kind: 'plan' | 'command-line';
    readonly path: string | null;
    readonly sha256: string;
  };
  readonly phase: ScanPhase;
  readonly change: ChangeSpec;
  readonly primarySites: readonly PrimarySiteSpec[];
  /** The top-level `clients:` section; null when absent (counted per site, unknown, or ad-hoc mode). */
  readonly clients: ClientPopulation | null;
  readonly targets: readonly ScanTarget[];
  readonly probe: ProbeSettings;
}

/**
 * The site server's IIS and Windows port state, as read from an evidence bundle (a folder with the
 * files `portflight collect` writes). Every item keeps the file and line it came from, so a finding
 * can cite the evidence that proves it.
 */

/** Where an item was read: 1-based line, as editors show it. */
export interface SourceRef {
  readonly file: string;
  readonly line: number;
}

/** One `<binding>` of an IIS site. `bindingInformation` is `IP:port:host` (IPv6 IPs in brackets). */
export interface IisBinding {
  readonly protocol: string;
  readonly bindingInformation: string;
  /** `*` for all unassigned addresses (also written as empty or 0.0.0.0 / [::]), else the address. */
  readonly ip: string;
  /** Null for non-socket protocols (net.pipe, net.msmq …) whose bindingInformation has no port. */
  readonly port: number | null;
  /** Host header; empty for none. */
  readonly host: string;
  /** IIS SslFlags bit field: 1 SNI, 2 central certificate store, 4 disable HTTP/2 …; 0 when absent. */
  readonly sslFlags: number;
  readonly source: SourceRef;
}

export interface IisVirtualDirectory {
  readonly path: string;
  readonly physicalPath: string | null;
}

export interface IisApplication {
  /** `/`, `/SMS_MP`, `/CCM_Client` … */
  readonly path: string;
  readonly applicationPool: string | null;
  readonly virtualDirectories: readonly IisVirtualDirectory[];
  readonly source: SourceRef;
}

export interface IisSite {
  readonly name: string;
  readonly id: number | null;
  /** `serverAutoStart` attribute; null when absent (IIS default: true). */
  readonly serverAutoStart: boolean | null;
  readonly bindings: readonly IisBinding[];
  readonly applications: readonly IisApplication[];
  readonly source: SourceRef;
}

export interface ApplicationHostConfig {
  readonly file: string;
  readonly sites: readonly IisSite[];
}

/** One `netsh http show sslcert` entry. */
export interface SslCertBinding {
  readonly kind: 'ipport' | 'hostnameport' | 'ccs';
  /** For ipport: `0.0.0.0`, `[::]` or an address; for hostnameport: the host name; for ccs: null. */
  readonly endpoint: string | null;
  readonly port: number;
  /** Lower-case hex; null when not shown (ccs, `(null)`, or hidden by whoever pasted it: `redacted`). */
  readonly certificateHash: string | null;
  readonly applicationId: string | null;
  readonly certificateStoreName: string | null;
  readonly source: SourceRef;
}

/** One `netsh http show urlacl` reservation. */
export interface UrlAclReservation {
  /** As printed, e.g. `http://+:80/Temporary_Listen_Addresses/`. */
  readonly url: string;
  readonly scheme: 'http' | 'https';
  /** `+` (strong wildcard), `*` (weak wildcard) or a host/address. */
  readonly host: string;
  readonly port: number;
  readonly path: string;
  readonly users: readonly {
    readonly user: string;
    readonly listen: boolean | null;
    readonly delegate: boolean | null;
  }[];
  readonly sddl: string | null;
  readonly source: SourceRef;
}

export interface IpListenEntry {
  readonly address: string;
  readonly source: SourceRef;
}

/** One row of `netsh int ipv4 show excludedportrange protocol=tcp|udp`. */
export interface ExcludedPortRange {
  readonly start: number;
  readonly end: number;
  /** Marked `*`: added with `netsh … add excludedportrange` (not by WinNAT/HNS). */
  readonly administered: boolean;
  readonly source: SourceRef;
}

/** `netsh int ipv4 show dynamicport tcp|udp`. */
export interface DynamicPortRange {
  readonly start: number;
  readonly count: number;
  readonly source: SourceRef;
}

/** A listening socket (netstat -ano, Get-NetTCPConnection -State Listen, Get-NetUDPEndpoint). */
export interface Listener {
  readonly protocol: 'tcp' | 'udp';
  /** `0.0.0.0`, `::`, or an address. */
  readonly address: string;
  readonly port: number;
  readonly pid: number | null;
  /** Process name when the evidence gives it (PID 4 is `System`: http.sys, i.e. IIS and friends). */
  readonly processName: string | null;
  readonly source: SourceRef;
}

/** The files of a bundle, named as `portflight collect` writes them (shared/README.md contract). */
export const EVIDENCE_FILES = {
  applicationHost: 'applicationHost.config',
  sslcert: 'sslcert.txt',
  urlacl: 'urlacl.txt',
  iplisten: 'iplisten.txt',
  excludedTcp: 'excludedportrange-tcp.txt',
  excludedUdp: 'excludedportrange-udp.txt',
  dynamicTcp: 'dynamicport-tcp.txt',
  netstat: 'netstat.txt',
  listenersJson: 'listeners.json',
} as const;

export interface EvidenceBundle {
  readonly dir: string;
  readonly applicationHost: ApplicationHostConfig | null;
  readonly sslcert: readonly SslCertBinding[] | null;
  readonly urlacl: readonly UrlAclReservation[] | null;
  readonly iplisten: readonly IpListenEntry[] | null;
  readonly excludedTcp: readonly ExcludedPortRange[] | null;
  readonly excludedUdp: readonly ExcludedPortRange[] | null;
  readonly dynamicTcp: DynamicPortRange | null;
  /** From listeners.json when present, else from netstat.txt; null when neither was given. */
  readonly listeners: readonly Listener[] | null;
  /** The text of each file read, by the path findings cite (`bundle/applicationHost.config`), so a report can quote the lines. */
  readonly texts?: ReadonlyMap<string, string>;
}

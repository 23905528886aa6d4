/** Finding severities, mildest first. `incomplete` means the facts a decision needs are missing. */
export const SEVERITIES = ['info', 'condition', 'incomplete', 'no-go'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  /** What the finding is about: a host, a host:port, a site, the client population. */
  readonly subject: string;
  /** What the operator does about it, when there is something to do. */
  readonly remediation?: string;
  /** References to the facts that prove it, e.g. `probe:mp01@198.18.2.2/tcp/8080`. */
  readonly evidence: readonly string[];
  /** Set by the plan's waivers (verdict/apply-waivers.ts): the finding is accepted and no longer sets the verdict. */
  readonly waived?: { readonly reason: string; readonly owner: string; readonly expires: string };
}

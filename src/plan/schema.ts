import * as z from 'zod';
import { hostProblem } from './host-name.js';
import { port } from './port-schema.js';
import { checkRoleSettings, roleSettings } from './role-settings-schema.js';
import { probeSettingsSchema } from './probe-settings-schema.js';

/** The change plan, validated at the boundary. The JSON Schema in samples/ is generated from this. */

const count = z
  .number({ error: 'must be a count of clients' })
  .int({ error: 'must be a whole number' })
  .min(0, { error: 'must be 0 or more' });

/** A DNS name (RFC 1123 labels) or an IPv4/IPv6 literal; hostProblem decides, this only guides editors. */
const HOST_PATTERN = /^[A-Za-z0-9_.:%[\]-]+$/;
export const hostSchema = z
  .string()
  .regex(HOST_PATTERN, { error: 'must be a host name or an IPv4/IPv6 address' })
  .superRefine((host, ctx) => {
    const problem = hostProblem(host);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe('Host name (FQDN preferred) or IPv4/IPv6 address of the site system');

export const SITE_SYSTEM_ROLES = [
  'management-point',
  'distribution-point',
  'fallback-status-point',
  'state-migration-point',
  'enrollment-point',
  'enrollment-proxy-point',
  'software-update-point',
  'reporting-services-point',
  'cmg-connection-point',
  'site-server',
  'sms-provider',
  'site-database-server',
] as const;
export type SiteSystemRole = (typeof SITE_SYSTEM_ROLES)[number];

const siteCode = z
  .string()
  .regex(/^[A-Za-z0-9]{3}$/, { error: 'a site code is three letters or digits' })
  .describe('Three-character ConfigMgr site code');

const siteSystem = z
  .strictObject({
    host: hostSchema,
    roles: z
      .array(z.enum(SITE_SYSTEM_ROLES))
      .min(1, { error: 'list at least one role' })
      .describe('Roles the system holds; each role is probed on the client ports it serves'),
    ...roleSettings,
    evidence: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Folder with IIS/Windows evidence (applicationHost.config, netsh, netstat), relative to the plan',
      ),
    responder: z
      .boolean()
      .default(false)
      .describe(
        'A portflight responder runs on it during the scan (`portflight listen`): its new ports are proved end to end',
      ),
  })
  .superRefine(checkRoleSettings)
  .describe('A site system server');

const secondarySite = z.strictObject({
  siteCode,
  name: z.string().optional(),
  systems: z.array(siteSystem).default([]),
});

const clients = z
  .strictObject({
    domain: count.default(0).describe('Domain clients of the forests the site publishes to'),
    workgroup: count.default(0),
    otherForest: count.default(0).describe('Clients in an AD forest the site does not publish to'),
    internetOnly: count.default(0).describe('Clients configured for internet-only (CCMALWAYSINF=1)'),
    onInternet: count.default(0).describe('Intranet clients currently on the internet (CMG / IBCM)'),
    linuxUnix: count.default(0),
  })
  .describe('Client population (counts); used to say who must be reinstalled');

const primarySite = z.strictObject({
  siteCode,
  name: z.string().optional(),
  publishedToActiveDirectory: z
    .boolean()
    .default(true)
    .describe('Site is published to AD DS (schema extended): domain clients of this forest learn new ports'),
  systems: z.array(siteSystem).default([]),
  secondarySites: z
    .array(secondarySite)
    .default([])
    .describe('Secondary sites inherit the primary site ports; their systems are probed too'),
  clients: clients
    .optional()
    .describe("This primary site's clients (its secondary sites' included), when counted per site"),
});

const requestPort = z
  .strictObject({
    current: port.describe('Port clients use today'),
    candidate: port.describe('Port the change moves to'),
    alternate: port.optional().describe('Alternate port clients try after the default port fails'),
  })
  .refine((p) => p.alternate === undefined || p.alternate !== p.candidate, {
    error: 'the alternate port must differ from the candidate port',
    path: ['alternate'],
  });

const change = z
  .strictObject({
    clientRequest: z.strictObject({
      http: requestPort.optional(),
      https: requestPort.optional(),
    }),
    customWebsite: z
      .boolean()
      .default(false)
      .describe('Use the custom IIS website SMSWeb instead of the Default Web Site'),
    clientNotificationPort: port.default(10123).describe('Client notification (fast channel) TCP port'),
    wakeUp: z
      .strictObject({
        sitePort: port.default(9).describe('Wake On LAN UDP port in the site properties'),
        clientSettingPort: port.optional().describe('"Wake On LAN port number (UDP)" client setting'),
        proxyPort: port.default(25536).describe('Wake-up proxy UDP port (client setting)'),
      })
      .optional(),
  })
  .refine(
    (c) =>
      !c.clientRequest.http ||
      !c.clientRequest.https ||
      c.clientRequest.http.candidate !== c.clientRequest.https.candidate,
    { error: 'HTTP and HTTPS candidate ports must differ', path: ['clientRequest', 'https', 'candidate'] },
  )
  .superRefine((c, ctx) => {
    // An alternate port that is another scheme's request port would send clients to the wrong one.
    const { http, https } = c.clientRequest;
    const check = (
      scheme: 'http' | 'https',
      own: RequestPort | undefined,
      other: RequestPort | undefined,
    ) => {
      if (own?.alternate === undefined || !other) return;
      const clash = [other.candidate, other.alternate].includes(own.alternate);
      if (clash)
        ctx.addIssue({
          code: 'custom',
          path: ['clientRequest', scheme, 'alternate'],
          message: `the alternate ${scheme.toUpperCase()} port must differ from the ${scheme === 'http' ? 'HTTPS' : 'HTTP'} request ports`,
        });
    };
    check('http', http, https);
    check('https', https, http);
  })
  .refine((c) => c.clientRequest.http !== undefined || c.clientRequest.https !== undefined, {
    error: 'name at least one of clientRequest.http or clientRequest.https',
    path: ['clientRequest'],
  });

const RULE_ID = /^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$/;
const nonBlank = (what: string) => z.string().regex(/\S/, { error: `${what} must not be blank` });

const waiver = z
  .strictObject({
    rule: z
      .string()
      .regex(RULE_ID, { error: 'must be a rule id, e.g. IIS-DEFAULT-WEB-SITE-SHARED' })
      .describe('Id of the rule whose findings are accepted'),
    subject: z
      .string()
      .min(1)
      .optional()
      .describe('Subject of the findings accepted, exactly or as a glob with * (default: every subject)'),
    reason: nonBlank('the reason').describe('Why the risk is accepted'),
    owner: nonBlank('the owner').describe('Who accepted it'),
    // A calendar date, so a waiver lapses on the same day wherever the scan runs (compared in UTC).
    expires: z.iso
      .date({ error: 'must be a date written YYYY-MM-DD' })
      .describe('Last day the waiver applies (YYYY-MM-DD, UTC)'),
  })
  .describe(
    'An accepted condition or no-go finding: it no longer sets the verdict. Incomplete findings cannot be waived.',
  );

export const planSchema = z
  .strictObject({
    portflight: z
      .literal(1, { error: 'this portflight reads plan format 1' })
      .describe('Plan format version'),
    name: z.string().optional(),
    hierarchy: z.strictObject({
      primarySites: z.array(primarySite).min(1, { error: 'list at least one primary site' }),
    }),
    change,
    clients: clients.optional(),
    probe: probeSettingsSchema.prefault({}),
    waivers: z.array(waiver).default([]).describe('Findings accepted by a named owner until a date'),
  })
  .superRefine(refuseConflictingEvidence)
  // Two homes for the counts would leave it open which site a top-level client belongs to.
  .refine((p) => !p.clients || p.hierarchy.primarySites.every((site) => !site.clients), {
    error: 'count the clients either here or under each primary site, not both',
    path: ['clients'],
  })
  .describe('portflight change plan');

/**
 * A server listed twice (under two sites, or with two role sets) is one target: two different
 * evidence folders for it would leave one silently unread, so that is refused at the second one.
 */
function refuseConflictingEvidence(
  plan: { hierarchy: { primarySites: readonly z.output<typeof primarySite>[] } },
  ctx: z.RefinementCtx,
): void {
  const first = new Map<string, { evidence: string; path: string }>();
  plan.hierarchy.primarySites.forEach((primary, p) => {
    const lists = [
      { systems: primary.systems, path: ['hierarchy', 'primarySites', p, 'systems'] },
      ...primary.secondarySites.map((secondary, s) => ({
        systems: secondary.systems,
        path: ['hierarchy', 'primarySites', p, 'secondarySites', s, 'systems'],
      })),
    ];
    for (const { systems, path } of lists) {
      systems.forEach((system, index) => {
        if (system.evidence === undefined) return;
        const key = system.host.toLowerCase().replace(/\.$/, '');
        const here = [...path, index];
        const seen = first.get(key);
        if (!seen) first.set(key, { evidence: system.evidence, path: here.join('.') });
        else if (seen.evidence !== system.evidence)
          ctx.addIssue({
            code: 'custom',
            path: [...here, 'evidence'],
            message: `${system.host} is also listed with evidence "${seen.evidence}" (${seen.path}); give one folder for one server`,
          });
      });
    }
  });
}

export type Plan = z.output<typeof planSchema>;
export type PlanInput = z.input<typeof planSchema>;
export type { ProbeSettings } from './probe-settings-schema.js';
export type SiteSystem = z.output<typeof siteSystem>;
export type RequestPort = z.output<typeof requestPort>;
export type ClientPopulation = z.output<typeof clients>;
export type Waiver = z.output<typeof waiver>;

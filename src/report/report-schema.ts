import * as z from 'zod';
import { SCAN_PHASES } from '../plan/scan-spec.js';
import { LOCALISATIONS, PORT_ROLES, PROBE_REASONS, PROBE_STATES } from '../probes/types.js';
import { SEVERITIES } from '../rules/types.js';
import { VERDICTS } from '../verdict/compute-verdict.js';
import { WAIVER_STATUSES } from '../verdict/apply-waivers.js';
import { REPORT_FORMAT_VERSION, type Report } from './model.js';

/**
 * The report model as `merge` and `diff` read it back (YAML or JSON). Unknown keys are dropped, not
 * refused: a newer portflight of the same format version may add fields (model.ts). What the
 * commands rely on is checked strictly, so that a hand-edited or truncated report is refused with
 * its position instead of giving a wrong combined verdict.
 */

const text = z.string();
const port = z.number().int().min(0).max(65535);
const nullableText = z.string().nullable();
const protocol = z.enum(['tcp', 'udp']);
const verdict = z.enum(VERDICTS);

const icmpEcho = z.record(z.string(), z.object({ state: text, reason: text, rttMs: z.number().nullable() }));

const privileges = z.object({
  rawSocket: z.boolean(),
  detail: text,
  skipped: z.array(z.object({ probe: text, reason: text })),
});

const tls = z.object({
  protocol: nullableText,
  cipher: nullableText,
  subject: nullableText,
  subjectAltNames: z.array(text),
  issuer: nullableText,
  validFrom: nullableText,
  validTo: nullableText,
  nameMatches: z.boolean(),
  authorized: z.boolean(),
  authorizationError: nullableText,
  possibleInterception: z.boolean(),
});

const probe = z.object({
  target: text,
  address: nullableText,
  protocol,
  port,
  role: z.enum(PORT_ROLES),
  roles: z.array(z.enum(PORT_ROLES)),
  state: z.enum(PROBE_STATES),
  reason: z.enum(PROBE_REASONS),
  rttMs: z.number().nullable(),
  replyFrom: text.optional(),
  replyTtl: z.number().optional(),
  blockedBy: nullableText.optional(),
  localisation: z.enum(LOCALISATIONS).optional(),
  inferredFrom: text.optional(),
  blockedBetween: z.tuple([text, text]).optional(),
  answeredCloser: z.object({ replyHops: z.number(), destinationHops: z.number() }).optional(),
  path: z
    .array(
      z.object({
        ttl: z.number(),
        address: nullableText,
        rttMs: z.number().nullable(),
        rewrites: z.array(text).optional(),
      }),
    )
    .optional(),
  app: z
    .object({
      http: z.array(
        z.object({ url: text, status: z.number().nullable(), server: nullableText, error: text.optional() }),
      ),
      tls: tls.nullable(),
    })
    .optional(),
  detail: text.optional(),
  vantage: text.optional(),
});

const finding = z.object({
  rule: text,
  severity: z.enum(SEVERITIES),
  message: text,
  subject: text,
  remediation: text.optional(),
  evidence: z.array(text),
  waived: z.object({ reason: text, owner: text, expires: text }).optional(),
  proof: z.array(z.object({ ref: text, line: z.string() })).optional(),
  vantages: z.array(text).optional(),
});

const requestPort = z.object({ current: port, candidate: port, alternate: port.optional() });

const remediation = z.object({
  sites: z.array(
    z.object({
      siteCode: text,
      managementPoint: text,
      ccmsetup: text,
      internetOnlyCcmsetup: text,
      onInternetCcmsetup: text,
      linuxInstall: nullableText,
    }),
  ),
  portswitch: nullableText,
  repeatOnPrimarySites: z.array(text),
  firewallRules: z.array(
    z.object({
      protocol,
      port,
      destination: text,
      blockedBy: nullableText,
      blockedBetween: text.optional(),
      why: text,
    }),
  ),
});

const vantage = z.object({
  name: text,
  hostname: text,
  addresses: z.array(text),
  privileges,
  startedAt: text,
  finishedAt: text,
  planSha256: text,
  complete: z.boolean(),
  verdict,
  icmpEcho: icmpEcho.optional(),
});

export const reportSchema = z.object({
  portflight: z.literal(REPORT_FORMAT_VERSION, {
    error: `not a portflight report of format ${REPORT_FORMAT_VERSION} (the file must start with portflight: ${REPORT_FORMAT_VERSION})`,
  }),
  tool: z.object({ name: z.literal('portflight'), version: text }),
  verdict,
  verdictWithoutWaivers: verdict,
  counts: z.object({
    'no-go': z.number().int().min(0),
    incomplete: z.number().int().min(0),
    condition: z.number().int().min(0),
    info: z.number().int().min(0),
  }),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  durationMs: z.number(),
  vantage: z.object({ hostname: text, addresses: z.array(text), privileges }),
  plan: z.object({
    source: z.enum(['plan', 'command-line']),
    path: nullableText,
    sha256: text.regex(/^[0-9a-f]{64}$/, 'expected a sha256 in hex'),
    name: nullableText.optional(),
  }),
  scan: z.object({
    complete: z.boolean(),
    // Reports written before `--phase` existed were all taken before the change.
    phase: z.enum(SCAN_PHASES).default('preflight'),
    offline: z.boolean(),
    interruption: z.enum(['signal', 'deadline', 'host-deadline']).nullable(),
    probes: z.number().int().min(0),
    states: z.record(z.string(), z.number()),
  }),
  change: z.object({
    http: requestPort.nullable(),
    https: requestPort.nullable(),
    customWebsite: z.boolean().nullable(),
    clientNotificationPort: port.nullable(),
    wakeUp: z.object({ sitePort: port, clientSettingPort: port.nullable(), proxyPort: port }).nullable(),
  }),
  targets: z.array(
    z.object({
      host: text,
      sites: z.array(text),
      roles: z.array(text),
      addresses: z.array(text),
      evidence: nullableText,
      icmpEcho: icmpEcho.optional(),
    }),
  ),
  probes: z.array(probe),
  findings: z.array(finding),
  remediation,
  waivers: z.array(
    z.object({
      rule: text,
      subject: nullableText,
      reason: text,
      owner: text,
      expires: text.regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date, YYYY-MM-DD'),
      status: z.enum(WAIVER_STATUSES),
      matched: z.number().int().min(0),
      note: text.optional(),
    }),
  ),
  vantages: z.array(vantage).min(1).optional(),
});

// The schema reads back exactly what the model says (a change to either one breaks the build here).
type ReadReport = z.output<typeof reportSchema>;
const _readIsReport = (read: ReadReport): Report => read;
void _readIsReport;

import * as z from 'zod';
import { DEFAULT_PROBE_SETTINGS } from './probe-defaults.js';

// The plan's `probe:` settings, apart from the rest of the plan schema: `check`, which reads no plan,
// validates its probe flags with this alone and never builds the whole plan schema (~15 ms).

const milliseconds = z.number().int().min(1).max(86_400_000);

export const probeSettingsSchema = z.strictObject({
  timeoutMs: z
    .number()
    .int()
    .min(50)
    .max(60_000)
    .default(DEFAULT_PROBE_SETTINGS.timeoutMs)
    .describe('Longest wait for an answer (the ceiling of the adaptive timeout)'),
  minTimeoutMs: z
    .number()
    .int()
    .min(10)
    .max(60_000)
    .default(DEFAULT_PROBE_SETTINGS.minTimeoutMs)
    .describe('Floor of the adaptive timeout, whatever the measured RTT'),
  retries: z
    .number()
    .int()
    .min(0)
    .max(5)
    .default(DEFAULT_PROBE_SETTINGS.retries)
    .describe('TCP probes that meet silence are retried this many times'),
  udpRetries: z.number().int().min(0).max(5).default(DEFAULT_PROBE_SETTINGS.udpRetries),
  concurrency: z.number().int().min(1).max(4096).default(DEFAULT_PROBE_SETTINGS.concurrency),
  ratePerSecond: z
    .number()
    .int()
    .min(1)
    .max(20_000)
    .default(DEFAULT_PROBE_SETTINGS.ratePerSecond)
    .describe('Global cap on probes started per second'),
  hostDeadlineMs: milliseconds.optional().describe('Stop probing one address after this long'),
  deadlineMs: milliseconds
    .optional()
    .describe('Stop the whole scan after this long (the report is then incomplete)'),
  pathProbing: z
    .boolean()
    .default(true)
    .describe('Locate the blocking device with TTL-limited probes (needs root or CAP_NET_RAW)'),
  icmpEcho: z.boolean().default(true).describe('Send ICMP echo to each address (needs root or CAP_NET_RAW)'),
  appProbes: z
    .boolean()
    .default(true)
    .describe('HTTP(S) GET of the MP endpoints and TLS details on open ports'),
  expectedTlsIssuer: z
    .string()
    .min(1)
    .optional()
    .describe("Issuer (CN or O) of the site systems' certificates; another issuer hints at TLS interception"),
});

/** Same pattern as the rule engine's ids; the plan layer comes before rules/, so it is repeated here. */

export type ProbeSettings = z.output<typeof probeSettingsSchema>;

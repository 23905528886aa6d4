import * as z from 'zod';
import { port } from './port-schema.js';
import type { SiteSystemRole } from './schema.js';

/** Settings of one role of a site system, given only when the system holds that role. */
export const roleSettings = {
  managementPoint: z
    .strictObject({
      internetFacing: z
        .boolean()
        .default(false)
        .describe(
          'Accepts connections from internet-based clients (internet-based client management): they reach it on the client request ports',
        ),
    })
    .optional()
    .describe('Management point settings'),
  enrollmentPoint: z
    .strictObject({
      port: port
        .default(443)
        .describe(
          'HTTPS port of the enrollment point website (role property): the enrollment proxy point connects to it',
        ),
    })
    .optional()
    .describe('Enrollment point settings'),
  enrollmentProxyPoint: z
    .strictObject({
      port: port
        .default(443)
        .describe('HTTPS port mobile devices and Macs enroll on (role property, 443 by default)'),
    })
    .optional()
    .describe('Enrollment proxy point settings'),
} as const;

const ROLE_OF_SETTINGS = {
  managementPoint: 'management-point',
  enrollmentPoint: 'enrollment-point',
  enrollmentProxyPoint: 'enrollment-proxy-point',
} as const satisfies Record<keyof typeof roleSettings, SiteSystemRole>;

/** Settings of a role the system does not hold are a mistake in the plan, refused at the settings. */
export function checkRoleSettings(
  system: { readonly roles: readonly SiteSystemRole[] } & {
    readonly [K in keyof typeof ROLE_OF_SETTINGS]?: unknown;
  },
  ctx: z.RefinementCtx,
): void {
  for (const [key, role] of Object.entries(ROLE_OF_SETTINGS)) {
    if (system[key as keyof typeof ROLE_OF_SETTINGS] !== undefined && !system.roles.includes(role))
      ctx.addIssue({ code: 'custom', message: `${key} settings need the role ${role}`, path: [key] });
  }
}

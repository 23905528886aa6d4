// Apart from app-probe.ts (which loads node:http, https and tls) so that the rules can name the MP
// list request without loading the network stack into an offline run.

/**
 * The management point health checks public scripts use (DOMAIN.md "MP health URLs"), then the site
 * root so a port answered by another site or service still shows who answers.
 */
export const MP_HEALTH_PATHS = ['/SMS_MP/.sms_aut?mplist', '/SMS_MP/.sms_aut?mpcert', '/'] as const;

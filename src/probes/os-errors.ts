import type { ProbeReason, ProbeState } from './types.js';

/**
 * How the OS reports what happened to a probe. Linux folds ICMP admin-prohibited (codes 9, 10, 13)
 * into EHOSTUNREACH, so without raw sockets `host-unreach` may be a firewall's rejection.
 */
const OUTCOME_BY_ERRNO: Readonly<Record<string, { state: ProbeState; reason: ProbeReason }>> = {
  ECONNREFUSED: { state: 'closed', reason: 'conn-refused' },
  EHOSTUNREACH: { state: 'filtered', reason: 'host-unreach' },
  EHOSTDOWN: { state: 'filtered', reason: 'host-unreach' },
  ENETUNREACH: { state: 'filtered', reason: 'net-unreach' },
  ENONET: { state: 'filtered', reason: 'net-unreach' },
  ETIMEDOUT: { state: 'filtered', reason: 'no-response' },
  // A local firewall rule (OUTPUT chain) refusing the packet surfaces as EPERM/EACCES on connect/send.
  EPERM: { state: 'filtered', reason: 'local-policy' },
  EACCES: { state: 'filtered', reason: 'local-policy' },
};

export function outcomeOfErrno(code: string | undefined): { state: ProbeState; reason: ProbeReason } {
  return OUTCOME_BY_ERRNO[code ?? ''] ?? { state: 'error', reason: 'local-error' };
}

import type { PortRole } from '../shared/port-vocabulary.js';
import type { PortAssignment, ScanTarget } from './scan-spec.js';

/**
 * Roles of ports that nothing serves before the change, so a responder may bind them. Today's ports
 * (IIS holds them), the client notification port (the management point holds it) and the enrollment
 * proxy point's port are in use: a port with any of those roles is probed one-sided, as before.
 */
const RESPONDER_ROLES: ReadonlySet<PortRole> = new Set([
  'candidate-http',
  'candidate-https',
  'alternate-http',
  'alternate-https',
  'extra',
]);

export function responderExpectedOn(assignment: Pick<PortAssignment, 'roles'>): boolean {
  return assignment.roles.every((role) => RESPONDER_ROLES.has(role));
}

/** The ports a target's responder must listen on: none unless the plan or `check` asks for one. */
export function responderPortsOf(target: ScanTarget): PortAssignment[] {
  return target.responder === true ? target.ports.filter(responderExpectedOn) : [];
}

/** `8080,8443,udp:9`: the `--ports` value of `portflight listen` for these ports. */
export function listenPortsArgument(ports: readonly Pick<PortAssignment, 'protocol' | 'port'>[]): string {
  return ports
    .map(({ protocol, port }) => (protocol === 'tcp' ? `${port}` : `${protocol}:${port}`))
    .join(',');
}

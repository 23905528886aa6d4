import { PORT_ROLES, type PortRole, type ProbeProtocol } from '../shared/port-vocabulary.js';
import type { RequestPort } from './schema.js';
import type { PortAssignment } from './scan-spec.js';
import { compareText } from '../shared/text-order.js';

/** Collects (protocol, port) → roles, merging a port that plays several roles (e.g. unchanged ports). */
export class PortAssignments {
  private readonly byKey = new Map<string, { protocol: ProbeProtocol; port: number; roles: Set<PortRole> }>();

  add(protocol: ProbeProtocol, port: number, role: PortRole): this {
    const key = `${protocol}/${port}`;
    const entry = this.byKey.get(key) ?? { protocol, port, roles: new Set<PortRole>() };
    entry.roles.add(role);
    this.byKey.set(key, entry);
    return this;
  }

  addRequestPorts(scheme: 'http' | 'https', ports: RequestPort | null | undefined): this {
    if (!ports) return this;
    this.add('tcp', ports.current, `current-${scheme}`);
    this.add('tcp', ports.candidate, `candidate-${scheme}`);
    if (ports.alternate !== undefined) this.add('tcp', ports.alternate, `alternate-${scheme}`);
    return this;
  }

  merge(other: readonly PortAssignment[]): this {
    for (const assignment of other) {
      for (const role of assignment.roles) this.add(assignment.protocol, assignment.port, role);
    }
    return this;
  }

  list(): PortAssignment[] {
    return [...this.byKey.values()]
      .map((entry) => ({ protocol: entry.protocol, port: entry.port, roles: sortRoles(entry.roles) }))
      .sort((a, b) => compareText(a.protocol, b.protocol) || a.port - b.port);
  }
}

function sortRoles(roles: Iterable<PortRole>): PortRole[] {
  return [...roles].sort((a, b) => PORT_ROLES.indexOf(a) - PORT_ROLES.indexOf(b));
}

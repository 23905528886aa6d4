/**
 * Findings name their subject in a machine form (`clients.linuxUnix`, `mp01:tcp/8443`) that waivers
 * match and reports keep; people read the same subject worded here. One home, so the TUI and any
 * human-facing format word it alike.
 */

/** What the wording may name besides the subject itself. */
export interface SubjectContext {
  /** Site codes of the plan's secondary sites, named by `hierarchy.secondarySites`. */
  readonly secondarySites?: readonly string[];
}

const CLIENT_KINDS: Readonly<Record<string, string>> = {
  domain: 'domain-joined clients',
  workgroup: 'workgroup clients',
  otherForest: 'clients in other forests',
  internetOnly: 'internet-only clients',
  onInternet: 'clients on the internet',
  linuxUnix: 'Linux/UNIX clients',
};

const CHANGE_PARTS: Readonly<Record<string, string>> = {
  http: 'HTTP client request port',
  https: 'HTTPS client request port',
  clientNotificationPort: 'client notification port',
  wakeUp: 'wake-up settings',
  customWebsite: 'custom website setting',
};

/** What follows `host:` in a server subject. */
const SERVER_PARTS: Readonly<Record<string, string>> = {
  evidence: 'evidence bundle',
  website: 'ConfigMgr website',
  'http.sys': 'http.sys',
  'dynamic-ports': 'dynamic port range',
  WSUS: 'WSUS website',
  'cmg-connection-point': 'CMG connection point',
};

const WHOLE: Readonly<Record<string, string>> = {
  scan: 'the scan',
  path: 'the network path',
  clients: 'clients',
  'clients:firewall': "clients' outbound firewalls",
};

/** `Linux/UNIX clients`, `secondary site S01`, `mp01 — tcp/8443`: the subject as a person says it. */
export function humanSubject(subject: string, context: SubjectContext = {}): string {
  const whole = WHOLE[subject];
  if (whole !== undefined) return whole;
  if (subject === 'hierarchy.secondarySites') {
    const codes = context.secondarySites ?? [];
    if (codes.length === 0) return 'secondary sites';
    return `secondary site${codes.length === 1 ? '' : 's'} ${codes.join(', ')}`;
  }
  const clients = /^clients(?:\.(\w+))?(?::(\w+))?$/.exec(subject);
  if (clients) {
    const kind = clients[1] === undefined ? 'clients' : (CLIENT_KINDS[clients[1]] ?? `${clients[1]} clients`);
    return clients[2] === undefined ? kind : `${kind} of site ${clients[2]}`;
  }
  const change = /^change\.(\w+)$/.exec(subject);
  if (change) return `the ${CHANGE_PARTS[change[1] as string] ?? (change[1] as string)}`;
  // Before the `host:part` form: an IPv6 host has colons of its own.
  const port = /^(\S+):((?:tcp|udp)\/\d+)$/.exec(subject);
  if (port) return `${port[1]} — ${port[2]}`;
  const endpoint = /^([^\s@:]+)@(\S+)$/.exec(subject);
  if (endpoint) return `${endpoint[1]} (${endpoint[2]})`;
  const server = /^([^\s:]+):(.+)$/.exec(subject);
  if (server) return `${server[1]} — ${serverPart(server[2] as string)}`;
  return subject;
}

function serverPart(part: string): string {
  const known = SERVER_PARTS[part];
  if (known !== undefined) return known;
  const site = /^(Default Web Site|SMSWEB)(?::(\d+))?$/.exec(part);
  if (site) return site[2] === undefined ? (site[1] as string) : `${site[1]} port ${site[2]}`;
  if (/^[A-Z0-9]{3}$/.test(part)) return `site ${part}`;
  return part;
}

import { withSummary } from './catalogue-summary.js';
import { b, maybe, n, obj, ref, s } from './catalogue-terms.js';

/**
 * What Windows itself says about a new port on one server (part of `servers[].ports[]`): excluded
 * ranges, the dynamic range, and who listens on it. Filled by fact-tree-port-state.ts.
 */

const exclusion = obj(
  {
    start: n('First port'),
    end: n('Last port'),
    administered: b('Added by an administrator (`*`)'),
    who: s('Who reserved it, in words'),
    remediation: s('What to do, in words'),
    ref: ref(),
  },
  'range',
);

const listener = obj(
  {
    process: s('Process name or `a process`'),
    pid: s('PID or empty'),
    address: s('Listening address'),
    ref: ref(),
  },
  'listener',
);

export const portStateFields = {
  ...withSummary(
    'blockingExclusions',
    exclusion,
    'Excluded TCP port ranges containing the port that refuse a bind (not administered: Hyper-V, WinNAT, WSL, Docker)',
    '`8039-8138 (a dynamic exclusion (Hyper-V, WinNAT, WSL, Docker))`',
  ),
  blockingExclusionRemediation: s('What to do about the blocking range containing the port, or empty'),
  ...withSummary(
    'administeredExclusions',
    exclusion,
    'Administered (`*`) excluded TCP ranges containing the port: they keep it out of dynamic allocation and do not refuse a bind',
    '`50000-50059`',
  ),
  inDynamicRange: maybe(b('The port lies in the dynamic (ephemeral) TCP range')),
  dynamicAllocationRisk: maybe(
    b(
      'The port lies in the dynamic TCP range and no administered exclusion keeps Windows from handing it out (not gathered without both dynamicport-tcp.txt and excludedportrange-tcp.txt)',
    ),
  ),
  ...withSummary(
    'foreignListeners',
    listener,
    'Programs other than http.sys listening on the port, with a known PID or name',
    '`tomcat9 (PID 2212) listens on 0.0.0.0:8080`, semicolon-separated',
  ),
  ...withSummary(
    'unknownListeners',
    listener,
    'Listeners on the port whose owner the evidence does not give (netstat -ab "Can not obtain ownership information", netstat -an)',
    '`0.0.0.0:8080 (netstat.txt:12)`, semicolon-separated',
  ),
  ...withSummary(
    'httpSysListeners',
    listener,
    'http.sys (PID 4, System) listening on the port',
    '`0.0.0.0:8080`, comma-separated',
  ),
  httpSysOwners: s(
    'Who the evidence says registered the port in http.sys (IIS sites, URL reservations, certificate bindings), or empty',
  ),
  httpSysUnnamed: maybe(
    b(
      'http.sys listens on the port and no IIS binding, URL reservation or certificate binding names who (not gathered without applicationHost.config, urlacl.txt and the listeners)',
    ),
  ),
} as const;

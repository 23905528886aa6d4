import type { Rule } from '../types.js';

/** DOMAIN.md S13: Linux/UNIX clients never read AD; their ports are install-time options. */
export const cmLinuxUnixClients: Rule = {
  id: 'CM-LINUX-UNIX-CLIENTS',
  title: 'Linux/UNIX clients are configured separately',
  severity: 'condition',
  evaluate: (facts) => {
    const { http, https } = facts.change;
    const changed = (http && http.current !== http.candidate) || (https && https.current !== https.candidate);
    const count = facts.clients?.linuxUnix ?? 0;
    if (!changed || count === 0) return [];
    return [
      {
        subject: 'clients.linuxUnix',
        message: `${count} Linux/UNIX client(s) do not learn ports from Active Directory and keep the old ones.`,
        remediation:
          `Reinstall them with install -httpport ${http?.candidate ?? 80} -httpsport ${https?.candidate ?? 443} ` +
          `-keepdb (Linux/UNIX client install script).`,
        evidence: ['plan:clients.linuxUnix'],
      },
    ];
  },
};

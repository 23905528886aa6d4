import { fact } from './engine/index.js';
import { b, s } from './catalogue-terms.js';

/**
 * The `links` part of the catalogue: what the change means beyond the servers probed from here — site
 * systems that call the management point on the request ports, client firewall rules, the port pair
 * WSUS accepts (fact-tree-links.ts).
 */

export const linksNode = fact.object(
  {
    managementPoints: s('Management points of the plan, comma-separated, or `<management point FQDN>`'),
    mpCallers: fact.list(
      fact.object(
        {
          host: s('Site system'),
          roles: s('Its roles that call the management point, comma-separated'),
          check: s('The `portflight check …` to run from it against the management points'),
        },
        'site system',
      ),
      'Site systems other than management points that call them on the client request ports (distribution points)',
    ),
    clientFirewallCommands: s(
      'One `netsh advfirewall … dir=out …` command per new port, joined by the word "then" (each runs in cmd.exe and PowerShell)',
    ),
    wsusPairValid: b(
      'The HTTP/HTTPS ports after the change are a pair WSUS accepts: 80/443, or HTTPS = HTTP + 1',
    ),
    wsusPairText: s('`8080/8443 is not (HTTPS would have to be 8081)`, or `8080/8081 is`'),
  },
  'What the change asks of systems this scan does not probe',
);

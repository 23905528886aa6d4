import { fact } from './engine/index.js';
import { b, list, n, s } from './catalogue-terms.js';

/**
 * The `systems` part of the catalogue: every site system of the scan with its roles, probed or not. A
 * role that serves no client port holds no probe, so rules that speak of such a system read it here.
 */

export const systemFact = fact.object(
  {
    host: s('Site system as the plan (or command line) wrote it'),
    roles: list(s('role'), 'Its roles (empty when unknown: ad-hoc check)'),
    rolesText: s('`management point, distribution point`, or `unknown roles (ad-hoc check)`'),
    rolesKnown: b('The plan gives its roles (false in ad-hoc checks)'),
    portCount: n('Ports its roles serve to clients, which the scan probes'),
    notProbedWhy: s(
      'Why each of its roles serves no client port, `; `-separated (`site database server: site systems reach SQL Server, not the clients`)',
    ),
    cmgConnectionPoint: b('It holds the CMG connection point role'),
    managementPoints: list(
      s('host'),
      'Management points of its primary site(s) that the plan lists (what a CMG connection point forwards to)',
    ),
    managementPointsText: s('Those management points, comma-separated'),
    cmgCheckCommand: s(
      '`portflight check <management points> --current-https N --https M` to run from this server, or empty when HTTPS does not change',
    ),
  },
  'site system',
);

export const internetFacts = {
  internetFacingManagementPoints: list(
    s('host'),
    'Management points the plan marks `internetFacing` (internet-based client management)',
  ),
  cmgConnectionPoints: list(s('host'), 'Systems holding the CMG connection point role'),
  internetClientRoute: s(
    'How internet-based clients reach a management point directly, in words: the internet-facing management points, or what the plan counts when it marks none',
  ),
} as const;

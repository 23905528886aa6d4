import { describe, expect, it } from 'vitest';
import { listenCommandLines } from '../../src/cli/listen-hints.js';
import { parsePlanText, resolvePlan } from '../../src/plan/index.js';
import { windowsFirewallRule } from '../../src/responder/firewall-hints.js';

const PLAN = `portflight: 1
hierarchy:
  primarySites:
    - siteCode: P01
      systems:
        - { host: mp01.corp.example, roles: [management-point], responder: true }
        - { host: dp01.corp.example, roles: [distribution-point] }
        - { host: epp01.corp.example, roles: [enrollment-proxy-point], responder: true }
change:
  clientRequest:
    http: { current: 80, candidate: 8080, alternate: 8081 }
    https: { current: 443, candidate: 8443 }
`;

const spec = resolvePlan({ plan: parsePlanText(PLAN, 'plan.yaml'), source: 'plan.yaml', sha256: '0' });

describe('the listen command a scan prints for its responder systems', () => {
  it('names each responder system with its new ports only, and the token file to copy', () => {
    expect(listenCommandLines(spec, 'C:\\change\\token.txt')).toEqual([
      'before this scan, run the responder on each responder system (with a copy of C:\\change\\token.txt on each server):',
      // Not 80/443 (IIS), not 10123 (the management point holds it); the enrollment proxy point has no new port.
      '  on mp01.corp.example: portflight listen --ports 8080,8081,8443 --for 15m --token-file C:\\change\\token.txt',
    ]);
  });

  it('without a token file, tells where the token will come from', () => {
    const lines = listenCommandLines(spec, undefined);
    expect(lines[0]).toMatch(/pass the token file it writes to this scan with --responder-token-file/);
    expect(lines[1]).toBe('  on mp01.corp.example: portflight listen --ports 8080,8081,8443 --for 15m');
  });

  it('prints nothing for a plan without responder systems', () => {
    const plain = resolvePlan({
      plan: parsePlanText(PLAN.replaceAll(', responder: true', ''), 'plan.yaml'),
      source: 'plan.yaml',
      sha256: '0',
    });
    expect(listenCommandLines(plain, 'token.txt')).toEqual([]);
  });
});

describe('the Windows Firewall rule a port needs', () => {
  it('as PowerShell and as netsh', () => {
    expect(windowsFirewallRule('udp', 25536)).toEqual([
      'New-NetFirewallRule -DisplayName "ConfigMgr client UDP 25536" -Direction Inbound -Protocol UDP -LocalPort 25536 -Action Allow',
      'netsh advfirewall firewall add rule name="ConfigMgr client UDP 25536" dir=in action=allow protocol=UDP localport=25536',
    ]);
  });
});

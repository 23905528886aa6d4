import type { WireProtocol } from './wire.js';

/**
 * The Windows Firewall rule a port needs, as PowerShell and as netsh. The responder does not add it:
 * a dropped probe is what the check is for (the same rule will be missing for IIS after the change).
 */
export function windowsFirewallRule(protocol: WireProtocol, port: number): readonly [string, string] {
  const upper = protocol.toUpperCase();
  const name = `ConfigMgr client ${upper} ${port}`;
  return [
    `New-NetFirewallRule -DisplayName "${name}" -Direction Inbound -Protocol ${upper} -LocalPort ${port} -Action Allow`,
    `netsh advfirewall firewall add rule name="${name}" dir=in action=allow protocol=${upper} localport=${port}`,
  ];
}

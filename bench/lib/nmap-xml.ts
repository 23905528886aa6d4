// Reads the port states out of `nmap -oX -`. nmap lists each scanned port under its host, except
// that it may fold many ports of one state into <extraports state=… count=…>: a scanned port
// missing from the list then has that state.
import { XMLParser } from 'fast-xml-parser';

/** `address/port` → nmap's state word (open, closed, filtered, open|filtered, …). */
export type StateMap = Map<string, string>;

interface NmapPort {
  readonly '@_protocol'?: string;
  readonly '@_portid'?: string;
  readonly state?: { readonly '@_state'?: string };
}

interface NmapHost {
  readonly address?: { readonly '@_addr'?: string; readonly '@_addrtype'?: string }[];
  readonly ports?: {
    readonly port?: NmapPort[];
    readonly extraports?: { readonly '@_state'?: string }[];
  };
}

const ALWAYS_ARRAYS = new Set(['nmaprun.host', 'nmaprun.host.address', 'nmaprun.host.ports.port']);

export function parseNmapXml(xml: string, scannedPorts: readonly number[]): StateMap {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    isArray: (_name, jpath) =>
      ALWAYS_ARRAYS.has(String(jpath)) || String(jpath) === 'nmaprun.host.ports.extraports',
  });
  const document = parser.parse(xml) as { nmaprun?: { host?: NmapHost[] } };
  if (document.nmaprun === undefined) throw new Error('not nmap XML output (no <nmaprun>)');
  const states: StateMap = new Map();
  for (const host of document.nmaprun.host ?? []) {
    const address = host.address?.find((entry) => entry['@_addrtype'] === 'ipv4')?.['@_addr'];
    if (address === undefined) continue;
    for (const port of host.ports?.port ?? []) {
      if (port['@_protocol'] !== 'tcp' || port['@_portid'] === undefined) continue;
      states.set(`${address}/${port['@_portid']}`, port.state?.['@_state'] ?? 'unknown');
    }
    const folded = host.ports?.extraports ?? [];
    const foldedState = folded.length === 1 ? folded[0]?.['@_state'] : undefined;
    if (foldedState === undefined) continue;
    for (const port of scannedPorts) {
      const key = `${address}/${port}`;
      if (!states.has(key)) states.set(key, foldedState);
    }
  }
  return states;
}

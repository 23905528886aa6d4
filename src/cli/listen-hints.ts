import { listenPortsArgument, responderPortsOf, type ScanSpec } from '../plan/index.js';

/**
 * The `portflight listen` line to run on each responder system before the scan, with the ports it
 * must answer on. The token file is named as the scan was given it: the server needs a copy of it.
 */
export function listenCommandLines(spec: ScanSpec, tokenFile: string | undefined): string[] {
  const lines: string[] = [];
  for (const target of spec.targets) {
    const ports = responderPortsOf(target);
    if (ports.length === 0) continue;
    const token = tokenFile === undefined ? '' : ` --token-file ${quoted(tokenFile)}`;
    lines.push(
      `on ${target.host}: portflight listen --ports ${listenPortsArgument(ports)} --for 15m${token}`,
    );
  }
  if (lines.length === 0) return lines;
  const tail =
    tokenFile === undefined
      ? 'then pass the token file it writes to this scan with --responder-token-file'
      : `with a copy of ${tokenFile} on each server`;
  return [
    'before this scan, run the responder on each responder system (' + tail + '):',
    ...lines.map((l) => `  ${l}`),
  ];
}

function quoted(path: string): string {
  return /^[\w./\\:-]+$/.test(path) ? path : `"${path.replace(/"/g, '\\"')}"`;
}

import { hostname } from 'node:os';
import { isIP } from 'node:net';
import { parseListenDuration, DEFAULT_LISTEN_MS, formatDuration } from '../responder/duration.js';
import { windowsFirewallRule } from '../responder/firewall-hints.js';
import { startResponder } from '../responder/listen.js';
import { createTokenFile, readTokenFile } from '../responder/token-file.js';
import { isValidIdentity, tokenFingerprint } from '../responder/wire.js';
import { echoed, usageError } from '../shared/errors.js';
import { ExitCode, type ExitCodeValue } from '../shared/exit-codes.js';
import type { ListenFlags } from './program.js';

/** At most this many ports: a responder answers for a change's candidate ports, not a range. */
const MAX_LISTEN_PORTS = 64;

/**
 * `portflight listen`: the responder on the site system, until `--for` runs out or a signal comes.
 * Every message goes to stderr, one line each; stdout stays empty.
 */
export async function runListen(flags: ListenFlags): Promise<ExitCodeValue> {
  const say = (line: string) => process.stderr.write(`portflight listen: ${line}\n`);
  const durationMs = flags.for === undefined ? DEFAULT_LISTEN_MS : parseListenDuration(flags.for);
  const ports = [...new Map(flags.ports.map((p) => [`${p.protocol}/${p.port}`, p])).values()];
  if (ports.length > MAX_LISTEN_PORTS)
    throw usageError(`--ports: ${ports.length} ports; a responder answers on at most ${MAX_LISTEN_PORTS}`);
  for (const address of flags.bind)
    if (isIP(address) === 0) throw usageError(`--bind: ${echoed(address)} is not an IPv4 or IPv6 address`);
  const identity = flags.identity ?? defaultIdentity();
  if (!isValidIdentity(identity))
    throw usageError(`--identity: ${echoed(identity)} must be 1-64 letters, digits, '.', '-' or '_'`);

  const { token, origin } = await tokenOf(flags.tokenFile, say);
  const responder = await startResponder({ token, identity, ports, bind: flags.bind, log: say });
  for (const refusal of responder.refused)
    say(`not binding ${refusal.protocol}/${refusal.port}: ${refusal.why}`);
  if (responder.bound.length === 0) {
    say('no free port to answer on; nothing was bound');
    return ExitCode.incomplete;
  }
  const until = new Date(Date.now() + durationMs);
  const list = responder.bound.map((p) => `${p.protocol}/${p.port}`).join(', ');
  say(`answering on ${list} as ${identity} for ${formatDuration(durationMs)} (until ${until.toISOString()})`);
  say(`${origin}; token fingerprint ${tokenFingerprint(token).toString('hex')}`);
  if (process.platform === 'win32') {
    say('the Windows Firewall must let these ports in (IIS will need the same rules); if it drops one,');
    say('the probe stays silent there, and that is the finding. Rules, if the change goes ahead:');
    for (const entry of responder.bound)
      for (const rule of windowsFirewallRule(entry.protocol, entry.port)) say(`  ${rule}`);
  }
  await untilDoneOrSignal(durationMs, say);
  await responder.close();
  say(`stopped; ${responder.served()} proof(s) served`);
  return ExitCode.go;
}

async function tokenOf(
  path: string | undefined,
  say: (line: string) => void,
): Promise<{ token: Buffer; origin: string }> {
  if (path !== undefined) {
    const { token, warning } = await readTokenFile(path);
    if (warning) say(`warning: ${warning}`);
    return { token, origin: `token from ${path}` };
  }
  const created = await createTokenFile();
  return {
    token: created.token,
    origin: `new token written to ${created.path} (mode 0600): copy it to the prober, then run check/scan --responder-token-file <copy>`,
  };
}

/** The host name as a proof carries it: lower case, in the identity alphabet. */
function defaultIdentity(): string {
  const name = hostname()
    .toLowerCase()
    .replace(/[^a-z0-9._-]/g, '-')
    .slice(0, 64);
  return name === '' ? 'unnamed-host' : name;
}

/** Resolves when the time is up or on SIGINT/SIGTERM/SIGHUP (Ctrl-C removes the responder early). */
function untilDoneOrSignal(durationMs: number, say: (line: string) => void): Promise<void> {
  return new Promise((resolve) => {
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    const done = () => {
      clearTimeout(timer);
      for (const signal of signals) process.off(signal, onSignal);
      resolve();
    };
    const onSignal = (signal: NodeJS.Signals) => {
      say(`${signal}: stopping`);
      done();
    };
    const timer = setTimeout(() => {
      say('time is up');
      done();
    }, durationMs);
    for (const signal of signals) process.on(signal, onSignal);
  });
}

// Runs inside a test network namespace (`node --import <tsx> harness.ts '<json>'`) and prints one
// JSON document on stdout. Modes:
//   open:   opens and closes a RawProbeEngine → { ok: true } or { error: { name, kind, nextStep } }
//   probe:  raw probes [{ protocol, port, ttl }] to one address → RawReply[]
//   refine: the scan's connect phase (attributed by raw sockets), then its path phase, on `ports`
//           → { connect, refined, refineMs }
import { probeSettingsSchema } from '../../../src/plan/probe-settings-schema.js';
import { DEFAULT_PROBERS } from '../../../src/probes/index.js';
import type { ProbeProtocol, ProbeRecord } from '../../../src/probes/types.js';
import { RawProbeEngine, RawSocketUnavailableError } from '../../../src/probes/raw/index.js';
import { runConnectPhase } from '../../../src/run/connect-phase.js';
import { runPathPhase } from '../../../src/run/extra-phases.js';
import { openRawSession } from '../../../src/run/raw-session.js';

export interface HarnessPort {
  readonly protocol: ProbeProtocol;
  readonly port: number;
  readonly ttl?: number;
}

export type HarnessInput =
  | { readonly mode: 'open' }
  | {
      readonly mode: 'probe';
      readonly address: string;
      readonly probes: readonly HarnessPort[];
      readonly timeoutMs: number;
    }
  | {
      readonly mode: 'refine';
      readonly address: string;
      readonly ports: readonly HarnessPort[];
      readonly timeoutMs: number;
    };

async function main(input: HarnessInput): Promise<unknown> {
  let engine: RawProbeEngine;
  try {
    engine = await RawProbeEngine.open();
  } catch (error) {
    if (!(error instanceof RawSocketUnavailableError)) throw error;
    return {
      error: { name: error.name, kind: error.kind, message: error.message, nextStep: error.nextStep },
    };
  }
  try {
    if (input.mode === 'open') return { ok: true };
    if (input.mode === 'probe') {
      const { address, timeoutMs } = input;
      return await Promise.all(
        input.probes.map(({ protocol, port, ttl = 64 }) =>
          protocol === 'tcp'
            ? engine.sendTcpSyn(address, port, ttl, timeoutMs)
            : engine.sendUdp(address, port, ttl, timeoutMs),
        ),
      );
    }
    return await refine(input);
  } finally {
    engine.close();
  }
}

async function refine(input: Extract<HarnessInput, { mode: 'refine' }>) {
  const settings = probeSettingsSchema.parse({ timeoutMs: input.timeoutMs });
  const opening = await openRawSession(settings);
  if (!('session' in opening)) return { error: { message: opening.unavailable } };
  const raw = opening.session;
  const signal = new AbortController().signal;
  try {
    const requests = input.ports.map(({ protocol, port }) => ({
      target: input.address,
      address: input.address,
      protocol,
      port,
      roles: [],
    }));
    const connect: ProbeRecord[] = await runConnectPhase(requests, {
      settings,
      probers: DEFAULT_PROBERS,
      signal,
      onStarted: () => {},
      onFinished: () => {},
      raw,
      silenceRetries: 0,
    });
    const started = performance.now();
    const { records } = await runPathPhase(connect, settings, signal, raw);
    return { connect, refined: records, refineMs: Math.round(performance.now() - started) };
  } finally {
    raw.close();
  }
}

const started = performance.now();
main(JSON.parse(process.argv[2] ?? '{}') as HarnessInput).then(
  (result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    // No process.exit: if a handle lingered, the run would hang and the test would time out.
    process.stderr.write(`harness done in ${Math.round(performance.now() - started)} ms\n`);
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 70;
  },
);

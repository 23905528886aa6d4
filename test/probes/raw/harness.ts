// Runs inside a test network namespace (`node --import <tsx> harness.ts '<json>'`) and prints one
// JSON document on stdout. Modes:
//   open:   opens and closes a RawProbeEngine → { ok: true } or { error: { name, kind, nextStep } }
//   probe:  raw probes [{ protocol, port, ttl }] to one address → RawReply[]
//   refine: connect-phase probes of `ports`, then refineWithRawProbes → { connect, refined, reference }
import { probeTcpConnect } from '../../../src/probes/tcp-connect.js';
import { probeUdpSocket } from '../../../src/probes/udp-socket.js';
import type { ProbeProtocol, ProbeRecord } from '../../../src/probes/types.js';
import {
  RawProbeEngine,
  RawSocketUnavailableError,
  refineWithRawProbes,
} from '../../../src/probes/raw/index.js';

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
    const { address, timeoutMs } = input;
    const connect: ProbeRecord[] = await Promise.all(
      input.ports.map(({ protocol, port }) => {
        const request = { target: address, address, protocol, port, roles: [] };
        const options = { timeoutMs, udpRetries: 1 };
        return protocol === 'tcp' ? probeTcpConnect(request, options) : probeUdpSocket(request, options);
      }),
    );
    const started = performance.now();
    const { records, reference } = await refineWithRawProbes(engine, connect, {
      timeoutMs,
      ratePerSecond: 200,
      concurrency: 16,
    });
    return { connect, refined: records, reference, refineMs: Math.round(performance.now() - started) };
  } finally {
    engine.close();
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

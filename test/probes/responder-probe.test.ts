// What answers a proof request when no responder does: a TLS server (its certificate), an HTTP
// server (its first bytes). Loopback only.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askResponder } from '../../src/probes/responder-probe.js';

const TOKEN = Buffer.from('p'.repeat(64));
const OPTIONS = { token: TOKEN, timeoutMs: 500, udpRetries: 0 };
const servers: { close(): unknown }[] = [];
const ports = { tls: 0, http: 0 };

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pf-responder-tls-'));
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=proxy.corp.example'].concat(
      ['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
    ),
    { stdio: 'ignore' },
  );
  const tls = createTlsServer(
    { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
    (socket) => socket.end(),
  );
  const http = createHttpServer((_request, response) => response.end());
  for (const [name, server] of [
    ['tls', tls],
    ['http', http],
  ] as const) {
    await new Promise<void>((done) => (server as Server).listen(0, '127.0.0.1', done));
    ports[name] = ((server as Server).address() as AddressInfo).port;
    servers.push(server);
  }
});
afterAll(() => servers.forEach((server) => server.close()));

describe('asking a port where no responder listens', () => {
  it("names a TLS server by its certificate's subject", async () => {
    const answer = await askResponder('127.0.0.1', 'tcp', ports.tls, OPTIONS);
    expect(answer).toMatchObject({
      kind: 'other',
      tlsSubject: 'CN=proxy.corp.example (issuer proxy.corp.example)',
    });
  });

  it("keeps an HTTP server's first bytes", async () => {
    const answer = await askResponder('127.0.0.1', 'tcp', ports.http, OPTIONS);
    expect(answer.kind).toBe('other');
    if (answer.kind === 'other') expect(answer.bytes.toString()).toMatch(/^HTTP\/1\.1 400 Bad Request/);
  });
});

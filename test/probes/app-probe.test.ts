import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingHttpHeaders } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appProbeErrorKind, probeApplication, type AppProbeRequest } from '../../src/probes/app-probe.js';
import { isPossibleInterception, parseSubjectAltNames } from '../../src/probes/tls-details.js';

// Loopback only: every server lives on 127.0.0.1 and is closed after the suite.
const MP_NAME = 'mp01.corp.example';
const request = (port: number, scheme: 'http' | 'https', serverName?: string): AppProbeRequest => ({
  target: MP_NAME,
  address: '127.0.0.1',
  protocol: 'tcp',
  port,
  roles: [scheme === 'https' ? 'candidate-https' : 'candidate-http'],
  scheme,
  ...(serverName ? { serverName } : {}),
});

const dir = mkdtempSync(join(tmpdir(), 'portflight-app-probe-'));
const seenHeaders: IncomingHttpHeaders[] = [];
const seenServerNames: (string | false | null)[] = [];
const heldSockets: Socket[] = [];

const httpServer = createHttpServer((req, res) => {
  seenHeaders.push(req.headers);
  res.setHeader('Server', 'Microsoft-IIS/10.0');
  res.statusCode =
    req.url === '/SMS_MP/.sms_aut?mplist' ? 200 : req.url === '/SMS_MP/.sms_aut?mpcert' ? 403 : 404;
  res.end('<MPList/>');
});
let httpsServer: Server;
const closingServer = createTcpServer((socket) => socket.destroy());
const silentServer = createTcpServer((socket) => void heldSockets.push(socket));
const bannerServer = createTcpServer((socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n'));
// Answers anything with a TLS alert record (handshake failure), as some TLS stacks do to plain text.
const alertServer = createTcpServer((socket) =>
  socket.once('data', () => socket.end(Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28]))),
);
const ports = { http: 0, https: 0, closing: 0, silent: 0, banner: 0, alert: 0 };

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  execFileSync(
    'openssl',
    [
      ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${MP_NAME}`],
      ...[
        '-addext',
        `subjectAltName=DNS:${MP_NAME}`,
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
    ],
    { stdio: 'ignore' },
  );
  httpsServer = createHttpsServer(
    { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
    (req, res) => {
      seenServerNames.push((req.socket as TLSSocket).servername);
      res.statusCode = req.url === '/SMS_MP/.sms_aut?mpcert' ? 403 : 200;
      res.end();
    },
  );
  ports.http = await listen(httpServer);
  ports.https = await listen(httpsServer);
  ports.closing = await listen(closingServer);
  ports.silent = await listen(silentServer);
  ports.banner = await listen(bannerServer);
  ports.alert = await listen(alertServer);
});

afterAll(() => {
  for (const socket of heldSockets) socket.destroy();
  for (const server of [httpServer, httpsServer, closingServer, silentServer, bannerServer, alertServer]) {
    server.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('probeApplication over HTTP', () => {
  it('records status and Server header of each MP health URL, naming the target in Host', async () => {
    const result = await probeApplication(request(ports.http, 'http'), { timeoutMs: 2000 });
    const base = `http://${MP_NAME}:${ports.http}`;
    expect(result).toEqual({
      http: [
        { url: `${base}/SMS_MP/.sms_aut?mplist`, status: 200, server: 'Microsoft-IIS/10.0' },
        { url: `${base}/SMS_MP/.sms_aut?mpcert`, status: 403, server: 'Microsoft-IIS/10.0' },
        { url: `${base}/`, status: 404, server: 'Microsoft-IIS/10.0' },
      ],
      tls: null,
    });
    expect(seenHeaders.map((headers) => headers.host)).toContain(`${MP_NAME}:${ports.http}`);
  });

  it('records a connection closed without an answer, without throwing', async () => {
    const result = await probeApplication(request(ports.closing, 'http'), { timeoutMs: 2000 });
    for (const exchange of result.http) {
      expect(exchange.status).toBeNull();
      // Whether the kernel sends FIN or RST depends on whether the request was already read.
      expect(['connection-closed', 'connection-reset']).toContain(appProbeErrorKind(exchange));
    }
  });

  it('records a timeout when the server accepts but never answers', async () => {
    const started = performance.now();
    const result = await probeApplication(request(ports.silent, 'http'), { timeoutMs: 300 });
    expect(result.http.map((exchange) => exchange.error)).toEqual(
      Array(3).fill('timeout: no HTTP answer within 300 ms'),
    );
    // The three requests run side by side: one timeout, not three.
    expect(performance.now() - started).toBeLessThan(900);
  });

  it('says when the port answers something other than HTTP', async () => {
    const [first] = (await probeApplication(request(ports.banner, 'http'), { timeoutMs: 2000 })).http;
    expect(first).toMatchObject({ status: null, server: null });
    expect(first?.error).toMatch(/^not-http: /);
  });

  it('says when a plain-HTTP request is answered with TLS', async () => {
    const [first] = (await probeApplication(request(ports.alert, 'http'), { timeoutMs: 2000 })).http;
    expect(first?.error).toMatch(/^tls-on-plain-port: .*try https/);
  });

  it('hints at TLS when a TLS-only port drops a plain-HTTP request', async () => {
    const [first] = (await probeApplication(request(ports.https, 'http'), { timeoutMs: 2000 })).http;
    expect(first?.error).toMatch(/^connection-closed: .*try https/);
  });

  it('returns aborted exchanges without connecting once the scan is interrupted', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await probeApplication(request(ports.http, 'http'), {
      timeoutMs: 2000,
      signal: controller.signal,
    });
    expect(result.http.map(appProbeErrorKind)).toEqual(['aborted', 'aborted', 'aborted']);
  });
});

describe('probeApplication over HTTPS', () => {
  it('describes the certificate and handshake of a self-signed MP certificate', async () => {
    const before = Date.now();
    const result = await probeApplication(request(ports.https, 'https'), { timeoutMs: 2000 });
    expect(result.http.map((exchange) => exchange.status)).toEqual([200, 403, 200]);
    expect(result.tls).toMatchObject({
      subject: MP_NAME,
      subjectAltNames: [`DNS:${MP_NAME}`],
      issuer: `CN=${MP_NAME}`,
      nameMatches: true,
      authorized: false,
      authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      possibleInterception: false,
    });
    expect(result.tls?.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(result.tls?.cipher).toEqual(expect.any(String));
    const validFrom = Date.parse(result.tls?.validFrom ?? '');
    const validTo = Date.parse(result.tls?.validTo ?? '');
    expect(validFrom).toBeLessThanOrEqual(before);
    expect(validTo - validFrom).toBe(2 * 24 * 3600 * 1000);
    expect(result.tls?.validTo).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // SNI carries the target name, so IIS can pick the certificate bound to that host name.
    expect(seenServerNames).toContain(MP_NAME);
  });

  it('reports a name mismatch for another server name', async () => {
    const result = await probeApplication(request(ports.https, 'https', 'mp02.corp.example'), {
      timeoutMs: 2000,
    });
    expect(result.tls).toMatchObject({ nameMatches: false, authorized: false });
    expect(result.http[0]?.url).toBe(`https://mp02.corp.example:${ports.https}/SMS_MP/.sms_aut?mplist`);
  });

  it('flags possible interception when the issuer is not the expected one', async () => {
    const probe = (expectedIssuer: string) =>
      probeApplication(request(ports.https, 'https'), { timeoutMs: 2000, expectedIssuer });
    expect((await probe('Contoso Issuing CA')).tls?.possibleInterception).toBe(true);
    expect((await probe('MP01.corp')).tls?.possibleInterception).toBe(false);
  });

  it('says clearly when TLS is spoken to a plain-HTTP port', async () => {
    const result = await probeApplication(request(ports.http, 'https'), { timeoutMs: 2000 });
    expect(result.tls).toBeNull();
    for (const exchange of result.http) {
      expect(exchange.status).toBeNull();
      expect(exchange.error).toMatch(/^not-tls: the port answered in plain text/);
    }
  });

  it('records a timeout when the handshake never completes', async () => {
    const result = await probeApplication(request(ports.silent, 'https'), { timeoutMs: 300 });
    expect(result.tls).toBeNull();
    expect(result.http.map(appProbeErrorKind)).toEqual(['timeout', 'timeout', 'timeout']);
  });
});

describe('certificate helpers', () => {
  it('splits subjectAltName text, keeping quoted values with separators whole', () => {
    expect(parseSubjectAltNames('DNS:mp01.corp.example, IP Address:10.0.0.5, DNS:"a, b.example"')).toEqual([
      'DNS:mp01.corp.example',
      'IP Address:10.0.0.5',
      'DNS:a, b.example',
    ]);
    expect(parseSubjectAltNames(undefined)).toEqual([]);
  });

  it('matches the expected issuer on CN or O, ignoring case', () => {
    const issuer = { CN: 'SMS Issuing', O: 'Contoso', C: '', ST: '', L: '', OU: '' };
    expect(isPossibleInterception(issuer, 'contoso')).toBe(false);
    expect(isPossibleInterception(issuer, 'sms issuing')).toBe(false);
    expect(isPossibleInterception(issuer, 'Zscaler')).toBe(true);
    expect(isPossibleInterception(issuer, undefined)).toBe(false);
  });
});

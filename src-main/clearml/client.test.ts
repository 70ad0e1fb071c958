// The REST client and "Test connection" against real sockets: the test server, a closed port, a
// host that does not resolve, a TLS server with a self-signed certificate, a web server that is not
// ClearML, and a server that never answers.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test-support/fixtures';
import { ClearmlClient, testConnection } from './client';
import { classifyConnectionFailure } from './errors';
import { testClient } from '../../test-support/clearml-server/fixtures';
import { startTestServer, type TestServer } from '../../test-support/clearml-server/server';

const tmp = tempDir('eno-clearml-client-');
let server: TestServer;
const others: Server[] = [];

function listen(s: Server): Promise<string> {
  others.push(s);
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(`127.0.0.1:${(s.address() as AddressInfo).port}`)));
}

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
  for (const s of others) {
    s.closeAllConnections?.();
    s.close();
  }
  tmp.cleanup();
});

const clientFor = (apiServer: string, extra: Partial<ConstructorParameters<typeof ClearmlClient>[0]> = {}) =>
  new ClearmlClient({ apiServer, accessKey: 'K', secretKey: 'S', backoffMs: 10, timeoutMs: 2000, ...extra });

describe('ClearML client', () => {
  it('logs in with HTTP Basic at /auth.login (served in the server\'s newest version), then sends the token as Bearer to /v2.23/<service>.<action>', async () => {
    const client = testClient(server);
    const data = await client.call<{ id: string }>('projects.create', { name: 'client-test' });
    expect(data.id).toMatch(/^[0-9a-f]{32}$/);
    const calls = server.state.calls.slice(-2);
    expect(calls.map((c) => [c.endpoint, c.version])).toEqual([['auth.login', '2.31'], ['projects.create', '2.23']]);
  });

  it('logs in again once when the token is refused, then carries on', async () => {
    const client = testClient(server);
    await client.call('projects.get_all', {});
    server.auth.revokeAll();
    const before = server.state.calls.length;
    await client.call('projects.get_all', {});
    expect(server.state.calls.slice(before).map((c) => `${c.endpoint} ${c.resultCode}`)).toEqual([
      'projects.get_all 401',
      'auth.login 200',
      'projects.get_all 200',
    ]);
  });

  it('surfaces the server message for refused calls and retries 5xx answers with backoff', async () => {
    const client = testClient(server, { retries: 2 });
    await expect(client.call('tasks.create', { name: 'x' })).rejects.toMatchObject({
      code: 'api',
      message: 'ClearML refused tasks.create: Validation error (missing required fields: type)',
    });
    await expect(client.call('tasks.nonsense', {})).rejects.toMatchObject({ message: expect.stringContaining('Unable to find endpoint for name tasks.nonsense') });
    server.faults.failCall('projects.get_all', 1, 502);
    server.faults.failCall('projects.get_all', 2, 500);
    await expect(client.call('projects.get_all', {})).resolves.toBeDefined();
    server.faults.failCall('projects.get_all', 1, 500);
    server.faults.failCall('projects.get_all', 2, 500);
    server.faults.failCall('projects.get_all', 3, 500);
    await expect(client.call('projects.get_all', {})).rejects.toMatchObject({ code: 'server' });
  });

  it('stops waiting at once when cancelled, and times out a silent server', async () => {
    const client = testClient(server, { backoffMs: 60_000, retries: 3 });
    server.faults.failCall('projects.get_all', 1, 503);
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    await expect(client.call('projects.get_all', {}, { signal: controller.signal })).rejects.toMatchObject({ code: 'cancelled' });
    expect(Date.now() - started).toBeLessThan(5000);

    server.faults.delay('projects.get_by_id', 3000);
    const slow = testClient(server, { timeoutMs: 300, retries: 0 });
    await slow.call('projects.get_all', {}); // logged in
    await expect(slow.call('projects.get_by_id', { project: 'x' })).rejects.toMatchObject({ code: 'timeout' });
    server.faults.delay('projects.get_by_id', 0);
  });
});

describe('Test connection', () => {
  it('passes against a ClearML server', async () => {
    expect(await testConnection(testClient(server))).toEqual({ ok: true, value: { apiServer: server.apiUrl } });
  });

  it('names what failed: credentials, refused port, unknown host, certificate, not ClearML, time-out', async () => {
    const failure = async (client: ClearmlClient) => {
      const result = await testConnection(client);
      if (result.ok) throw new Error('expected a failure');
      expect(result.error.message).toMatch(/^[^\n]+$/);
      return result.error;
    };
    expect(await failure(testClient(server, { secretKey: 'wrong' }))).toMatchObject({ code: 'auth', message: expect.stringMatching(/rejected the access key and secret key/) });

    const closed = await listen(createServer());
    others.pop()!.close();
    expect(await failure(clientFor(`http://${closed}`))).toMatchObject({ code: 'refused', message: expect.stringContaining(closed) });

    expect(await failure(clientFor('http://clearml.invalid:8008'))).toMatchObject({ code: 'dns', message: expect.stringContaining('clearml.invalid') });

    const key = join(tmp.dir, 'key.pem');
    const cert = join(tmp.dir, 'cert.pem');
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    const tls = await listen(createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) => res.end('{}')));
    expect(await failure(clientFor(`https://${tls}`))).toMatchObject({ code: 'tls', message: expect.stringMatching(/certificate/) });
    // With certificate checks off (api.verify_certificate: false) the same server is reached, and is not ClearML.
    expect(await failure(clientFor(`https://${tls}`, { verifyCertificate: false }))).toMatchObject({ code: 'not-clearml' });

    const web = await listen(createServer((_req, res) => res.end('<html>router login</html>')));
    expect(await failure(clientFor(`http://${web}`))).toMatchObject({ code: 'not-clearml', message: expect.stringMatching(/not as a ClearML API server/) });
    const json = await listen(createServer((_req, res) => res.end('{"status": "ok"}')));
    expect(await failure(clientFor(`http://${json}`))).toMatchObject({ code: 'not-clearml', message: expect.stringMatching(/no "meta" envelope/) });

    const silent = await listen(createServer(() => undefined));
    expect(await failure(clientFor(`http://${silent}`, { timeoutMs: 300 }))).toMatchObject({ code: 'timeout', message: expect.stringContaining(silent) });
  });

  it('classifies raw socket errors too', () => {
    const err = (code: string) => Object.assign(new Error(code), { code });
    expect(classifyConnectionFailure(err('ENOTFOUND'), 'http://h:8008').code).toBe('dns');
    expect(classifyConnectionFailure(err('ECONNREFUSED'), 'http://h:8008').code).toBe('refused');
    expect(classifyConnectionFailure(err('CERT_HAS_EXPIRED'), 'https://h').code).toBe('tls');
    expect(classifyConnectionFailure(err('ETIMEDOUT'), 'https://h').code).toBe('timeout');
  });
});

// The API version is read from the server at login, as the SDK reads it, not assumed: a server older
// than the client's newest version is spoken to in its own version, a newer one in the client's,
// and one older than the client can work with is refused with both numbers.
import { afterEach, describe, expect, it } from 'vitest';
import { testClient } from '../../test-support/clearml-server/fixtures';
import { startTestServer, type TestServer, type TestServerOptions } from '../../test-support/clearml-server/server';
import { negotiateApiVersion, tokenClaims } from './api-version';
import { testConnection } from './client';
import { findDatasetProject } from './dataset-server';

const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});

async function server(options: TestServerOptions): Promise<TestServer> {
  const s = await startTestServer(options);
  servers.push(s);
  return s;
}

describe('API version', () => {
  it('speaks the highest version both sides know, after logging in without one as the SDK does', async () => {
    const older = await server({ apiVersion: '2.21', serverVersion: '1.7.0' });
    const client = testClient(older);
    expect(await findDatasetProject(client, 'eno', 'corrections')).toBeNull();
    expect(client.apiVersion).toBe('2.21');
    expect(older.state.calls.map((c) => `${c.endpoint}@${c.version}`)).toEqual(['auth.login@2.21', 'projects.get_all@2.21']);

    const newer = await server({ apiVersion: '2.31' });
    const second = testClient(newer);
    expect(await findDatasetProject(second, 'eno', 'corrections')).toBeNull();
    expect(second.apiVersion).toBe('2.23');
    expect(newer.state.calls.filter((c) => c.endpoint !== 'auth.login').map((c) => c.version)).toEqual(['2.23']);
  });

  it('refuses a server older than the oldest version it needs, naming both versions', async () => {
    const old = await server({ apiVersion: '2.13', serverVersion: '1.1.1' });
    const result = await testConnection(testClient(old));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('server-too-old');
    expect(result.error.message).toBe(
      `The ClearML server at ${new URL(old.apiUrl).host} speaks API 2.13 (ClearML Server 1.1.1); eno needs API 2.20 or newer: update the ClearML server.`,
    );
    // Nothing but the login reached it.
    expect(old.state.calls.map((c) => c.endpoint)).toEqual(['auth.login']);
  });

  it('reads the claims the SDK reads, and takes a token without a version as the SDK takes it', () => {
    const token = (payload: object) => `x.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.y`;
    expect(tokenClaims(token({ api_version: '2.31', server_version: '2.0.0', env: 'test' }))).toEqual({ apiVersion: '2.31', serverVersion: '2.0.0', env: 'test' });
    expect(tokenClaims('not a token')).toEqual({ apiVersion: null, serverVersion: null, env: null });
    expect(negotiateApiVersion(tokenClaims(token({ api_version: '2.20' })), 'h')).toBe('2.20');
    expect(negotiateApiVersion(tokenClaims(token({ api_version: '3.0' })), 'h')).toBe('2.23');
    expect(() => negotiateApiVersion(tokenClaims(token({ env: 'prod' })), 'h')).toThrow(/speaks API 2\.2 .*needs API 2\.20/);
    expect(() => negotiateApiVersion(tokenClaims(token({})), 'h')).toThrow(/speaks API 2\.9 /);
  });
});

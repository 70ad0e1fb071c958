// The test server answers like a ClearML server: the real envelope, and malformed requests
// rejected with the real codes (so a client bug shows up here rather than in production).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './server';

let server: TestServer;
let token: string;

beforeAll(async () => {
  server = await startTestServer();
  const basic = Buffer.from(`${server.credentials.accessKey}:${server.credentials.secretKey}`).toString('base64');
  const res = await fetch(`${server.apiUrl}/v2.23/auth.login`, { method: 'POST', headers: { authorization: `Basic ${basic}` } });
  token = ((await res.json()) as { data: { token: string } }).data.token;
});
afterAll(() => server.stop());

async function call(endpoint: string, body: unknown, headers: Record<string, string> = { authorization: `Bearer ${token}` }, version = '2.23') {
  const res = await fetch(`${server.apiUrl}/v${version}/${endpoint}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const json = (await res.json()) as { meta: { result_code: number; result_subcode: number; result_msg: string; endpoint: { name: string } }; data: Record<string, unknown> };
  return { status: res.status, ...json };
}

describe('test server', () => {
  it('answers with the envelope and a JWT carrying the API version the SDK reads', async () => {
    const ok = await call('projects.get_all', {});
    expect(ok.status).toBe(200);
    expect(ok.meta).toMatchObject({ result_code: 200, result_subcode: 0, result_msg: 'OK', endpoint: { name: 'projects.get_all' } });
    expect(ok.data).toEqual({ projects: [] });
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(claims).toMatchObject({ api_version: '2.31', feature_set: 'basic' });
  });

  it('rejects missing required fields, wrong types, unknown endpoints, newer API versions and bad JSON', async () => {
    expect(await call('tasks.create', { name: 'x' })).toMatchObject({ status: 400, meta: { result_code: 400, result_subcode: 11, result_msg: expect.stringMatching(/missing required fields: type/) } });
    expect(await call('models.create', { name: 'm' })).toMatchObject({ status: 400, meta: { result_msg: expect.stringMatching(/uri/) } });
    expect(await call('tasks.get_by_id', { task: 'nope' })).toMatchObject({ status: 400, meta: { result_subcode: 101 } });
    expect(await call('tasks.create', { name: 'x', type: 'nonsense' })).toMatchObject({ status: 400, meta: { result_subcode: 12 } });
    expect(await call('tasks.create', { name: 'x', type: 'training', tags: 'a,b' })).toMatchObject({ status: 200 });
    expect(await call('tasks.create', { name: 'x', type: 'training', tags: [1] })).toMatchObject({ status: 400, meta: { result_subcode: 12 } });
    expect(await call('tasks.frobnicate', {})).toMatchObject({ status: 404, meta: { result_code: 404, result_msg: 'Unable to find endpoint for name tasks.frobnicate and version 2.23' } });
    expect(await call('projects.get_all', {}, undefined, '2.99')).toMatchObject({ status: 400, meta: { result_subcode: 2 } });
    expect(await call('projects.get_all', '{not json')).toMatchObject({ status: 400, meta: { result_subcode: 12 } });
    expect(server.state.unknownEndpoints).toEqual(new Set(['tasks.frobnicate']));
  });

  it('rejects bad credentials and tokens with 401, and enforces the task status machine', async () => {
    expect(await call('projects.get_all', {}, {})).toMatchObject({ status: 401, meta: { result_subcode: 20 } });
    expect(await call('projects.get_all', {}, { authorization: 'Bearer forged.token.here' })).toMatchObject({ status: 401, meta: { result_subcode: 30 } });
    const wrong = Buffer.from(`${server.credentials.accessKey}:nope`).toString('base64');
    expect(await call('auth.login', {}, { authorization: `Basic ${wrong}` })).toMatchObject({ status: 401, meta: { result_subcode: 22 } });

    const { data } = await call('tasks.create', { name: 'lifecycle', type: 'data_processing' });
    const task = data.id as string;
    expect(await call('tasks.completed', { task })).toMatchObject({ status: 400, meta: { result_subcode: 110 } });
    expect(await call('tasks.started', { task })).toMatchObject({ status: 200 });
    expect(await call('tasks.edit', { task, comment: 'x' })).toMatchObject({ status: 400, meta: { result_subcode: 110 } });
    expect(await call('tasks.edit', { task, comment: 'x', force: true })).toMatchObject({ status: 200 });
    expect(await call('tasks.add_or_update_artifacts', { task, artifacts: [{ key: 'a' }], force: true })).toMatchObject({ status: 400, meta: { result_subcode: 11 } });
    expect(await call('tasks.completed', { task })).toMatchObject({ status: 200 });
    expect(await call('tasks.edit', { task, comment: 'y', force: true })).toMatchObject({ status: 400 });
  });

  it('stores multipart uploads under the field name and serves them back', async () => {
    const form = new FormData();
    form.append('eno/some task.abc/artifacts/x/file.bin', new Blob([Buffer.from('payload')]), 'eno/some task.abc/artifacts/x/file.bin');
    const res = await fetch(`${server.filesUrl}/`, { method: 'POST', body: form, headers: { authorization: `Bearer ${token}` } });
    expect(await res.json()).toEqual(['eno/some task.abc/artifacts/x/file.bin']);
    const back = await fetch(`${server.filesUrl}/eno/some%20task.abc/artifacts/x/file.bin`, { headers: { authorization: `Bearer ${token}` } });
    expect(await back.text()).toBe('payload');
    expect((await fetch(`${server.filesUrl}/eno/missing`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(404);
    expect((await fetch(`${server.filesUrl}/eno/some%20task.abc/artifacts/x/file.bin`)).status).toBe(401);
  });
});

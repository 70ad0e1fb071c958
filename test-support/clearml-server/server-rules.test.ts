// The test server keeps the rules of a real ClearML server that clients trip over: the watchdog that
// stops silent tasks, the status rules of every call a dataset upload uses, archiving that stops a
// running task, pages capped at 500, unique project names, API versions, hidden objects by id.
import { afterEach, describe, expect, it } from 'vitest';
import type { JsonObject } from './api-error';
import { tagsMatch } from './query';
import { startTestServer, type TestServer, type TestServerOptions } from './server';

const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});

interface Answer {
  status: number;
  meta: { result_code: number; result_subcode: number; result_msg: string; endpoint: { requested_version: string; actual_version: string | null } };
  data: JsonObject;
}

async function open(options: TestServerOptions = {}) {
  const server = await startTestServer(options);
  servers.push(server);
  const basic = Buffer.from(`${server.credentials.accessKey}:${server.credentials.secretKey}`).toString('base64');
  const login = await fetch(`${server.apiUrl}/auth.login`, { method: 'POST', headers: { authorization: `Basic ${basic}` } });
  const token = ((await login.json()) as { data: { token: string } }).data.token;
  const call = async (endpoint: string, body: object = {}, version: string | null = '2.20'): Promise<Answer> => {
    const res = await fetch(`${server.apiUrl}${version ? `/v${version}` : ''}/${endpoint}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    return { status: res.status, ...((await res.json()) as Omit<Answer, 'status'>) };
  };
  const task = async (status: 'created' | 'in_progress' | 'stopped'): Promise<string> => {
    const id = (await call('tasks.create', { name: 'a version', type: 'data_processing' })).data.id as string;
    if (status !== 'created') await call('tasks.started', { task: id });
    if (status === 'stopped') await call('tasks.stopped', { task: id });
    return id;
  };
  return { server, call, task, token };
}

const claims = (token: string): Record<string, unknown> => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

describe('test server: rules of a real ClearML server', () => {
  it('stops a running task nobody pinged for the watchdog threshold, "Forced stop (non-responsive)"', async () => {
    const { server, call, task } = await open();
    const TWO_HOURS = 2 * 60 * 60 * 1000;
    const silence = (id: string): void => {
      server.state.tasks.get(id)!.last_update = new Date(Date.now() - TWO_HOURS - 60_000).toISOString();
    };
    const silent = await task('in_progress');
    const draft = await task('created');
    const pinged = await task('in_progress');
    silence(silent);
    silence(draft);
    expect(server.stopNonResponsive(TWO_HOURS)).toBe(1);
    expect(server.state.tasks.get(silent)).toMatchObject({ status: 'stopped', status_reason: 'Forced stop (non-responsive)', status_message: 'Forced stop (non-responsive)' });
    expect(server.state.tasks.get(draft)!.status).toBe('created');
    expect(server.state.tasks.get(pinged)!.status).toBe('in_progress');
    // A ping counts as activity; editing only the "properties" parameters does not.
    silence(pinged);
    await call('tasks.ping', { task: pinged });
    expect(server.stopNonResponsive(TWO_HOURS)).toBe(0);
    silence(pinged);
    await call('tasks.edit_hyper_params', { task: pinged, hyperparams: [{ section: 'Properties', name: 'version', value: '1.0.0' }] });
    expect(server.stopNonResponsive(TWO_HOURS)).toBe(1);
  });

  it('runs the watchdog on its own when given a threshold', async () => {
    const { server, task } = await open({ watchdog: { thresholdMs: 50, intervalMs: 10 } });
    const id = await task('in_progress');
    for (let i = 0; i < 500 && server.state.tasks.get(id)!.status !== 'stopped'; i++) await new Promise((r) => setTimeout(r, 10));
    expect(server.state.tasks.get(id)!.status).toBe('stopped');
  });

  it('refuses changes to a stopped task except starting, completing and "properties", as a real server does', async () => {
    const { call, task } = await open();
    const stopped = await task('stopped');
    const refused = { status: 400, meta: { result_subcode: 110 } };
    expect(await call('tasks.edit', { task: stopped, force: true, runtime: { a: 1 } })).toMatchObject(refused);
    expect(await call('tasks.add_or_update_artifacts', { task: stopped, artifacts: [{ key: 'data', type: 'custom' }] })).toMatchObject(refused);
    expect(await call('tasks.delete_artifacts', { task: stopped, artifacts: [{ key: 'data' }] })).toMatchObject(refused);
    expect(await call('tasks.edit_configuration', { task: stopped, force: true, configuration: [{ name: 'x', value: 'y' }] })).toMatchObject(refused);
    expect(await call('tasks.edit_hyper_params', { task: stopped, force: true, hyperparams: [{ section: 'General', name: 'x', value: '1' }] })).toMatchObject(refused);
    expect(await call('tasks.edit_hyper_params', { task: stopped, hyperparams: [{ section: 'properties', name: 'version', value: '1' }] })).toMatchObject({ status: 200 });
    expect(await call('tasks.completed', { task: stopped })).toMatchObject({ status: 200 });
    const other = await task('stopped');
    expect(await call('tasks.started', { task: other })).toMatchObject({ status: 200 });
    expect(await call('tasks.add_or_update_artifacts', { task: other, artifacts: [{ key: 'data', type: 'custom' }] })).toMatchObject({ status: 200 });
    const draft = await task('created');
    expect(await call('tasks.completed', { task: draft })).toMatchObject({ status: 400, meta: { result_subcode: 110 } });
    expect(await call('tasks.delete', { task: stopped })).toMatchObject({ status: 400, meta: { result_subcode: 123 } });
    expect(await call('tasks.delete', { task: draft })).toMatchObject({ status: 200 });
  });

  it('archiving a running task stops it; archiving leaves last_update alone otherwise', async () => {
    const { server, call, task } = await open();
    const running = await task('in_progress');
    const draft = await task('created');
    const before = server.state.tasks.get(draft)!.last_update;
    expect(await call('tasks.archive', { tasks: [running, draft] })).toMatchObject({ status: 200, data: { archived: 2 } });
    expect(server.state.tasks.get(running)).toMatchObject({ status: 'stopped', system_tags: ['archived'] });
    expect(server.state.tasks.get(draft)).toMatchObject({ status: 'created', system_tags: ['archived'], last_update: before });
    expect(await call('tasks.ping', { task: running })).toMatchObject({ status: 200 });
    expect(await call('tasks.add_or_update_artifacts', { task: running, artifacts: [{ key: 'data', type: 'custom' }] })).toMatchObject({ status: 400, meta: { result_subcode: 110 } });
  });

  it('answers at most 500 objects a page, also unasked, and orders pages by id after the requested order', async () => {
    const { server, call } = await open();
    for (let i = 0; i < 520; i++) server.state.ensureProject(`bulk/p${String(i).padStart(3, '0')}`, { description: i % 2 ? 'odd' : 'even' });
    const names = (answer: Answer) => (answer.data.projects as Array<{ name: string }>).map((p) => p.name);
    expect(names(await call('projects.get_all', { name: '^bulk/' }))).toHaveLength(500);
    expect(names(await call('projects.get_all', { name: '^bulk/', page: 0, page_size: 1000 }))).toHaveLength(500);
    const first = await call('projects.get_all', { name: '^bulk/', order_by: ['description'], page: 0, page_size: 500 });
    const second = await call('projects.get_all', { name: '^bulk/', order_by: ['description'], page: 1, page_size: 500 });
    expect(names(second)).toHaveLength(20);
    expect(new Set([...names(first), ...names(second)]).size).toBe(520);
    expect(await call('projects.get_all', { page_size: 0 })).toMatchObject({ status: 400, meta: { result_subcode: 12 } });
  });

  it('refuses a second project of the same name with 400, also when another client got there first', async () => {
    const { server, call } = await open();
    expect(await call('projects.create', { name: 'eno/.datasets' })).toMatchObject({ status: 200 });
    expect(await call('projects.create', { name: 'eno/.datasets' })).toMatchObject({ status: 400, meta: { result_code: 400, result_subcode: 801 } });
    server.faults.beforeCall('projects.create', (state) => state.ensureProject('raced'));
    expect(await call('projects.create', { name: 'raced' })).toMatchObject({ status: 400, meta: { result_subcode: 801 } });
  });

  it('speaks the API versions it was given: token claim, newest by default, older ones refused above', async () => {
    const { call, token } = await open({ apiVersion: '2.20', serverVersion: '1.6.0' });
    expect(claims(token)).toMatchObject({ api_version: '2.20', server_version: '1.6.0' });
    expect(await call('projects.get_all', {}, null)).toMatchObject({ status: 200, meta: { endpoint: { requested_version: '2.20' } } });
    expect(await call('projects.get_all', {}, '2.23')).toMatchObject({ status: 400, meta: { result_subcode: 2, result_msg: 'Invalid API version (max. supported version is 2.20)' } });
    expect(await call('tasks.add_or_update_artifacts', { task: 'x', artifacts: [] }, '2.9')).toMatchObject({ status: 404 });
    expect(await call('server.info', {})).toMatchObject({ data: { api_version: '2.20', version: '1.6.0' } });
  });

  it('serves the same files at a second address when asked, as a server reachable directly and through a proxy', async () => {
    const { server, token } = await open({ filesAlias: true });
    const form = new FormData();
    form.append('eno/x/state.json', new Blob([Buffer.from('{}')]), 'eno/x/state.json');
    await fetch(`${server.filesUrl}/`, { method: 'POST', body: form, headers: { authorization: `Bearer ${token}` } });
    const back = await fetch(`${server.filesAliasUrl!}/eno/x/state.json`, { headers: { authorization: `Bearer ${token}` } });
    expect(await back.text()).toBe('{}');
    expect((await fetch(`${server.filesAliasUrl!}/eno/x/state.json`)).status).toBe(401);
  });

  it('finds hidden tasks by id without search_hidden, and reads "-tag" as a tag once an operator came first', async () => {
    const { call } = await open();
    const id = (await call('tasks.create', { name: 'hidden one', type: 'data_processing', system_tags: ['hidden'] })).data.id as string;
    expect((await call('tasks.get_all', { name: 'hidden one' })).data.tasks).toEqual([]);
    expect((await call('tasks.get_all', { id: [id], only_fields: ['id'] })).data.tasks).toEqual([{ id }]);
    expect(tagsMatch(['a', 'b'], ['-b'])).toBe(false);
    expect(tagsMatch(['a', 'b'], ['__$all', 'a', '-b'])).toBe(false);
    expect(tagsMatch(['a', '-b'], ['__$all', 'a', '-b'])).toBe(true);
    expect(tagsMatch(['dataset'], ['__$all', 'dataset', '__$not', 'archived'])).toBe(true);
    expect(tagsMatch(['dataset', 'archived'], ['__$all', 'dataset', '__$not', 'archived'])).toBe(false);
    expect(tagsMatch(['x'], ['__$any', 'a', '__$not', 'b'])).toBe(true);
  });
});

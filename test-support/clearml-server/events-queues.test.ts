// The events and queues the trainer needs, answered as the real server answers: a "default" queue
// from the start, enqueueing with its status changes, popping and dequeueing; events stored per
// task with last_metrics kept, bad events counted, and read back as series and plots.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClient } from './fixtures';
import { startTestServer, type TestServer } from './server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const call = <T>(endpoint: string, body: Record<string, unknown>) => testClient(server).call<T>(endpoint, body);

/** events.add_batch as the SDK sends it: one JSON event per line. */
async function addBatch(events: readonly Record<string, unknown>[]): Promise<{ added: number; errors: number; errors_info: Record<string, number> }> {
  const basic = Buffer.from(`${server.credentials.accessKey}:${server.credentials.secretKey}`).toString('base64');
  const login = await fetch(`${server.apiUrl}/v2.23/auth.login`, { method: 'POST', headers: { authorization: `Basic ${basic}` } });
  const token = ((await login.json()) as { data: { token: string } }).data.token;
  const res = await fetch(`${server.apiUrl}/v2.23/events.add_batch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json-lines' },
    body: events.map((e) => JSON.stringify(e)).join('\n'),
  });
  return ((await res.json()) as { data: { added: number; errors: number; errors_info: Record<string, number> } }).data;
}

async function newTask(): Promise<string> {
  return (await call<{ id: string }>('tasks.create', { name: 'train', type: 'training' })).id;
}

describe('queues', () => {
  it('has a default queue, enqueues from created, pops in order and dequeues back to created', async () => {
    const { queues } = await call<{ queues: Array<{ id: string; name: string; system_tags: string[] }> }>('queues.get_all', { name: '^default$' });
    expect(queues).toHaveLength(1);
    expect(queues[0]).toMatchObject({ name: 'default', system_tags: ['default'] });
    expect(await call('queues.get_default', {})).toEqual({ id: queues[0]!.id, name: 'default' });
    await expect(call('queues.create', { name: 'default' })).rejects.toThrow(/already exists/);

    const [a, b] = [await newTask(), await newTask()];
    const queued = await call<{ queued: number; fields: Record<string, unknown> }>('tasks.enqueue', { task: a, queue: queues[0]!.id });
    expect(queued).toMatchObject({ queued: 1, fields: { status: 'queued', 'execution.queue': queues[0]!.id } });
    await expect(call('tasks.enqueue', { task: a, queue: queues[0]!.id })).rejects.toThrow(/Invalid task status/);
    await call('tasks.enqueue', { task: b, queue_name: 'gpu' });
    const gpu = (await call<{ queues: Array<{ id: string; entries: Array<{ task: string }> }> }>('queues.get_all', { name: '^gpu$' })).queues[0]!;
    expect(gpu.entries.map((e) => e.task)).toEqual([b]);

    expect(await call('queues.get_next_task', { queue: queues[0]!.id })).toMatchObject({ entry: { task: a } });
    expect(await call('queues.get_next_task', { queue: queues[0]!.id })).toEqual({});
    await call('tasks.dequeue', { task: b });
    expect((await call<{ task: { status: string } }>('tasks.get_by_id', { task: b })).task.status).toBe('created');
    await call('tasks.started', { task: b });
    await expect(call('tasks.enqueue', { task: b })).rejects.toThrow(/current_status=in_progress/);
    await call('tasks.stopped', { task: b });
    expect(await call('tasks.enqueue', { task: b })).toMatchObject({ queued: 1 });
  });
});

describe('events', () => {
  it('keeps scalars, plots and log lines per task, with last_metrics, and counts bad events', async () => {
    const task = await newTask();
    const scalar = (iter: number, value: number) => ({ task, type: 'training_stats_scalar', metric: 'loss', variant: 'val', iter, value });
    const added = await addBatch([
        scalar(1, 0.9),
        scalar(2, 0.4),
        scalar(3, 0.6),
        { task, type: 'plot', metric: 'validation metrics per tag', variant: 'new head', iter: 0, plot_str: '{"data":[]}' },
        { task, type: 'log', msg: 'training 1 tag(s)', level: 'info' },
        { task: 'nope', type: 'log', msg: 'x' },
        { task, type: 'training_stats_scalar', metric: 'loss', variant: 'val', value: 'NaN' },
    ]);
    expect(added).toMatchObject({ added: 5, errors: 2 });
    expect(Object.keys(added.errors_info)).toEqual(['Invalid task id (id=nope)', 'Scalar event value must be a number']);
    const { task: doc } = await call<{ task: { last_iteration: number; last_metrics: Record<string, Record<string, Record<string, unknown>>> } }>('tasks.get_by_id', { task });
    expect(doc.last_iteration).toBe(3);
    const loss = Object.values(Object.values(doc.last_metrics)[0]!)[0]!;
    expect(loss).toMatchObject({ metric: 'loss', variant: 'val', value: 0.6, min_value: 0.4, min_value_iteration: 2, max_value: 0.9, max_value_iteration: 1 });
    expect(await call('events.scalar_metrics_iter_histogram', { task })).toEqual({ loss: { val: { name: 'val', x: [1, 2, 3], y: [0.9, 0.4, 0.6] } } });
    const plots = await call<{ plots: Array<{ metric: string }> }>('events.get_task_plots', { task });
    expect(plots.plots.map((p) => p.metric)).toEqual(['validation metrics per tag']);
    const log = await call<{ events: Array<{ msg: string }> }>('events.get_task_log', { task });
    expect(log.events.map((e) => e.msg)).toEqual(['training 1 tag(s)']);
  });
});

// queues.* and tasks.enqueue/dequeue of the test server: execution queues as the real server keeps
// them (a "default" queue exists from the start, with system tag "default"), and the task status
// changes that enqueueing makes (queued from created, stopped or failed; back on dequeue).
import { ApiError, isObject, optBool, optString, optStrings, reqString, type Json, type JsonObject } from './api-error';
import type { HandlerTable } from './handler';
import { filterDocs, shapeResults } from './query';
import { clone, TEST_IDENTITY, type ServerState } from './state';

/** Statuses a task may be enqueued from (the real server's state machine, without force). */
const ENQUEUE_FROM = ['created', 'stopped', 'failed'];

const stores = new WeakMap<ServerState, Map<string, JsonObject>>();

/** The queues of a server state, with the default queue the real server creates at start-up. */
export function queuesOf(state: ServerState): Map<string, JsonObject> {
  let queues = stores.get(state);
  if (!queues) {
    queues = new Map();
    stores.set(state, queues);
    createQueue(state, queues, 'default', ['default']);
  }
  return queues;
}

function createQueue(state: ServerState, queues: Map<string, JsonObject>, name: string, systemTags: string[] = [], tags: string[] = []): JsonObject {
  const now = state.now();
  const queue: JsonObject = {
    id: state.newId(),
    name,
    created: now,
    last_update: now,
    tags,
    system_tags: systemTags,
    entries: [],
    metadata: {},
    company: TEST_IDENTITY.company,
    user: TEST_IDENTITY.user,
  };
  queues.set(queue.id as string, queue);
  return queue;
}

function queueById(state: ServerState, id: string): JsonObject {
  const queue = queuesOf(state).get(id);
  if (!queue) throw new ApiError(400, 701, `Invalid queue id (id=${id})`);
  return queue;
}

function defaultQueue(state: ServerState): JsonObject {
  const found = [...queuesOf(state).values()].filter((q) => Array.isArray(q.system_tags) && q.system_tags.includes('default'));
  if (found.length === 0) throw new ApiError(400, 707, 'No queue is tagged as the default queue for this company');
  if (found.length > 1) throw new ApiError(400, 708, 'More than one queue is tagged as the default queue for this company');
  return found[0]!;
}

function entriesOf(queue: JsonObject): JsonObject[] {
  return (Array.isArray(queue.entries) ? queue.entries : []) as JsonObject[];
}

function setStatus(state: ServerState, task: JsonObject, status: string, body: JsonObject, extra: JsonObject = {}): JsonObject {
  const now = state.now();
  const fields: JsonObject = {
    status,
    status_reason: optString(body, 'status_reason') ?? '',
    status_message: optString(body, 'status_message') ?? '',
    status_changed: now,
    last_update: now,
    ...extra,
  };
  Object.assign(task, fields);
  return fields;
}

function resolveQueue(state: ServerState, body: JsonObject): JsonObject {
  const id = optString(body, 'queue');
  const name = optString(body, 'queue_name');
  if (id && name) throw new ApiError(400, 12, 'Validation error (Either queue id or queue name should be provided)');
  if (name) {
    const queues = queuesOf(state);
    return [...queues.values()].find((q) => q.name === name) ?? createQueue(state, queues, name);
  }
  return id ? queueById(state, id) : defaultQueue(state);
}

export const queueHandlers: HandlerTable = {
  'queues.create': (body, { state }) => {
    const name = reqString(body, 'name').trim();
    if (!name) throw new ApiError(400, 12, 'Validation error (queue name is empty)');
    const queues = queuesOf(state);
    if ([...queues.values()].some((q) => q.name === name)) throw new ApiError(400, 801, `Value combination already exists (unique queue name: ${name})`);
    return { id: createQueue(state, queues, name, optStrings(body, 'system_tags') ?? [], optStrings(body, 'tags') ?? []).id as string };
  },

  'queues.get_all': (body, { state }) => ({ queues: shapeResults(filterDocs(queuesOf(state).values(), body, []), body) }),

  'queues.get_by_id': (body, { state }) => ({ queue: clone(queueById(state, reqString(body, 'queue'))) }),

  'queues.get_default': (_body, { state }) => {
    const queue = defaultQueue(state);
    return { id: queue.id as string, name: queue.name as string };
  },

  'queues.get_next_task': (body, { state }) => {
    const queue = queueById(state, reqString(body, 'queue'));
    const entry = entriesOf(queue).shift();
    queue.last_update = state.now();
    const data: JsonObject = entry ? { entry: clone(entry) } : {};
    return data;
  },

  'queues.remove_task': (body, { state }) => {
    const queue = queueById(state, reqString(body, 'queue'));
    const task = reqString(body, 'task');
    const before = entriesOf(queue).length;
    queue.entries = entriesOf(queue).filter((e) => e.task !== task);
    if (entriesOf(queue).length === before) throw new ApiError(400, 703, `Invalid queue id or task not in queue (queue=${String(queue.id)}, task=${task})`);
    return { removed: before - entriesOf(queue).length };
  },

  'tasks.enqueue': (body, { state }) => {
    const task = state.task(reqString(body, 'task'));
    const queue = resolveQueue(state, body);
    const current = String(task.status);
    if (!optBool(body, 'force') && !ENQUEUE_FROM.includes(current)) {
      throw new ApiError(400, 110, `Invalid task status (Invalid status change: current_status=${current}, new_status=queued)`);
    }
    if (entriesOf(queue).some((e) => e.task === task.id)) throw new ApiError(400, 706, `Task already queued (task=${String(task.id)})`);
    const systemTags = (Array.isArray(task.system_tags) ? task.system_tags : []).filter((t) => t !== 'development');
    const fields = setStatus(state, task, 'queued', body, { enqueue_status: current, system_tags: systemTags as Json[] });
    entriesOf(queue).push({ task: task.id as string, added: state.now() });
    queue.entries = entriesOf(queue);
    task.execution = { ...(isObject(task.execution) ? task.execution : {}), queue: queue.id as string };
    return { queued: 1, updated: 1, fields: { ...fields, 'execution.queue': queue.id as string } };
  },

  'tasks.dequeue': (body, { state }) => {
    const task = state.task(reqString(body, 'task'));
    if (task.status !== 'queued') throw new ApiError(400, 110, `Invalid task status (task is not queued, status=${String(task.status)})`);
    for (const queue of queuesOf(state).values()) queue.entries = entriesOf(queue).filter((e) => e.task !== task.id);
    const back = typeof task.enqueue_status === 'string' && task.enqueue_status !== 'queued' ? task.enqueue_status : 'created';
    const fields = setStatus(state, task, back, body, { enqueue_status: null });
    return { dequeued: 1, updated: 1, fields };
  },
};

// tasks.* endpoints of the test server: creation, editing, the status state machine of the real
// server, artifacts, hyper-parameters and configuration objects.
import {
  ApiError,
  isObject,
  optBool,
  optObjects,
  optString,
  optStrings,
  reqString,
  requireFields,
  type Json,
  type JsonObject,
} from './api-error';
import type { HandlerTable } from './handler';
import { filterDocs, shapeResults } from './query';
import { clone, TEST_IDENTITY, type ServerState } from './state';

const TASK_TYPES = [
  'training', 'testing', 'inference', 'data_processing', 'application', 'monitor', 'controller',
  'optimizer', 'service', 'qc', 'custom',
];

const EDITABLE = [
  'name', 'type', 'comment', 'tags', 'system_tags', 'project', 'parent', 'input', 'execution', 'script',
  'hyperparams', 'configuration', 'models', 'container', 'runtime',
] as const;

/** Allowed status changes: the state machine of the server (apiserver/bll/task/utils.py). */
const TRANSITIONS: Readonly<Record<string, readonly string[]>> = {
  created: ['queued', 'in_progress'],
  queued: ['created', 'in_progress', 'stopped'],
  in_progress: ['stopped', 'failed', 'created', 'completed'],
  stopped: ['closed', 'created', 'failed', 'queued', 'in_progress', 'published', 'publishing', 'completed'],
  closed: ['created', 'failed', 'published', 'publishing', 'stopped'],
  failed: ['created', 'stopped', 'published', 'queued'],
  publishing: ['published'],
  published: [],
  completed: ['published', 'in_progress', 'created'],
};

/** Fields whose edit leaves last_update alone (the server's `user_set_allowed` task fields). */
const USER_SET_ALLOWED = new Set(['name', 'status_message', 'comment', 'created', 'project', 'tags', 'system_tags']);

function validateFields(body: JsonObject, state: ServerState): void {
  const type = optString(body, 'type');
  if (type !== undefined && !TASK_TYPES.includes(type)) throw new ApiError(400, 12, `Validation error (invalid task type: ${type})`);
  optStrings(body, 'tags');
  optStrings(body, 'system_tags');
  const project = optString(body, 'project');
  if (project) state.project(project);
}

/**
 * Only drafts may be changed; with force, running tasks too (the server's get_task_for_update).
 * Artifacts, models and non-"properties" parameters always pass force, so a stopped task refuses them.
 */
function taskForUpdate(state: ServerState, body: JsonObject, force = optBool(body, 'force') ?? false): JsonObject {
  const task = state.task(reqString(body, 'task'));
  const allowed = force ? ['created', 'in_progress'] : ['created'];
  if (!allowed.includes(task.status as string)) {
    throw new ApiError(400, 110, `Invalid task status (expected=created, status=${String(task.status)})`);
  }
  return task;
}

function changeStatus(state: ServerState, body: JsonObject, next: string, extra: JsonObject = {}): JsonObject {
  const task = state.task(reqString(body, 'task'));
  const current = task.status as string;
  const force = optBool(body, 'force') ?? false;
  if (!force && current !== next && !(TRANSITIONS[current] ?? []).includes(next)) {
    throw new ApiError(400, 110, `Invalid task status (Invalid status change: current_status=${current}, new_status=${next})`);
  }
  const now = state.now();
  const fields: JsonObject = {
    status: next,
    status_reason: optString(body, 'status_reason') ?? '',
    status_message: optString(body, 'status_message') ?? '',
    status_changed: now,
    last_update: now,
    ...extra,
  };
  Object.assign(task, fields);
  return { updated: 1, fields };
}

function publish(state: ServerState, task: JsonObject): void {
  const now = state.now();
  Object.assign(task, { status: 'published', published: now, status_changed: now, last_update: now });
  const models = isObject(task.models) && Array.isArray(task.models.output) ? task.models.output : [];
  for (const entry of models) {
    const model = isObject(entry) && typeof entry.model === 'string' ? state.models.get(entry.model) : undefined;
    if (model) Object.assign(model, { ready: true, last_update: now });
  }
}

function artifactsOf(task: JsonObject): JsonObject[] {
  if (!isObject(task.execution)) task.execution = {};
  const execution = task.execution as JsonObject;
  if (!Array.isArray(execution.artifacts)) execution.artifacts = [];
  return execution.artifacts as JsonObject[];
}

export const taskHandlers: HandlerTable = {
  'tasks.create': (body, { state }) => {
    requireFields(body, ['name', 'type']);
    validateFields(body, state);
    const now = state.now();
    // The server fills embedded documents with their defaults; the SDK relies on script and execution.
    const task: JsonObject = {
      id: state.newId(),
      status: 'created',
      status_reason: '',
      status_message: '',
      script: { binary: 'python' },
      execution: { artifacts: [] },
      models: { input: [], output: [] },
      hyperparams: {},
      configuration: {},
      runtime: {},
      tags: [],
      system_tags: [],
    };
    for (const key of EDITABLE) if (body[key] !== undefined) task[key] = clone(body[key]!);
    const outputDest = optString(body, 'output_dest');
    Object.assign(task, {
      output: outputDest ? { destination: outputDest } : {},
      user: TEST_IDENTITY.user,
      company: TEST_IDENTITY.company,
      created: now,
      last_update: now,
      last_change: now,
      status_changed: now,
      last_iteration: 0,
    });
    state.tasks.set(task.id as string, task);
    return { id: task.id as string };
  },

  'tasks.edit': (body, { state }) => {
    const task = taskForUpdate(state, body);
    validateFields(body, state);
    const fields: JsonObject = {};
    for (const key of EDITABLE) if (body[key] !== undefined) fields[key] = clone(body[key]!);
    const outputDest = optString(body, 'output_dest');
    if (outputDest !== undefined) fields.output = { ...(isObject(task.output) ? task.output : {}), destination: outputDest };
    const now = state.now();
    const touchesRun = Object.keys(fields).some((key) => !USER_SET_ALLOWED.has(key));
    Object.assign(task, fields, touchesRun ? { last_update: now, last_change: now } : { last_change: now });
    return { updated: 1, fields };
  },

  'tasks.update': (body, { state }) => {
    const task = state.task(reqString(body, 'task'));
    validateFields(body, state);
    const fields: JsonObject = {};
    for (const key of ['name', 'comment', 'tags', 'system_tags', 'project', 'output__error']) {
      if (body[key] !== undefined) fields[key] = clone(body[key]!);
    }
    Object.assign(task, fields, { last_update: state.now() });
    return { updated: 1, fields };
  },

  'tasks.get_by_id': (body, { state }) => ({ task: clone(state.task(reqString(body, 'task'))) }),

  'tasks.get_all': (body, { state }) => {
    const found = filterDocs(state.tasks.values(), body, ['project', 'status', 'type', 'parent', 'user']);
    return { tasks: shapeResults(found, body) };
  },

  'tasks.started': (body, { state }) => {
    const task = state.task(reqString(body, 'task'));
    const result = changeStatus(state, body, 'in_progress', task.started ? {} : { started: state.now() });
    return { ...result, started: 1 };
  },
  'tasks.stopped': (body, { state }) => changeStatus(state, body, 'stopped', { completed: state.now() }),
  'tasks.failed': (body, { state }) => changeStatus(state, body, 'failed'),
  'tasks.close': (body, { state }) => changeStatus(state, body, 'closed'),
  'tasks.reset': (body, { state }) => changeStatus(state, body, 'created', { started: null, completed: null }),
  'tasks.completed': (body, { state }) => {
    const result = changeStatus(state, body, 'completed', { completed: state.now() });
    if (optBool(body, 'publish')) publish(state, state.task(body.task as string));
    return result;
  },
  'tasks.publish': (body, { state }) => {
    const task = state.task(reqString(body, 'task'));
    changeStatus(state, body, 'published');
    publish(state, task);
    return { updated: 1, fields: { status: 'published' } };
  },

  'tasks.ping': (body, { state }) => {
    state.task(reqString(body, 'task')).last_update = state.now();
    return {};
  },

  // Archiving dequeues a task and stops it if it runs (apiserver/bll/task/task_operations.py), then
  // tags it; last_update moves only with the status.
  'tasks.archive': (body, { state }) => {
    requireFields(body, ['tasks']);
    const ids = optStrings(body, 'tasks')!;
    const tasks = ids.map((id) => state.task(id));
    const reason = optString(body, 'status_reason') ?? '';
    const message = optString(body, 'status_message') ?? '';
    for (const task of tasks) {
      const now = state.now();
      if (task.status === 'in_progress' || task.status === 'queued') {
        const next = task.status === 'in_progress' ? 'stopped' : 'created';
        Object.assign(task, { status: next, status_changed: now, last_update: now });
      }
      const tags = Array.isArray(task.system_tags) ? (task.system_tags as Json[]) : [];
      if (!tags.includes('archived')) task.system_tags = [...tags, 'archived'];
      Object.assign(task, { status_reason: reason, status_message: message, last_change: now });
    }
    return { archived: ids.length };
  },

  'tasks.delete': (body, { state }) => {
    const task = state.task(reqString(body, 'task'));
    const archived = Array.isArray(task.system_tags) && task.system_tags.includes('archived');
    if (task.status !== 'created' && !archived && !optBool(body, 'force')) {
      throw new ApiError(400, 123, `Task cannot be deleted (due to status, use force=True, task=${String(task.id)}, expected=created, current=${String(task.status)})`);
    }
    state.tasks.delete(task.id as string);
    return { deleted: true };
  },

  'tasks.add_or_update_artifacts': (body, { state }) => {
    const task = taskForUpdate(state, body, true);
    requireFields(body, ['artifacts']);
    const incoming = optObjects(body, 'artifacts')!;
    for (const artifact of incoming) requireFields(artifact, ['key', 'type']);
    const list = artifactsOf(task);
    for (const artifact of incoming) {
      const mode = (artifact.mode as string | undefined) ?? 'output';
      const index = list.findIndex((a) => a.key === artifact.key && (a.mode ?? 'output') === mode);
      const stored = { ...clone(artifact), mode };
      if (index >= 0) list[index] = stored;
      else list.push(stored);
    }
    task.last_update = state.now();
    return { updated: incoming.length };
  },

  'tasks.delete_artifacts': (body, { state }) => {
    const task = taskForUpdate(state, body, true);
    requireFields(body, ['artifacts']);
    const keys = optObjects(body, 'artifacts')!.map((a) => `${String(a.key)}/${String(a.mode ?? 'output')}`);
    const list = artifactsOf(task);
    const kept = list.filter((a) => !keys.includes(`${String(a.key)}/${String(a.mode ?? 'output')}`));
    (task.execution as JsonObject).artifacts = kept;
    task.last_update = state.now();
    return { deleted: list.length - kept.length };
  },

  // Any status, as the server checks only write access here.
  'tasks.set_requirements': (body, { state }) => {
    const task = state.task(reqString(body, 'task'));
    requireFields(body, ['requirements']);
    const script = isObject(task.script) ? task.script : {};
    task.script = { ...script, requirements: clone(body.requirements!) };
    task.last_update = state.now();
    return { updated: 1, fields: { 'script.requirements': clone(body.requirements!) } };
  },

  'tasks.add_or_update_model': (body, { state }) => {
    requireFields(body, ['task', 'name', 'model', 'type']);
    const task = taskForUpdate(state, body, true);
    const type = reqString(body, 'type');
    if (type !== 'input' && type !== 'output') throw new ApiError(400, 12, `Validation error (invalid model type: ${type})`);
    state.model(reqString(body, 'model'));
    const models = isObject(task.models) ? task.models : {};
    const list = (Array.isArray(models[type]) ? models[type] : []).filter((m) => !(isObject(m) && m.name === body.name));
    list.push({ name: body.name!, model: body.model! });
    task.models = { input: [], output: [], ...models, [type]: list };
    task.last_update = state.now();
    return { updated: 1 };
  },

  'tasks.edit_hyper_params': (body, { state }) => {
    requireFields(body, ['hyperparams']);
    const params = optObjects(body, 'hyperparams')!;
    // The server lower-cases the "properties" section and lets it change in any status.
    for (const p of params) if (String(p.section ?? '').toLowerCase() === 'properties') p.section = 'properties';
    const propertiesOnly = params.every((p) => p.section === 'properties');
    const task = propertiesOnly ? state.task(reqString(body, 'task')) : taskForUpdate(state, body);
    const replace = optString(body, 'replace_hyperparams') ?? 'none';
    const hyper: JsonObject = replace === 'all' || !isObject(task.hyperparams) ? {} : task.hyperparams;
    if (replace === 'section') for (const p of params) delete hyper[String(p.section)];
    for (const p of params) {
      const section = String(p.section ?? 'General');
      const name = String(p.name ?? '');
      const current = isObject(hyper[section]) ? (hyper[section] as JsonObject) : {};
      current[name] = { ...clone(p), section, name };
      hyper[section] = current;
    }
    task.hyperparams = hyper;
    // "properties" may change in any status and, like a UI annotation, does not count as activity.
    if (!propertiesOnly) task.last_update = state.now();
    return { updated: 1 };
  },

  'tasks.get_hyper_params': (body, { state }) => {
    requireFields(body, ['tasks']);
    const params = optStrings(body, 'tasks')!.map((id) => {
      const task = state.task(id);
      const hyper = isObject(task.hyperparams) ? task.hyperparams : {};
      const list = Object.values(hyper).flatMap((section) => (isObject(section) ? Object.values(section) : []));
      return { task: id, hyperparams: clone(list) };
    });
    return { params };
  },

  'tasks.edit_configuration': (body, { state }) => {
    const task = taskForUpdate(state, body);
    requireFields(body, ['configuration']);
    const items = optObjects(body, 'configuration')!;
    const config: JsonObject = optBool(body, 'replace_configuration') || !isObject(task.configuration) ? {} : task.configuration;
    for (const item of items) config[String(item.name)] = clone(item);
    task.configuration = config;
    task.last_update = state.now();
    return { updated: 1 };
  },

  'tasks.get_configurations': (body, { state }) => {
    requireFields(body, ['tasks']);
    const names = optStrings(body, 'names');
    const configurations = optStrings(body, 'tasks')!.map((id) => {
      const config = state.task(id).configuration;
      const items = isObject(config) ? Object.values(config) : [];
      return { task: id, configuration: clone(items.filter((i) => !names || (isObject(i) && names.includes(String(i.name))))) };
    });
    return { configurations };
  },

  'tasks.get_configuration_names': (body, { state }) => {
    requireFields(body, ['tasks']);
    const configurations = optStrings(body, 'tasks')!.map((id) => {
      const config = state.task(id).configuration;
      return { task: id, names: isObject(config) ? Object.keys(config) : [] };
    });
    return { configurations };
  },
};

// models.* endpoints of the test server: the model registry.
import {
  ApiError,
  isObject,
  optBool,
  optObjects,
  optString,
  optStrings,
  reqString,
  requireFields,
  type JsonObject,
} from './api-error';
import type { HandlerTable } from './handler';
import { filterDocs, shapeResults } from './query';
import { clone, TEST_IDENTITY, type ServerState } from './state';

const FIELDS = [
  'name', 'uri', 'comment', 'design', 'framework', 'labels', 'parent', 'project', 'system_tags', 'tags', 'task',
  'iteration', 'metadata', 'ready', 'ui_cache',
] as const;

function readFields(body: JsonObject, state: ServerState): JsonObject {
  optStrings(body, 'tags');
  optStrings(body, 'system_tags');
  optBool(body, 'ready');
  const project = optString(body, 'project');
  if (project) state.project(project);
  const task = optString(body, 'task');
  if (task) state.task(task);
  const labels = body.labels;
  if (labels !== undefined && labels !== null && (!isObject(labels) || Object.values(labels).some((v) => typeof v !== 'number'))) {
    throw new ApiError(400, 12, "Validation error (invalid type for field 'labels', expected object of integers)");
  }
  const fields: JsonObject = {};
  for (const key of FIELDS) if (body[key] !== undefined) fields[key] = clone(body[key]!);
  return fields;
}

function createModel(state: ServerState, fields: JsonObject): JsonObject {
  const now = state.now();
  const model: JsonObject = {
    id: state.newId(),
    ready: false,
    tags: [],
    system_tags: [],
    ...fields,
    user: TEST_IDENTITY.user,
    company: TEST_IDENTITY.company,
    created: now,
    last_update: now,
  };
  state.models.set(model.id as string, model);
  return model;
}

function attachOutputModel(state: ServerState, taskId: string, modelId: string, name: string): void {
  const task = state.task(taskId);
  const models = isObject(task.models) ? task.models : { input: [], output: [] };
  const output = Array.isArray(models.output) ? models.output.filter((m) => !(isObject(m) && m.name === name)) : [];
  output.push({ name, model: modelId });
  task.models = { ...models, output };
}

export const modelHandlers: HandlerTable = {
  'models.create': (body, { state }) => {
    requireFields(body, ['uri', 'name']);
    const model = createModel(state, readFields(body, state));
    return { id: model.id as string, created: true };
  },

  'models.edit': (body, { state }) => {
    const model = state.model(reqString(body, 'model'));
    const fields = readFields(body, state);
    Object.assign(model, fields, { last_update: state.now() });
    return { updated: 1, fields };
  },

  'models.update': (body, { state }) => {
    const model = state.model(reqString(body, 'model'));
    const fields = readFields(body, state);
    delete fields.uri;
    Object.assign(model, fields, { last_update: state.now() });
    return { updated: 1, fields };
  },

  'models.update_for_task': (body, { state }) => {
    const taskId = reqString(body, 'task');
    const task = state.task(taskId);
    const override = optString(body, 'override_model_id');
    const fields = readFields(body, state);
    delete fields.task;
    if (override) {
      const model = state.model(override);
      Object.assign(model, fields, { last_update: state.now() });
      attachOutputModel(state, taskId, override, String(model.name));
      return { id: override, created: false, updated: 1, fields };
    }
    if (fields.uri === undefined) throw new ApiError(400, 11, 'Validation error (missing required fields: uri)');
    const model = createModel(state, { name: task.name as string, project: (task.project as string | undefined) ?? null, ...fields, task: taskId });
    attachOutputModel(state, taskId, model.id as string, String(model.name));
    return { id: model.id as string, created: true, updated: 0, fields };
  },

  'models.get_all': (body, { state }) => {
    let found = filterDocs(state.models.values(), body, ['framework', 'project', 'task', 'uri', 'user']);
    const ready = optBool(body, 'ready');
    if (ready !== undefined) found = found.filter((m) => Boolean(m.ready) === ready);
    return { models: shapeResults(found, body) };
  },

  'models.get_by_id': (body, { state }) => ({ model: clone(state.model(reqString(body, 'model'))) }),

  'models.get_by_task_id': (body, { state }) => {
    const task = reqString(body, 'task');
    const model = [...state.models.values()].find((m) => m.task === task);
    if (!model) throw new ApiError(400, 201, `Invalid model id (no output model for task ${task})`);
    return { model: clone(model) };
  },

  'models.set_ready': (body, { state }) => {
    const model = state.model(reqString(body, 'model'));
    if (model.ready) throw new ApiError(400, 203, 'Model is ready');
    Object.assign(model, { ready: true, last_update: state.now() });
    return { updated: 1, published_task: null };
  },

  'models.add_or_update_metadata': (body, { state }) => {
    const model = state.model(reqString(body, 'model'));
    requireFields(body, ['metadata']);
    const items = optObjects(body, 'metadata')!;
    const metadata: JsonObject = optBool(body, 'replace_metadata') || !isObject(model.metadata) ? {} : model.metadata;
    for (const item of items) {
      requireFields(item, ['key']);
      metadata[String(item.key)] = clone(item);
    }
    Object.assign(model, { metadata, last_update: state.now() });
    return { updated: 1 };
  },

  'models.archive_many': (body, { state }) => {
    requireFields(body, ['ids']);
    const ids = optStrings(body, 'ids')!;
    for (const id of ids) {
      const model = state.model(id);
      const tags = (model.system_tags as string[] | undefined) ?? [];
      if (!tags.includes('archived')) model.system_tags = [...tags, 'archived'];
    }
    return { succeeded: ids.map((id) => ({ id, archived: true })), failed: [] };
  },
};

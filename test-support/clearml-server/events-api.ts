// events.* of the test server: what the SDK's Logger sends (scalars, plots and tables, console
// text) kept per task, the task's last_metrics and last_iteration updated as the real server does,
// and the read endpoints the SDK and the web UI use to get them back.
import { createHash } from 'node:crypto';
import { ApiError, isObject, optObjects, optStrings, reqString, type Json, type JsonObject } from './api-error';
import type { HandlerTable } from './handler';
import { clone, type ServerState } from './state';

const EVENT_TYPES = ['training_stats_scalar', 'training_stats_vector', 'training_debug_image', 'plot', 'log'];

const stores = new WeakMap<ServerState, Map<string, JsonObject[]>>();

/** Every event the server accepted, per task id, in arrival order. */
export function eventsOf(state: ServerState): Map<string, JsonObject[]> {
  let events = stores.get(state);
  if (!events) {
    events = new Map();
    stores.set(state, events);
  }
  return events;
}

/** The server keys last_metrics by the MD5 of metric and variant names. */
function hashName(name: string): string {
  return createHash('md5').update(name).digest('hex');
}

function updateLastMetrics(task: JsonObject, event: JsonObject): void {
  const metric = String(event.metric ?? '');
  const variant = String(event.variant ?? '');
  const value = Number(event.value);
  const iter = Number(event.iter ?? 0);
  const last = isObject(task.last_metrics) ? task.last_metrics : {};
  const byMetric = isObject(last[hashName(metric)]) ? (last[hashName(metric)] as JsonObject) : {};
  const previous = isObject(byMetric[hashName(variant)]) ? (byMetric[hashName(variant)] as JsonObject) : undefined;
  const min = previous && Number(previous.min_value) <= value ? previous : undefined;
  const max = previous && Number(previous.max_value) >= value ? previous : undefined;
  byMetric[hashName(variant)] = {
    metric,
    variant,
    value,
    min_value: min ? (min.min_value as number) : value,
    min_value_iteration: min ? (min.min_value_iteration as number) : iter,
    max_value: max ? (max.max_value as number) : value,
    max_value_iteration: max ? (max.max_value_iteration as number) : iter,
    first_value: previous ? (previous.first_value as number) : value,
    count: (previous ? Number(previous.count) : 0) + 1,
  };
  last[hashName(metric)] = byMetric;
  task.last_metrics = last;
  if (!(Number(task.last_iteration ?? 0) >= iter)) task.last_iteration = iter;
}

/** Checks one event; returns the reason it is rejected, or null. */
function problemOf(state: ServerState, event: JsonObject): string | null {
  if (typeof event.task !== 'string' || !event.task) return "Event must have a 'task' field";
  if (!state.tasks.has(event.task)) return `Invalid task id (id=${event.task})`;
  if (!EVENT_TYPES.includes(String(event.type))) return `Invalid event type ${String(event.type)}`;
  if (event.type === 'training_stats_scalar' && (typeof event.value !== 'number' || !Number.isFinite(event.value))) return 'Scalar event value must be a number';
  return null;
}

function addEvents(state: ServerState, incoming: JsonObject[]): JsonObject {
  const errorsInfo: JsonObject = {};
  let added = 0;
  for (const raw of incoming) {
    const problem = problemOf(state, raw);
    if (problem) {
      errorsInfo[problem] = Number(errorsInfo[problem] ?? 0) + 1;
      continue;
    }
    const event: JsonObject = { ...clone(raw), timestamp: typeof raw.timestamp === 'number' ? raw.timestamp : Date.now() };
    const task = state.task(event.task as string);
    const list = eventsOf(state).get(task.id as string) ?? [];
    list.push(event);
    eventsOf(state).set(task.id as string, list);
    if (event.type === 'training_stats_scalar') updateLastMetrics(task, event);
    task.last_update = state.now();
    added++;
  }
  const errors = incoming.length - added;
  return { added, errors, errors_info: errorsInfo };
}

function taskEvents(state: ServerState, body: JsonObject, type: string): JsonObject[] {
  const id = reqString(body, 'task');
  state.task(id);
  const metrics = optStrings(body, 'metrics');
  return (eventsOf(state).get(id) ?? []).filter((e) => e.type === type && (!metrics || metrics.includes(String(e.metric))));
}

export const eventHandlers: HandlerTable = {
  'events.add': (body, { state }) => {
    const result = addEvents(state, [body]);
    if (result.added === 0) throw new ApiError(400, 12, `Validation error (${Object.keys(result.errors_info as JsonObject)[0] ?? 'invalid event'})`);
    return { added: 1, errors: 0 };
  },

  'events.add_batch': (body, { state }) => {
    const events = optObjects(body, 'requests') ?? [];
    if (events.length === 0) throw new ApiError(400, 12, 'Validation error (Batch request contains no items)');
    return addEvents(state, events);
  },

  'events.get_task_log': (body, { state }) => {
    const events = taskEvents(state, body, 'log');
    return { task: body.task!, events: clone(events), returned: events.length, total: events.length, scroll_id: null };
  },

  'events.get_task_plots': (body, { state }) => {
    const plots = taskEvents(state, body, 'plot');
    return { plots: clone(plots), returned: plots.length, total: plots.length, scroll_id: null };
  },

  'events.scalar_metrics_iter_histogram': (body, { state }) => {
    const out: JsonObject = {};
    for (const e of taskEvents(state, body, 'training_stats_scalar')) {
      const metric = String(e.metric);
      const variant = String(e.variant);
      const byMetric = (out[metric] ?? {}) as JsonObject;
      const series = (byMetric[variant] ?? { name: variant, x: [], y: [] }) as { name: string; x: Json[]; y: Json[] };
      series.x.push(Number(e.iter ?? 0));
      series.y.push(e.value!);
      byMetric[variant] = series as unknown as JsonObject;
      out[metric] = byMetric;
    }
    return out;
  },

  'events.get_scalar_metrics_and_variants': (body, { state }) => {
    const metrics: JsonObject = {};
    for (const e of taskEvents(state, body, 'training_stats_scalar')) {
      const byMetric = (metrics[String(e.metric)] ?? {}) as JsonObject;
      byMetric[String(e.variant)] = { name: String(e.variant) };
      metrics[String(e.metric)] = byMetric;
    }
    return { metrics };
  },
};

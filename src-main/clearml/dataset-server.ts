// What the dataset upload asks the server: the hidden project layout, the versions of a dataset,
// their state and lineage objects, and artifact registration.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { ClearmlClient } from './client';
import type { DatasetState, LineageTask } from './dataset-state';
import { ClearmlError } from './errors';
import { downloadFile } from './files';

/** The configuration object on each version task that repeats manifest.json, so the next version can read it cheaply. */
export const MANIFEST_CONFIG = 'eno dataset manifest';
export const STRUCT_CONFIG = 'Dataset Struct';
export const CONTENT_CONFIG = 'Dataset Content';

export interface ArtifactInfo {
  readonly key: string;
  readonly uri: string;
  readonly hash: string | null;
  readonly contentSize: number | null;
}

export interface VersionInfo {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly version: string | null;
  readonly lastUpdate: string;
  readonly comment: string;
  readonly runtime: Readonly<Record<string, unknown>>;
  readonly artifacts: readonly ArtifactInfo[];
}

interface RawTask {
  id: string;
  name?: string;
  status?: string;
  last_update?: string;
  comment?: string;
  runtime?: Record<string, unknown>;
  execution?: { artifacts?: Array<{ key?: string; uri?: string; hash?: string; content_size?: number; mode?: string }> };
}

/** Escapes regex characters, as the SDK's exact-match helper does. */
export function exactName(name: string): string {
  return `^${name.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}$`;
}

/** "<project>/.datasets/<name>": the hidden project the SDK keeps a dataset's versions in. */
export function datasetProjectName(project: string, datasetName: string): string {
  return `${project}/.datasets/${datasetName}`;
}

async function findProject(client: ClearmlClient, name: string, signal?: AbortSignal): Promise<{ id: string; system_tags: string[] } | null> {
  const data = await client.call<{ projects?: Array<{ id: string; system_tags?: string[] }> }>(
    'projects.get_all',
    { name: exactName(name), only_fields: ['id', 'system_tags'], search_hidden: true },
    { signal },
  );
  const project = data.projects?.[0];
  return project ? { id: project.id, system_tags: project.system_tags ?? [] } : null;
}

/** The leaf project's id, or null when the dataset has never been created. */
export async function findDatasetProject(client: ClearmlClient, project: string, datasetName: string, signal?: AbortSignal): Promise<string | null> {
  return (await findProject(client, datasetProjectName(project, datasetName), signal))?.id ?? null;
}

/** True for the server's "already exists" answer (400, subcode 801: a unique name taken). */
function isDuplicate(error: unknown): boolean {
  return error instanceof ClearmlError && error.httpStatus === 400 && error.subcode === 801;
}

async function ensureProject(client: ClearmlClient, name: string, systemTags: readonly string[], signal?: AbortSignal): Promise<string> {
  let found = await findProject(client, name, signal);
  if (!found) {
    try {
      const created = await client.call<{ id: string }>('projects.create', { name, description: '', system_tags: systemTags }, { signal });
      return created.id;
    } catch (error) {
      // Another client created it since we looked: look once more, as the SDK's get_or_create_project does.
      if (!isDuplicate(error)) throw error;
      found = await findProject(client, name, signal);
      if (!found) throw error;
    }
  }
  const missing = systemTags.filter((t) => !found.system_tags.includes(t));
  if (missing.length > 0) {
    await client.call('projects.update', { project: found.id, system_tags: [...found.system_tags, ...missing] }, { signal });
  }
  return found.id;
}

/** Creates "<project>/.datasets" (hidden) and the dataset's own project (hidden, dataset) when missing. */
export async function ensureDatasetProjects(client: ClearmlClient, project: string, datasetName: string, signal?: AbortSignal): Promise<string> {
  await ensureProject(client, `${project}/.datasets`, ['hidden'], signal);
  return ensureProject(client, datasetProjectName(project, datasetName), ['hidden', 'dataset'], signal);
}

function toVersion(task: RawTask): VersionInfo {
  const runtime = task.runtime ?? {};
  return {
    id: task.id,
    name: task.name ?? '',
    status: task.status ?? 'unknown',
    version: typeof runtime.version === 'string' ? runtime.version : null,
    lastUpdate: task.last_update ?? '',
    comment: task.comment ?? '',
    runtime,
    artifacts: (task.execution?.artifacts ?? [])
      .filter((a) => typeof a.key === 'string' && typeof a.uri === 'string' && (a.mode ?? 'output') === 'output')
      .map((a) => ({ key: a.key!, uri: a.uri!, hash: a.hash ?? null, contentSize: a.content_size ?? null })),
  };
}

/** The most a server returns in one page (services._mongo.max_page_size, 500 by default; a server may set less). */
const PAGE_SIZE = 500;

/**
 * Every task a tasks.get_all query matches, page by page: a server answers at most one page
 * however many are asked for (also without paging fields), so read on until a page comes back empty.
 */
export async function allTasks<T extends { id: string }>(client: ClearmlClient, query: object, signal?: AbortSignal): Promise<T[]> {
  const seen = new Map<string, T>();
  for (let page = 0; ; page++) {
    const data = await client.call<{ tasks?: T[] }>('tasks.get_all', { ...query, page, page_size: PAGE_SIZE }, { signal });
    const tasks = data.tasks ?? [];
    const before = seen.size;
    for (const task of tasks) seen.set(task.id, task);
    if (tasks.length === 0 || seen.size === before) return [...seen.values()];
  }
}

/** Every non-archived version of the dataset (drafts included), newest update first. */
export async function listVersions(client: ClearmlClient, projectId: string, datasetName: string, signal?: AbortSignal): Promise<VersionInfo[]> {
  const tasks = await allTasks<RawTask>(
    client,
    {
      project: [projectId],
      name: exactName(datasetName),
      type: ['data_processing'],
      system_tags: ['__$all', 'dataset', '__$not', 'archived'],
      only_fields: ['id', 'name', 'status', 'last_update', 'comment', 'runtime', 'execution.artifacts'],
      order_by: ['-last_update'],
      search_hidden: true,
    },
    signal,
  );
  return tasks.map(toVersion);
}

/** One version by id (any status), or null when the server does not know it. */
export async function getVersion(client: ClearmlClient, id: string, signal?: AbortSignal): Promise<(VersionInfo & { archived: boolean }) | null> {
  const data = await client.call<{ tasks?: Array<RawTask & { system_tags?: string[] }> }>(
    'tasks.get_all',
    { id: [id], only_fields: ['id', 'name', 'status', 'last_update', 'comment', 'runtime', 'execution.artifacts', 'system_tags'], search_hidden: true },
    { signal },
  );
  const task = data.tasks?.[0];
  return task ? { ...toVersion(task), archived: (task.system_tags ?? []).includes('archived') } : null;
}

/** Archives versions (system tag "archived"): `Dataset.get` skips them. */
export async function archiveVersions(client: ClearmlClient, ids: readonly string[], signal?: AbortSignal): Promise<void> {
  if (ids.length > 0) await client.call('tasks.archive', { tasks: ids }, { signal });
}

/**
 * Downloads and parses a version's `state` artifact (null when it has none). A state that cannot be
 * read is an error naming the version, never a silent "no files": building on it would drop every
 * earlier file from the next version.
 */
export async function readState(client: ClearmlClient, version: VersionInfo, workDir: string, signal?: AbortSignal): Promise<DatasetState | null> {
  const artifact = version.artifacts.find((a) => a.key === 'state');
  if (!artifact) return null;
  const what = `the state of version ${version.version ?? '?'} (task ${version.id})`;
  const dest = join(workDir, `state-${version.id}.json`);
  await downloadFile(client, { url: artifact.uri, destPath: dest, what, signal });
  try {
    const state = JSON.parse(await fs.readFile(dest, 'utf8')) as DatasetState;
    if (!Array.isArray(state?.dataset_file_entries)) throw new Error('no dataset_file_entries');
    return state;
  } catch (error) {
    throw new ClearmlError('io', `${what.charAt(0).toUpperCase()}${what.slice(1)} (${artifact.uri}) is not a dataset state (${(error as Error).message}); the next version cannot be built on it.`);
  } finally {
    await fs.rm(dest, { force: true });
  }
}

/** Configuration objects of one task by name (Dataset Struct, the app's manifest copy). */
export async function readConfigurations(client: ClearmlClient, taskId: string, names: readonly string[], signal?: AbortSignal): Promise<Map<string, string>> {
  const data = await client.call<{ configurations?: Array<{ task: string; configuration?: Array<{ name?: string; value?: string }> }> }>(
    'tasks.get_configurations',
    { tasks: [taskId], names },
    { signal },
  );
  const out = new Map<string, string>();
  for (const item of data.configurations?.[0]?.configuration ?? []) {
    if (typeof item.name === 'string' && typeof item.value === 'string') out.set(item.name, item.value);
  }
  return out;
}

/** Parses a JSON configuration value, or null when it is absent or not JSON. */
export function parseJsonConfig<T>(text: string | undefined): T | null {
  if (!text) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

/** Current status, size and version of the lineage's tasks, for Dataset Struct. */
export async function lineageTasks(client: ClearmlClient, ids: readonly string[], signal?: AbortSignal): Promise<Map<string, LineageTask>> {
  const out = new Map<string, LineageTask>();
  if (ids.length === 0) return out;
  const tasks = await allTasks<RawTask>(client, { id: [...ids], only_fields: ['id', 'name', 'status', 'last_update', 'runtime'], order_by: ['id'], search_hidden: true }, signal);
  for (const task of tasks) {
    const size = task.runtime?.ds_total_size;
    out.set(task.id, {
      id: task.id,
      name: task.name ?? '',
      status: task.status ?? 'unknown',
      lastUpdateSec: task.last_update ? Math.floor(Date.parse(task.last_update) / 1000) : null,
      totalSizeBytes: typeof size === 'number' ? size : null,
      version: typeof task.runtime?.version === 'string' ? task.runtime.version : null,
    });
  }
  return out;
}

/** Registers (or replaces) output artifacts on a version task. */
export async function registerArtifacts(client: ClearmlClient, taskId: string, artifacts: readonly object[], signal?: AbortSignal): Promise<void> {
  await client.call('tasks.add_or_update_artifacts', { task: taskId, artifacts, force: true }, { signal });
}


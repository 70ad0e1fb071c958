// One attempt at a dataset version: pick the parent (the newest final version, whose state must be
// readable), settle the other unfinished versions, create or resume the draft, send its files and
// state, then the finishing steps (Dataset Struct, version number, completed) and a last look that
// the server holds it final. A refusal on the draft's task (stopped or archived under us) comes out
// as DraftLostError, for the caller to start over in a fresh draft.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { stageVersion, type CorrectionForUpload, type DatasetManifest } from './dataset-files';
import {
  CONTENT_CONFIG,
  datasetProjectName,
  ensureDatasetProjects,
  getVersion,
  lineageTasks,
  listVersions,
  MANIFEST_CONFIG,
  parseJsonConfig,
  readConfigurations,
  readState,
  STRUCT_CONFIG,
  type VersionInfo,
} from './dataset-server';
import { buildState, buildStruct, contentPreview, lineageParents, runtimeProperties, type DatasetState, type DatasetStruct } from './dataset-state';
import type { DraftRecord } from './ledger';
import { buildChunks, sendChunks, sendState } from './upload-chunks';
import { asDraftLost, DraftLostError, handleDrafts, isFinal, versionAfter, type OpenDraft, type UploadScope } from './upload-drafts';
import { newestVersion } from './version';

export type UploadProgress =
  | { readonly phase: 'preparing' }
  | { readonly phase: 'uploading'; readonly doneBytes: number; readonly totalBytes: number }
  | { readonly phase: 'registering' }
  | { readonly phase: 'finalizing' };

export interface VersionJob {
  readonly pending: readonly CorrectionForUpload[];
  readonly appVersion: string;
  readonly uploaderId: string;
  readonly workDir: string;
  readonly includeExcerpts: boolean;
  readonly excerptSeconds?: number;
  readonly chunkSizeBytes: number;
  readonly pingIntervalMs: number;
  readonly onProgress?: (progress: UploadProgress) => void;
}

export interface VersionOutcome {
  readonly datasetId: string;
  readonly version: string;
  readonly parentId: string | null;
  readonly keys: readonly string[];
  readonly files: readonly string[];
  readonly resumed: boolean;
  readonly archivedDrafts: readonly string[];
  readonly warnings: readonly string[];
}

async function createDraft(scope: UploadScope, job: VersionJob, projectId: string, version: string, parentId: string | null): Promise<DraftRecord> {
  const created = await scope.client.call<{ id: string }>(
    'tasks.create',
    {
      name: scope.name,
      type: 'data_processing',
      project: projectId,
      system_tags: ['dataset'],
      comment: `Review corrections uploaded by eno ${job.appVersion} (${scope.marker})`,
    },
    { signal: scope.signal },
  );
  const draft: DraftRecord = { datasetId: created.id, project: scope.project, datasetName: scope.name, version, parentId, createdAt: new Date().toISOString() };
  scope.ledger.recordDraft(draft, job.pending.map((c) => c.key));
  return draft;
}

/** Marks the draft running (also from stopped, as the SDK reopens one) and writes what identifies it; no version number yet. */
async function startDraft(scope: UploadScope, job: VersionJob, draft: DraftRecord, status: string): Promise<void> {
  const { client, signal } = scope;
  const task = draft.datasetId;
  if (status !== 'in_progress') await client.call('tasks.started', { task }, { signal });
  await client.call('tasks.edit', { task, force: true, runtime: { orig_dataset_name: scope.name, orig_dataset_id: task, eno_uploader: job.uploaderId } }, { signal });
}

/** Everything one attempt needs from the server before it writes: the parent and its state, and the draft. */
async function prepare(scope: UploadScope, job: VersionJob, open: OpenDraft | undefined) {
  const { client, signal } = scope;
  const projectId = await ensureDatasetProjects(client, scope.project, scope.name, signal);
  const versions = await listVersions(client, projectId, scope.name, signal);
  const finals = versions.filter(isFinal);
  const parent = newestVersion(finals);
  await fs.mkdir(job.workDir, { recursive: true });
  const parentState = parent ? await readState(client, parent, job.workDir, signal) : null;
  const { resume, archived } = await handleDrafts(scope, versions, open, parent?.id ?? null);
  const keys = job.pending.map((c) => c.key);
  let draft: DraftRecord;
  if (resume && open) {
    draft = open.draft;
    scope.ledger.updateDraftKeys(draft.datasetId, keys);
  } else {
    const visible = versions.filter((v) => !archived.includes(v.id));
    draft = await createDraft(scope, job, projectId, versionAfter(visible), parent?.id ?? null);
  }
  return { finals, parent, parentState, resume, archived, draft, keys };
}

type Prepared = Awaited<ReturnType<typeof prepare>>;

/** Makes one attempt; DraftLostError when the server stopped or archived the draft under it. */
export async function uploadVersion(scope: UploadScope, job: VersionJob, open: OpenDraft | undefined): Promise<VersionOutcome> {
  const { client, signal } = scope;
  const prepared = await prepare(scope, job, open);
  const { finals, parent, parentState, resume, archived, draft, keys } = prepared;
  const task = draft.datasetId;
  const ping = (): void => void client.call('tasks.ping', { task }, { retries: 0 }).catch(() => undefined);
  const pinger = setInterval(ping, job.pingIntervalMs);
  const stageDir = join(job.workDir, `upload-${task}`);
  await fs.rm(stageDir, { recursive: true, force: true });
  await fs.mkdir(stageDir, { recursive: true });
  try {
    await startDraft(scope, job, draft, resume?.status ?? 'created');
    const parentConfig = parent ? await readConfigurations(client, parent.id, [STRUCT_CONFIG, MANIFEST_CONFIG], signal) : new Map<string, string>();
    const staged = await stageVersion(job.pending, {
      stagingDir: join(stageDir, 'files'),
      project: scope.project,
      datasetName: scope.name,
      version: draft.version,
      datasetId: task,
      parentId: parent?.id ?? null,
      appVersion: job.appVersion,
      createdAt: draft.createdAt,
      parentManifest: parseJsonConfig<DatasetManifest>(parentConfig.get(MANIFEST_CONFIG)),
      inheritedPaths: new Set((parentState?.dataset_file_entries ?? []).map((e) => e.relative_path)),
      includeExcerpts: job.includeExcerpts,
      excerptSeconds: job.excerptSeconds,
      signal,
    });
    const { chunks, built } = await buildChunks(stageDir, task, draft.createdAt, staged.files, job.chunkSizeBytes);
    const target = { client, task, folder: `${datasetProjectName(scope.project, scope.name)}/${scope.name}.${task}/artifacts`, signal };
    const totalBytes = await sendChunks(target, built, resume?.artifacts ?? [], (doneBytes, total) => job.onProgress?.({ phase: 'uploading', doneBytes, totalBytes: total }), ping);

    job.onProgress?.({ phase: 'registering' });
    const chunkLookup: Record<string, number> = { ...(parentState?.dependency_chunk_lookup ?? {}) };
    for (const v of finals) chunkLookup[v.id] ??= v.artifacts.filter((a) => /^data(_\d+)?$/.test(a.key)).length;
    const { state, changes } = buildState({ datasetId: task, parentId: parent?.id ?? null, parentState, chunks }, chunkLookup);
    await sendState(target, stageDir, state, changes);

    job.onProgress?.({ phase: 'finalizing' });
    const parentCompressed = parent?.runtime.ds_total_size_compressed;
    const runtime = runtimeProperties({
      datasetName: scope.name,
      datasetId: task,
      version: draft.version,
      state,
      changes,
      compressedBytes: totalBytes,
      parentCompressedBytes: typeof parentCompressed === 'number' ? parentCompressed : 0,
      extra: { eno_uploader: job.uploaderId, eno_app_version: job.appVersion },
    });
    await finishVersion(scope, prepared, { state, runtime, manifest: staged.manifest, parentStruct: parseJsonConfig<DatasetStruct>(parentConfig.get(STRUCT_CONFIG)) });
    return {
      datasetId: task,
      version: draft.version,
      parentId: parent?.id ?? null,
      keys,
      files: staged.files.map((f) => f.relativePath),
      resumed: resume !== undefined,
      archivedDrafts: archived,
      warnings: staged.warnings,
    };
  } catch (error) {
    throw asDraftLost(error, task);
  } finally {
    clearInterval(pinger);
    await fs.rm(stageDir, { recursive: true, force: true });
  }
}

interface Finishing {
  readonly state: DatasetState;
  readonly runtime: Record<string, string | number>;
  readonly manifest: DatasetManifest;
  readonly parentStruct: DatasetStruct | null;
}

/**
 * The finishing steps: Dataset Struct over the whole lineage and the other configuration objects,
 * then the version number (last, right before completion: until then Dataset.get, which takes the
 * highest version whatever its status, cannot pick this draft over a finished version), completed,
 * a look that the server holds it final, and only then the ledger.
 */
async function finishVersion(scope: UploadScope, prepared: Prepared, finishing: Finishing): Promise<void> {
  const { client, signal } = scope;
  const { parent, parentState, draft, keys } = prepared;
  const task = draft.datasetId;
  const lineage = lineageParents(parent?.id ?? null, finishing.parentStruct, parentState);
  const struct = buildStruct(
    { id: task, status: 'in_progress', lastUpdateSec: Math.floor(Date.now() / 1000), totalSizeBytes: finishing.state.total_size, name: scope.name, version: draft.version },
    parent ? [parent.id] : [],
    lineage,
    await lineageTasks(client, [...lineage.keys()], signal),
  );
  const configuration = {
    [STRUCT_CONFIG]: { name: STRUCT_CONFIG, value: JSON.stringify(struct, null, 2), type: 'json', description: 'Structure of the dataset' },
    [CONTENT_CONFIG]: { name: CONTENT_CONFIG, value: contentPreview(finishing.state), type: 'CSV', description: 'Dataset content preview' },
    [MANIFEST_CONFIG]: { name: MANIFEST_CONFIG, value: JSON.stringify(finishing.manifest, null, 1), type: 'json', description: 'manifest.json of this version' },
  };
  await client.call('tasks.edit', { task, force: true, configuration }, { signal });
  await client.call(
    'tasks.edit_hyper_params',
    { task, hyperparams: [{ section: 'properties', name: 'version', value: draft.version }], replace_hyperparams: 'none', force: true },
    { signal },
  );
  await client.call('tasks.edit', { task, force: true, runtime: finishing.runtime }, { signal });
  await client.call('tasks.completed', { task, publish: false, status_reason: 'completed', status_message: `eno uploaded ${keys.length} corrections` }, { signal });
  await confirmFinal(scope, draft);
  scope.ledger.finalizeDraft(task);
}

/**
 * The server may have stopped and archived the draft just before it was completed (stopped ->
 * completed is allowed): an archived version is invisible to Dataset.get, so it does not count.
 */
async function confirmFinal(scope: UploadScope, draft: DraftRecord): Promise<void> {
  const info: (VersionInfo & { archived: boolean }) | null = await getVersion(scope.client, draft.datasetId, scope.signal);
  if (!info) throw new DraftLostError(draft.datasetId, 'deleted before it was final');
  if (info.archived) throw new DraftLostError(draft.datasetId, 'archived before it was final');
  if (!isFinal(info) || info.version !== draft.version) throw new DraftLostError(draft.datasetId, `left ${info.status} without its state or version`);
}

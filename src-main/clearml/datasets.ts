// Uploads review corrections as a new version of a ClearML dataset, written the way the SDK writes
// one so `Dataset.get(...).get_local_copy()` on the training box sees every label ever uploaded.
// The version's parent is the newest finalized version; a draft left by a failed attempt is resumed
// (same version, unchanged chunks not sent again) or archived, so the newest version is never
// unfinalized; the ledger records which corrections are in which version, only once it is final.
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { ClearmlClient } from './client';
import { stageVersion, type CorrectionForUpload, type DatasetManifest, type StagedFile } from './dataset-files';
import {
  archiveVersions,
  CONTENT_CONFIG,
  datasetProjectName,
  ensureDatasetProjects,
  FINAL_STATUSES,
  getVersion,
  lineageTasks,
  listVersions,
  MANIFEST_CONFIG,
  parseJsonConfig,
  readConfigurations,
  readState,
  registerArtifacts,
  STRUCT_CONFIG,
  type VersionInfo,
} from './dataset-server';
import { buildState, buildStruct, contentPreview, lineageParents, packChunks, runtimeProperties, type DatasetStruct } from './dataset-state';
import { asResult, ClearmlError, type Result } from './errors';
import { uploadFile } from './files';
import type { DraftRecord, UploadLedger } from './ledger';
import { newestVersion, nextVersion } from './version';
import { writeZip } from './zip-writer';

export type { CorrectionForUpload } from './dataset-files';

export type UploadProgress =
  | { readonly phase: 'preparing' }
  | { readonly phase: 'uploading'; readonly doneBytes: number; readonly totalBytes: number }
  | { readonly phase: 'registering' }
  | { readonly phase: 'finalizing' };

export interface UploadCorrectionsOptions {
  readonly ledger: UploadLedger;
  readonly appVersion: string;
  /** Where staging files and zips are written (removed afterwards). */
  readonly workDir: string;
  readonly project?: string;
  readonly datasetName?: string;
  /** Add a 30 s, 16 kHz excerpt of each corrected track (off by default: audio is large and personal). */
  readonly includeExcerpts?: boolean;
  readonly excerptSeconds?: number;
  /** Largest uncompressed size of one zip chunk; default 512 MiB, as the SDK. */
  readonly chunkSizeBytes?: number;
  /** How often the task is pinged during a long upload; the server stops tasks silent for 2 hours. */
  readonly pingIntervalMs?: number;
  /** Drafts of other uploaders untouched for this long are archived; default 2 hours. */
  readonly staleDraftMs?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: UploadProgress) => void;
}

export type UploadOutcome =
  | { readonly status: 'nothing-to-upload' }
  | {
      readonly status: 'uploaded';
      readonly datasetId: string;
      readonly version: string;
      readonly parentId: string | null;
      readonly keys: readonly string[];
      readonly files: readonly string[];
      readonly resumed: boolean;
      readonly archivedDrafts: readonly string[];
      readonly warnings: readonly string[];
    };

export const DEFAULT_PROJECT = 'eno';
export const DEFAULT_DATASET = 'corrections';

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

interface Context {
  readonly client: ClearmlClient;
  readonly options: UploadCorrectionsOptions;
  readonly project: string;
  readonly name: string;
  readonly marker: string;
}

/** Settles the draft the ledger has open: finished last time (ledger not told) or gone. */
async function settleLedgerDraft(ctx: Context): Promise<DraftRecord | undefined> {
  const draft = ctx.options.ledger.openDraft(ctx.project, ctx.name);
  if (!draft) return undefined;
  const info = await getVersion(ctx.client, draft.datasetId, ctx.options.signal);
  if (!info || info.archived) {
    ctx.options.ledger.abandonDraft(draft.datasetId);
    return undefined;
  }
  if (FINAL_STATUSES.has(info.status)) {
    ctx.options.ledger.finalizeDraft(draft.datasetId);
    return undefined;
  }
  return draft;
}

/** Decides what to do with unfinalized versions: resume ours, archive ours and stale ones, refuse live foreign ones. */
async function handleDrafts(ctx: Context, drafts: readonly VersionInfo[], draft: DraftRecord | undefined, parentId: string | null) {
  const { ledger, signal } = ctx.options;
  const staleMs = ctx.options.staleDraftMs ?? 2 * 60 * 60 * 1000;
  let resume: VersionInfo | undefined;
  const archive: string[] = [];
  for (const d of drafts) {
    const ours = ledger.knowsDraft(d.id) || d.comment.includes(ctx.marker);
    if (draft && d.id === draft.datasetId && draft.parentId === parentId && (d.status === 'created' || d.status === 'in_progress')) resume = d;
    else if (ours || Date.now() - Date.parse(d.lastUpdate) > staleMs) archive.push(d.id);
    else {
      throw new ClearmlError(
        'conflict',
        `Another upload to dataset ${ctx.project}/${ctx.name} is in progress (version ${d.version ?? '?'}, task ${d.id}); try again when it has finished.`,
      );
    }
  }
  await archiveVersions(ctx.client, archive, signal);
  for (const id of archive) if (ledger.knowsDraft(id)) ledger.abandonDraft(id);
  if (draft && !resume && !archive.includes(draft.datasetId)) ledger.abandonDraft(draft.datasetId);
  return { resume, archived: archive };
}

async function createDraft(ctx: Context, projectId: string, parent: VersionInfo | undefined, keys: readonly string[]): Promise<DraftRecord> {
  const { client, options } = ctx;
  const signal = options.signal;
  const version = nextVersion(parent?.version);
  const created = await client.call<{ id: string }>(
    'tasks.create',
    {
      name: ctx.name,
      type: 'data_processing',
      project: projectId,
      system_tags: ['dataset'],
      comment: `Review corrections uploaded by eno ${options.appVersion} (${ctx.marker})`,
    },
    { signal },
  );
  const draft: DraftRecord = {
    datasetId: created.id,
    project: ctx.project,
    datasetName: ctx.name,
    version,
    parentId: parent?.id ?? null,
    createdAt: new Date().toISOString(),
  };
  options.ledger.recordDraft(draft, keys);
  return draft;
}

async function startDraft(ctx: Context, draft: DraftRecord, status: string, uploaderId: string): Promise<void> {
  const { client, options } = ctx;
  const signal = options.signal;
  const task = draft.datasetId;
  const runtime = { orig_dataset_name: ctx.name, orig_dataset_id: task, version: draft.version, eno_uploader: uploaderId };
  await client.call('tasks.edit', { task, force: true, runtime }, { signal });
  await client.call(
    'tasks.edit_hyper_params',
    { task, hyperparams: [{ section: 'properties', name: 'version', value: draft.version }], replace_hyperparams: 'none', force: true },
    { signal },
  );
  if (status === 'created') await client.call('tasks.started', { task }, { signal });
}

interface BuiltChunk {
  readonly artifactName: string;
  readonly zipPath: string;
  readonly zipName: string;
  readonly sizeBytes: number;
  readonly sha256: string;
  readonly preview: string;
}

async function buildChunks(stageDir: string, draft: DraftRecord, files: readonly StagedFile[], chunkSizeBytes: number) {
  const chunks = packChunks(files, chunkSizeBytes);
  const built: BuiltChunk[] = [];
  for (const chunk of chunks) {
    const zipName = `dataset.${draft.datasetId}.${chunk.artifactName}.zip`;
    const zipPath = join(stageDir, zipName);
    // A fixed timestamp makes a retried chunk byte-identical, so a resume can skip it.
    const written = await writeZip(
      zipPath,
      (async function* () {
        for (const f of chunk.files) yield { name: f.relativePath, data: await fs.readFile(f.localPath) };
      })(),
      new Date(draft.createdAt),
    );
    const preview = written.entries.map((e) => `${e.name} - ${e.sizeBytes} bytes`).join('\n') + '\n';
    built.push({ artifactName: chunk.artifactName, zipPath, zipName, sizeBytes: written.sizeBytes, sha256: await sha256File(zipPath), preview });
  }
  return { chunks, built };
}

/**
 * The corrections waiting for upload, read when the upload starts: after a draft that finished last
 * time has been recorded as final, so its corrections are no longer among them.
 */
export type PendingCorrections = () => readonly CorrectionForUpload[];

/** Uploads the pending corrections as one new dataset version. */
export async function uploadCorrections(
  client: ClearmlClient,
  pendingCorrections: PendingCorrections,
  options: UploadCorrectionsOptions,
): Promise<Result<UploadOutcome>> {
  return asResult(async () => {
    const uploaderId = options.ledger.uploaderId();
    const ctx: Context = {
      client,
      options,
      project: options.project ?? DEFAULT_PROJECT,
      name: options.datasetName ?? DEFAULT_DATASET,
      marker: `uploader ${uploaderId}`,
    };
    const signal = options.signal;
    const draftBefore = await settleLedgerDraft(ctx);
    const pending = [...new Map(pendingCorrections().map((c) => [c.key, c])).values()];
    if (pending.length === 0) return { status: 'nothing-to-upload' } as const;
    options.onProgress?.({ phase: 'preparing' });

    const projectId = await ensureDatasetProjects(client, ctx.project, ctx.name, signal);
    const versions = await listVersions(client, projectId, ctx.name, signal);
    const finals = versions.filter((v) => FINAL_STATUSES.has(v.status));
    const parent = newestVersion(finals);
    const { resume, archived } = await handleDrafts(ctx, versions.filter((v) => !FINAL_STATUSES.has(v.status)), draftBefore, parent?.id ?? null);
    const keys = pending.map((c) => c.key);
    let draft: DraftRecord;
    if (resume && draftBefore) {
      draft = draftBefore;
      options.ledger.updateDraftKeys(draft.datasetId, keys);
    } else {
      draft = await createDraft(ctx, projectId, parent, keys);
    }
    await startDraft(ctx, draft, resume?.status ?? 'created', uploaderId);

    const task = draft.datasetId;
    const ping = (): void => void client.call('tasks.ping', { task }, { retries: 0 }).catch(() => undefined);
    const pinger = setInterval(ping, options.pingIntervalMs ?? 10 * 60 * 1000);
    const stageDir = join(options.workDir, `upload-${task}`);
    await fs.rm(stageDir, { recursive: true, force: true });
    await fs.mkdir(stageDir, { recursive: true });
    try {
      const parentState = parent ? await readState(client, parent, stageDir, signal) : null;
      const parentConfig = parent ? await readConfigurations(client, parent.id, [STRUCT_CONFIG, MANIFEST_CONFIG], signal) : new Map<string, string>();
      const staged = await stageVersion(pending, {
        stagingDir: join(stageDir, 'files'),
        project: ctx.project,
        datasetName: ctx.name,
        version: draft.version,
        datasetId: task,
        parentId: parent?.id ?? null,
        appVersion: options.appVersion,
        createdAt: draft.createdAt,
        parentManifest: parseJsonConfig<DatasetManifest>(parentConfig.get(MANIFEST_CONFIG)),
        inheritedPaths: new Set((parentState?.dataset_file_entries ?? []).map((e) => e.relative_path)),
        includeExcerpts: options.includeExcerpts ?? false,
        excerptSeconds: options.excerptSeconds,
        signal,
      });
      const { chunks, built } = await buildChunks(stageDir, draft, staged.files, options.chunkSizeBytes ?? 512 * 1024 * 1024);

      // Send the chunks; on a resume, those already registered with the same bytes stay.
      const registered = new Map((resume?.artifacts ?? []).map((a) => [a.key, a.hash]));
      const totalBytes = built.reduce((n, c) => n + c.sizeBytes, 0);
      let doneBytes = 0;
      const folder = `${datasetProjectName(ctx.project, ctx.name)}/${ctx.name}.${task}/artifacts`;
      for (const chunk of built) {
        if (registered.get(chunk.artifactName) !== chunk.sha256) {
          const base = doneBytes;
          const uri = await uploadFile(client, {
            localPath: chunk.zipPath,
            objectPath: `${folder}/${chunk.artifactName}/${chunk.zipName}`,
            signal,
            onProgress: (p) => options.onProgress?.({ phase: 'uploading', doneBytes: base + p.doneBytes, totalBytes }),
          });
          await registerArtifacts(client, task, [
            {
              key: chunk.artifactName,
              type: 'custom',
              mode: 'output',
              uri,
              content_size: chunk.sizeBytes,
              hash: chunk.sha256,
              timestamp: Math.floor(Date.now() / 1000),
              type_data: { preview: chunk.preview, content_type: 'application/zip' },
            },
          ], signal);
          ping();
        }
        doneBytes += chunk.sizeBytes;
        options.onProgress?.({ phase: 'uploading', doneBytes, totalBytes });
      }
      const stale = [...registered.keys()].filter((k) => /^data(_\d+)?$/.test(k) && !built.some((c) => c.artifactName === k));
      if (stale.length > 0) {
        await client.call('tasks.delete_artifacts', { task, artifacts: stale.map((key) => ({ key, mode: 'output' })), force: true }, { signal });
      }

      options.onProgress?.({ phase: 'registering' });
      const chunkLookup: Record<string, number> = { ...(parentState?.dependency_chunk_lookup ?? {}) };
      for (const v of finals) chunkLookup[v.id] ??= v.artifacts.filter((a) => /^data(_\d+)?$/.test(a.key)).length;
      const { state, changes } = buildState({ datasetId: task, parentId: parent?.id ?? null, parentState, chunks }, chunkLookup);
      const statePath = join(stageDir, 'state.json');
      const stateText = JSON.stringify(state, null, 4);
      await fs.writeFile(statePath, stateText);
      const stateUri = await uploadFile(client, { localPath: statePath, objectPath: `${folder}/state/state.json`, signal });
      await registerArtifacts(client, task, [
        {
          key: 'state',
          type: 'dict',
          mode: 'output',
          uri: stateUri,
          content_size: Buffer.byteLength(stateText),
          hash: createHash('sha256').update(stateText).digest('hex'),
          timestamp: Math.floor(Date.now() / 1000),
          type_data: {
            preview: `Dataset state\nFiles added/modified: ${changes.added + changes.modified} - total size ${changes.changeSizeBytes} B\nCurrent dependency graph: ${JSON.stringify(state.dependency_graph, null, 2)}\n`,
            content_type: 'application/json',
          },
          display_data: [['files added', String(changes.added)], ['files removed', '0'], ['files modified', String(changes.modified)]],
        },
      ], signal);
      const parentCompressed = parent?.runtime.ds_total_size_compressed;
      const runtime = runtimeProperties({
        datasetName: ctx.name,
        datasetId: task,
        version: draft.version,
        state,
        changes,
        compressedBytes: totalBytes,
        parentCompressedBytes: typeof parentCompressed === 'number' ? parentCompressed : 0,
        extra: { eno_uploader: uploaderId, eno_app_version: options.appVersion },
      });
      await client.call('tasks.edit', { task, force: true, runtime }, { signal });

      options.onProgress?.({ phase: 'finalizing' });
      const lineage = lineageParents(parent?.id ?? null, parseJsonConfig<DatasetStruct>(parentConfig.get(STRUCT_CONFIG)), parentState);
      const struct = buildStruct(
        { id: task, status: 'in_progress', lastUpdateSec: Math.floor(Date.now() / 1000), totalSizeBytes: state.total_size, name: ctx.name, version: draft.version },
        parent ? [parent.id] : [],
        lineage,
        await lineageTasks(client, [...lineage.keys()], signal),
      );
      const configuration = {
        [STRUCT_CONFIG]: { name: STRUCT_CONFIG, value: JSON.stringify(struct, null, 2), type: 'json', description: 'Structure of the dataset' },
        [CONTENT_CONFIG]: { name: CONTENT_CONFIG, value: contentPreview(state), type: 'CSV', description: 'Dataset content preview' },
        [MANIFEST_CONFIG]: { name: MANIFEST_CONFIG, value: JSON.stringify(staged.manifest, null, 1), type: 'json', description: 'manifest.json of this version' },
      };
      await client.call('tasks.edit', { task, force: true, configuration }, { signal });
      await client.call('tasks.completed', { task, publish: false, status_reason: 'completed', status_message: `eno uploaded ${keys.length} corrections` }, { signal });
      options.ledger.finalizeDraft(task);
      return {
        status: 'uploaded',
        datasetId: task,
        version: draft.version,
        parentId: parent?.id ?? null,
        keys,
        files: staged.files.map((f) => f.relativePath),
        resumed: resume !== undefined,
        archivedDrafts: archived,
        warnings: staged.warnings,
      } as const;
    } finally {
      clearInterval(pinger);
      await fs.rm(stageDir, { recursive: true, force: true });
    }
  }, options.signal);
}

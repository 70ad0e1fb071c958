// Sending a version's files the way the SDK does: the new files zipped into `data`, `data_001`, ...
// chunks, each uploaded to the file server and registered as an artifact of the version's task,
// then the `state` artifact that lists every file of the dataset. A resumed draft keeps the chunks
// it already registered with the same bytes.
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { ClearmlClient } from './client';
import type { StagedFile } from './dataset-files';
import { registerArtifacts, type ArtifactInfo } from './dataset-server';
import { packChunks, type Chunk, type ChangeStats, type DatasetState } from './dataset-state';
import { uploadFile } from './files';
import { writeZip } from './zip-writer';

export interface BuiltChunk {
  readonly artifactName: string;
  readonly zipPath: string;
  readonly zipName: string;
  readonly sizeBytes: number;
  readonly sha256: string;
  readonly preview: string;
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Zips the staged files into chunks of at most `chunkSizeBytes` (uncompressed). */
export async function buildChunks(stageDir: string, datasetId: string, createdAt: string, files: readonly StagedFile[], chunkSizeBytes: number) {
  const chunks: Chunk[] = packChunks(files, chunkSizeBytes);
  const built: BuiltChunk[] = [];
  for (const chunk of chunks) {
    const zipName = `dataset.${datasetId}.${chunk.artifactName}.zip`;
    const zipPath = join(stageDir, zipName);
    // A fixed timestamp makes a retried chunk byte-identical, so a resume can skip it.
    const written = await writeZip(
      zipPath,
      (async function* () {
        for (const f of chunk.files) yield { name: f.relativePath, data: await fs.readFile(f.localPath) };
      })(),
      new Date(createdAt),
    );
    const preview = written.entries.map((e) => `${e.name} - ${e.sizeBytes} bytes`).join('\n') + '\n';
    built.push({ artifactName: chunk.artifactName, zipPath, zipName, sizeBytes: written.sizeBytes, sha256: await sha256File(zipPath), preview });
  }
  return { chunks, built };
}

export interface SendTarget {
  readonly client: ClearmlClient;
  readonly task: string;
  /** "<project>/.datasets/<name>/<name>.<task id>/artifacts" on the file server. */
  readonly folder: string;
  readonly signal?: AbortSignal;
}

const isDataChunk = (key: string): boolean => /^data(_\d+)?$/.test(key);

/** Uploads and registers the chunks not registered yet with the same bytes; drops chunks a resumed draft no longer has. */
export async function sendChunks(
  target: SendTarget,
  built: readonly BuiltChunk[],
  registeredBefore: readonly ArtifactInfo[],
  onProgress: (doneBytes: number, totalBytes: number) => void,
  afterEach: () => void,
): Promise<number> {
  const { client, task, folder, signal } = target;
  const registered = new Map(registeredBefore.map((a) => [a.key, a.hash]));
  const totalBytes = built.reduce((n, c) => n + c.sizeBytes, 0);
  let doneBytes = 0;
  for (const chunk of built) {
    if (registered.get(chunk.artifactName) !== chunk.sha256) {
      const base = doneBytes;
      const uri = await uploadFile(client, {
        localPath: chunk.zipPath,
        objectPath: `${folder}/${chunk.artifactName}/${chunk.zipName}`,
        signal,
        onProgress: (p) => onProgress(base + p.doneBytes, totalBytes),
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
      afterEach();
    }
    doneBytes += chunk.sizeBytes;
    onProgress(doneBytes, totalBytes);
  }
  const stale = [...registered.keys()].filter((k) => isDataChunk(k) && !built.some((c) => c.artifactName === k));
  if (stale.length > 0) {
    await client.call('tasks.delete_artifacts', { task, artifacts: stale.map((key) => ({ key, mode: 'output' })), force: true }, { signal });
  }
  return totalBytes;
}

/** Uploads state.json and registers it as the version's `state` artifact (type dict, as the SDK does). */
export async function sendState(target: SendTarget, stageDir: string, state: DatasetState, changes: ChangeStats): Promise<void> {
  const statePath = join(stageDir, 'state.json');
  const stateText = JSON.stringify(state, null, 4);
  await fs.writeFile(statePath, stateText);
  const stateUri = await uploadFile(target.client, { localPath: statePath, objectPath: `${target.folder}/state/state.json`, signal: target.signal });
  await registerArtifacts(target.client, target.task, [
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
  ], target.signal);
}

// What one upload writes, checked against the test server's records: the files of a version, the
// task's lifecycle and bookkeeping, progress, pings, chunking and the optional excerpts.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedClip, tempDir } from '../../test-support/fixtures';
import { uploadCorrections, type UploadCorrectionsOptions, type UploadProgress } from './datasets';
import type { DatasetState } from './dataset-state';
import type { UploadLedger } from './ledger';
import { correction, memoryLedger, pendingOf, readZip, testClient } from '../../test-support/clearml-server/fixtures';
import { startTestServer, type TestServer } from '../../test-support/clearml-server/server';

const tmp = tempDir('eno-clearml-datasets-');
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
  tmp.cleanup();
});

const options = (ledger: UploadLedger, extra: Partial<UploadCorrectionsOptions> = {}): UploadCorrectionsOptions => ({
  ledger,
  appVersion: '0.1.0-test',
  workDir: join(tmp.dir, 'work'),
  ...extra,
});

function filesOf(datasetId: string): { zips: Map<string, Map<string, Buffer>>; state: DatasetState } {
  const zips = new Map<string, Map<string, Buffer>>();
  let state: DatasetState | undefined;
  for (const [path, data] of server.state.files) {
    if (!path.includes(`.${datasetId}/artifacts/`)) continue;
    if (path.endsWith('.zip')) zips.set(path.split('/').at(-2)!, readZip(data));
    if (path.endsWith('state/state.json')) state = JSON.parse(data.toString('utf8')) as DatasetState;
  }
  return { zips, state: state! };
}

describe('uploading corrections', () => {
  it('writes labels, embeddings and a manifest as a dataset version the way the SDK does', async () => {
    const { ledger } = memoryLedger();
    const phases: UploadProgress[] = [];
    const result = await uploadCorrections(testClient(server), pendingOf(ledger, [correction(2), correction(1, { embedding: null })]), options(ledger, {
      project: 'eno-layout',
      onProgress: (p) => phases.push(p),
    }));
    if (!result.ok || result.value.status !== 'uploaded') throw new Error(JSON.stringify(result));
    const { datasetId } = result.value;
    expect(result.value.files).toEqual(['labels/1.0.0.jsonl', 'embeddings/1.0.0.f32', 'embeddings/1.0.0.index.json', 'manifest.json']);

    const { zips, state } = filesOf(datasetId);
    const data = zips.get('data')!;
    const labels = data.get('labels/1.0.0.jsonl')!.toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(labels.map((l) => l.key)).toEqual(['correction-0001', 'correction-0002']);
    expect(labels[1]).toEqual({
      key: 'correction-0002',
      track_hash: correction(2).trackHash,
      artist: 'Artist 2',
      album: null,
      title: 'Title 2',
      duration_sec: 182,
      final_tags: ['shoegaze', 'atmospheric'],
      tags_added: ['shoegaze'],
      tags_removed: ['pop'],
      tags_from_file: [],
      predicted_scores: { pop: 0.61, shoegaze: 0.12, atmospheric: 0.4 },
      model_id: 'musicnn-msd',
      model_version: '1.0.0',
      reviewed_at: correction(2).reviewedAt,
      embedding_row: 0,
      excerpt: null,
      learned_tags: [],
    });
    expect(labels[0]!.embedding_row).toBeNull();
    const f32 = data.get('embeddings/1.0.0.f32')!;
    expect(f32.length).toBe(200 * 4);
    expect(f32.readFloatLE(4 * 7)).toBeCloseTo(correction(2).embedding![7]!, 6);
    expect(JSON.parse(data.get('embeddings/1.0.0.index.json')!.toString('utf8'))).toMatchObject({
      dim: 200,
      dtype: 'float32',
      byte_order: 'little',
      rows: [{ row: 0, key: 'correction-0002', track_hash: correction(2).trackHash, labels_line: 1 }],
    });
    expect(JSON.parse(data.get('manifest.json')!.toString('utf8'))).toMatchObject({
      schema: 1,
      app_version: '0.1.0-test',
      version: '1.0.0',
      tag_vocabulary: ['atmospheric', 'pop', 'shoegaze'],
      counts: { records: 2, embedding_rows: 1 },
    });

    expect(state).toMatchObject({ id: datasetId, file_count: 4, dirty: false, dependency_graph: { [datasetId]: [] }, dependency_chunk_lookup: { [datasetId]: 1 } });
    for (const entry of state.dataset_file_entries) expect(entry).toMatchObject({ parent_dataset_id: datasetId, artifact_name: 'data' });

    const task = server.state.tasks.get(datasetId)!;
    expect(task).toMatchObject({ name: 'corrections', type: 'data_processing', status: 'completed', system_tags: ['dataset'] });
    expect(task.runtime).toMatchObject({ version: '1.0.0', orig_dataset_id: datasetId, ds_file_count: 4, ds_change_add: 4, ds_change_modify: 0 });
    expect(task.hyperparams).toMatchObject({ properties: { version: { value: '1.0.0' } } });
    const project = server.state.projects.get(task.project as string)!;
    expect(project).toMatchObject({ name: 'eno-layout/.datasets/corrections', system_tags: ['hidden', 'dataset'] });
    expect(server.state.projectByName('eno-layout/.datasets')!.system_tags).toEqual(['hidden']);
    const artifacts = (task.execution as { artifacts: Array<{ key: string; uri: string; type: string }> }).artifacts;
    expect(artifacts.map((a) => [a.key, a.type])).toEqual([['data', 'custom'], ['state', 'dict']]);
    expect(artifacts[0]!.uri).toMatch(new RegExp(`/eno-layout/\\.datasets/corrections/corrections\\.${datasetId}/artifacts/data/.*\\.zip$`));

    const lifecycle = server.state.calls.filter((c) => c.body.task === datasetId || c.endpoint === 'tasks.create').map((c) => c.endpoint);
    expect(lifecycle[0]).toBe('tasks.create');
    expect(lifecycle.indexOf('tasks.started')).toBeLessThan(lifecycle.indexOf('tasks.add_or_update_artifacts'));
    expect(lifecycle.at(-1)).toBe('tasks.completed');
    expect(phases[0]).toEqual({ phase: 'preparing' });
    expect(phases.map((p) => p.phase).filter((p, i, all) => p !== all[i - 1])).toEqual(['preparing', 'uploading', 'registering', 'finalizing']);
    expect(ledger.versionOf('correction-0001')).toEqual({ datasetId, version: '1.0.0' });

    const again = await uploadCorrections(testClient(server), pendingOf(ledger, [correction(1), correction(2)]), options(ledger, { project: 'eno-layout' }));
    expect(again).toEqual({ ok: true, value: { status: 'nothing-to-upload' } });
  });

  it('splits a large version into data, data_001, ... chunks and pings the task while uploading', async () => {
    const { ledger } = memoryLedger();
    const corrections = Array.from({ length: 40 }, (_, i) => correction(i + 10));
    const result = await uploadCorrections(testClient(server), pendingOf(ledger, corrections), options(ledger, { project: 'eno-chunks', chunkSizeBytes: 12_000, pingIntervalMs: 1 }));
    if (!result.ok || result.value.status !== 'uploaded') throw new Error(JSON.stringify(result));
    const { datasetId } = result.value;
    const { zips, state } = filesOf(datasetId);
    expect([...zips.keys()].sort()).toEqual(['data', 'data_001', 'data_002']);
    for (const entry of state.dataset_file_entries) expect(zips.get(entry.artifact_name)!.has(entry.relative_path)).toBe(true);
    expect(state.dependency_chunk_lookup).toEqual({ [datasetId]: 3 });
    expect(server.state.calls.filter((c) => c.endpoint === 'tasks.ping' && c.body.task === datasetId).length).toBeGreaterThan(0);
  });

  it('adds a 30-second 16 kHz excerpt per corrected track when asked', async () => {
    const { ledger } = memoryLedger();
    const clip = sharedClip('music/bensound-cute.mp3');
    const withAudio = correction(1, { audioPath: clip, durationSec: 100 });
    const unreadable = correction(2, { audioPath: join(tmp.dir, 'missing.mp3') });
    const result = await uploadCorrections(testClient(server), pendingOf(ledger, [withAudio, unreadable]), options(ledger, { project: 'eno-excerpts', includeExcerpts: true }));
    if (!result.ok || result.value.status !== 'uploaded') throw new Error(JSON.stringify(result));
    expect(result.value.warnings).toEqual(['correction-0002: no excerpt (file not found)']);
    const wav = filesOf(result.value.datasetId).zips.get('data')!.get(`excerpts/${withAudio.trackHash}.wav`)!;
    expect(wav.subarray(0, 4).toString('ascii')).toBe('RIFF');
    expect(wav.readUInt32LE(24)).toBe(16_000);
    expect(wav.readUInt32LE(40)).toBe(30 * 16_000 * 2);
  });

  it('stops when cancelled, keeps the draft, and the next attempt resumes it', async () => {
    const { ledger } = memoryLedger();
    const controller = new AbortController();
    const cancelled = await uploadCorrections(testClient(server), pendingOf(ledger, [correction(1)]), options(ledger, {
      project: 'eno-cancel',
      signal: controller.signal,
      onProgress: (p) => p.phase === 'registering' && controller.abort(),
    }));
    expect(cancelled).toEqual({ ok: false, error: { code: 'cancelled', message: 'Cancelled.' } });
    const draft = ledger.openDraft('eno-cancel', 'corrections')!;
    expect(server.state.tasks.get(draft.datasetId)!.status).toBe('in_progress');
    const resumed = await uploadCorrections(testClient(server), pendingOf(ledger, [correction(1)]), options(ledger, { project: 'eno-cancel' }));
    expect(resumed.ok && resumed.value).toMatchObject({ status: 'uploaded', datasetId: draft.datasetId, resumed: true });
    // The chunk registered before the cancel was not sent again.
    const uploads = server.state.calls.filter((c) => c.endpoint === 'tasks.add_or_update_artifacts' && c.body.task === draft.datasetId);
    expect(uploads.map((c) => (c.body.artifacts as Array<{ key: string }>)[0]!.key)).toEqual(['data', 'state']);
  });
});

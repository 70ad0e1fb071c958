import { describe, expect, it } from 'vitest';
import { buildState, buildStruct, chunkArtifactName, lineageParents, packChunks, type DatasetState } from './dataset-state';
import type { StagedFile } from './dataset-files';
import { compareVersions, isValidVersion, newestVersion, nextVersion } from './version';

const file = (relativePath: string, sizeBytes: number): StagedFile => ({ relativePath, localPath: `/x/${relativePath}`, sizeBytes, sha256: `h-${relativePath}` });

const parentState: DatasetState = {
  file_count: 3,
  total_size: 300,
  dataset_file_entries: [
    { relative_path: 'labels/1.0.0.jsonl', hash: 'a', parent_dataset_id: 'v1', size: 100, artifact_name: 'data' },
    { relative_path: 'manifest.json', hash: 'b', parent_dataset_id: 'v2', size: 50, artifact_name: 'data' },
    { relative_path: 'notes.txt', hash: 'c', parent_dataset_id: 'v2', size: 10, artifact_name: 'data_001' },
  ],
  dataset_link_entries: [{ link: 's3://bucket/x.wav', relative_path: 'x.wav', parent_dataset_id: 'v2', size: 140, hash: null }],
  dependency_graph: { v1: [], v2: ['v1'], gone: [] },
  id: 'v2',
  dirty: false,
};

describe('dataset state', () => {
  it('inherits entries with their holders, replaces modified paths, keeps links, and prunes the graph as the SDK does', () => {
    const chunks = packChunks([file('labels/1.0.2.jsonl', 40), file('manifest.json', 60)], 1000);
    const { state, changes } = buildState({ datasetId: 'v3', parentId: 'v2', parentState, chunks }, { v1: 1, v2: 2 });
    expect(changes).toEqual({ added: 1, modified: 1, removed: 0, changeSizeBytes: 40 + 10 });
    expect(state.dataset_file_entries.map((e) => [e.relative_path, e.parent_dataset_id, e.artifact_name])).toEqual([
      ['labels/1.0.0.jsonl', 'v1', 'data'],
      ['manifest.json', 'v3', 'data'],
      ['notes.txt', 'v2', 'data_001'],
      ['labels/1.0.2.jsonl', 'v3', 'data'],
    ]);
    expect(state.dataset_link_entries).toHaveLength(1);
    expect(state.file_count).toBe(5);
    expect(state.total_size).toBe(100 + 60 + 10 + 40 + 140);
    expect(state.dependency_graph).toEqual({ v1: [], v2: ['v1'], v3: ['v2'] });
    expect(state.dependency_chunk_lookup).toEqual({ v1: 1, v2: 2, v3: 1 });
  });

  it('names and fills chunks like the SDK', () => {
    expect([0, 1, 12].map(chunkArtifactName)).toEqual(['data', 'data_001', 'data_012']);
    const chunks = packChunks([file('a', 6), file('b', 6), file('c', 20), file('d', 1)], 12);
    expect(chunks.map((c) => [c.artifactName, c.files.map((f) => f.relativePath)])).toEqual([
      ['data', ['a', 'b']],
      ['data_001', ['c']],
      ['data_002', ['d']],
    ]);
  });

  it('writes a Dataset Struct covering the whole lineage, oldest first', () => {
    const parentStruct = {
      '0': { job_id: 'v1', status: 'completed', last_update: 1, parents: [], job_size: 1, name: 'c', version: '1.0.0' },
      '1': { job_id: 'v2', status: 'in_progress', last_update: 2, parents: ['0'], job_size: 2, name: 'c', version: '1.0.1' },
    };
    const lineage = lineageParents('v2', parentStruct, null);
    const tasks = new Map([
      ['v1', { id: 'v1', status: 'completed', lastUpdateSec: 10, totalSizeBytes: 1, name: 'c', version: '1.0.0' }],
      ['v2', { id: 'v2', status: 'completed', lastUpdateSec: 20, totalSizeBytes: 2, name: 'c', version: '1.0.1' }],
    ]);
    const struct = buildStruct({ id: 'v3', status: 'in_progress', lastUpdateSec: 30, totalSizeBytes: 3, name: 'c', version: '1.0.2' }, ['v2'], lineage, tasks);
    expect(struct).toEqual({
      '0': { job_id: 'v1', status: 'completed', last_update: 10, parents: [], job_size: 1, name: 'c', version: '1.0.0' },
      '1': { job_id: 'v2', status: 'completed', last_update: 20, parents: ['0'], job_size: 2, name: 'c', version: '1.0.1' },
      '2': { job_id: 'v3', status: 'in_progress', last_update: 30, parents: ['1'], job_size: 3, name: 'c', version: '1.0.2' },
    });
  });
});

describe('dataset versions', () => {
  it('compare like the SDK: numeric releases win, others never do, ties go to the newest update', () => {
    expect(nextVersion('1.0.9')).toBe('1.0.10');
    expect(nextVersion('2')).toBe('2.0.1');
    expect(nextVersion(null)).toBe('1.0.0');
    expect(nextVersion('final')).toBe('1.0.0');
    expect(compareVersions('1.0.10', '1.0.9')).toBeGreaterThan(0);
    expect(isValidVersion('1.0.0rc1')).toBe(true);
    expect(isValidVersion('latest')).toBe(false);
    const pick = newestVersion([
      { version: '1.0.10', lastUpdate: '2026-01-01' },
      { version: 'nightly', lastUpdate: '2026-03-01' },
      { version: '1.0.9', lastUpdate: '2026-02-01' },
    ]);
    expect(pick?.version).toBe('1.0.10');
    expect(newestVersion([{ version: 'a', lastUpdate: '1' }, { version: 'b', lastUpdate: '2' }])?.version).toBe('b');
  });
});

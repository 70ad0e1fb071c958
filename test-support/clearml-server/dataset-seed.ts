// Dataset versions written straight into a test server's state, laid out as the SDK leaves them
// (hidden project, system tag "dataset", runtime version, `state` artifact, `Dataset Struct`), for
// tests that need more versions than uploading them one by one would allow. Only the newest version
// carries a state artifact and a Dataset Struct (what a client building on it reads); no data zips
// are written, so these versions are for clients that build on them, not for reading their files.
import { createHash } from 'node:crypto';
import type { JsonObject } from './api-error';
import type { TestServer } from './server';
import { TEST_IDENTITY } from './state';

export interface SeededVersion {
  readonly id: string;
  readonly version: string;
}

export interface SeedOptions {
  readonly project: string;
  readonly name: string;
  readonly count: number;
  /** Status of every seeded version; default "completed". */
  readonly status?: string;
}

const quote = (path: string): string => path.split('/').map(encodeURIComponent).join('/');

/** Writes `count` finalized versions, each the parent of the next; returns them oldest first. */
export function seedVersionChain(server: TestServer, options: SeedOptions): SeededVersion[] {
  const { state } = server;
  state.ensureProject(`${options.project}/.datasets`, { system_tags: ['hidden'] });
  const project = state.ensureProject(`${options.project}/.datasets/${options.name}`, { system_tags: ['hidden', 'dataset'] });
  const seeded: SeededVersion[] = [];
  const entries: JsonObject[] = [];
  const graph: Record<string, string[]> = {};
  const struct: JsonObject = {};
  for (let i = 0; i < options.count; i++) {
    const id = state.newId();
    const version = `1.0.${i}`;
    const now = state.now();
    const parent = seeded.at(-1)?.id;
    const content = `seeded file ${i}\n`;
    entries.push({
      relative_path: `seed/${String(i).padStart(5, '0')}.txt`,
      hash: createHash('sha256').update(content).digest('hex'),
      parent_dataset_id: id,
      size: content.length,
      artifact_name: 'data',
    });
    graph[id] = parent ? [parent] : [];
    struct[String(i)] = { job_id: id, status: options.status ?? 'completed', last_update: Math.floor(Date.parse(now) / 1000), parents: parent ? [String(i - 1)] : [], job_size: content.length * (i + 1), name: options.name, version };
    state.tasks.set(id, {
      id,
      name: options.name,
      type: 'data_processing',
      project: project.id as string,
      status: options.status ?? 'completed',
      system_tags: ['dataset'],
      tags: [],
      comment: 'seeded by the test',
      runtime: { orig_dataset_name: options.name, orig_dataset_id: id, version, ds_file_count: i + 1, ds_total_size: content.length * (i + 1) },
      hyperparams: { properties: { version: { section: 'properties', name: 'version', value: version } } },
      configuration: {},
      execution: { artifacts: [] },
      models: { input: [], output: [] },
      user: TEST_IDENTITY.user,
      company: TEST_IDENTITY.company,
      created: now,
      started: now,
      completed: now,
      status_changed: now,
      last_update: now,
      last_change: now,
    });
    seeded.push({ id, version });
  }
  const newest = seeded.at(-1);
  if (newest) {
    const task = state.tasks.get(newest.id)!;
    const path = `${options.project}/.datasets/${options.name}/${options.name}.${newest.id}/artifacts/state/state.json`;
    const stateJson = JSON.stringify({
      file_count: entries.length,
      total_size: entries.reduce((n, e) => n + (e.size as number), 0),
      dataset_file_entries: entries,
      dataset_link_entries: [],
      dependency_graph: graph,
      id: newest.id,
      dirty: false,
      dependency_chunk_lookup: Object.fromEntries(seeded.map((v) => [v.id, 1])),
    });
    state.files.set(path, Buffer.from(stateJson));
    task.execution = {
      artifacts: [{ key: 'state', type: 'dict', mode: 'output', uri: `${server.filesUrl}/${quote(path)}`, hash: createHash('sha256').update(stateJson).digest('hex'), content_size: stateJson.length }],
    };
    task.configuration = { 'Dataset Struct': { name: 'Dataset Struct', type: 'json', value: JSON.stringify(struct) } };
  }
  return seeded;
}

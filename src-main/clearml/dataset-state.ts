// The bookkeeping a ClearML dataset version carries, computed exactly as the SDK computes it: the
// `state` artifact (every file of the dataset with the version that holds its bytes, and the
// dependency graph), the runtime statistics, the `Dataset Struct` lineage object and the split of
// new files into `data`, `data_001`, ... zip chunks.
import type { StagedFile } from './dataset-files';

export interface FileEntry {
  readonly relative_path: string;
  readonly hash: string;
  readonly parent_dataset_id: string;
  readonly size: number;
  readonly artifact_name: string;
}

/** An external file of a version written by other tools; carried over untouched. */
export interface LinkEntry {
  readonly link: string;
  readonly relative_path: string;
  readonly parent_dataset_id: string;
  readonly size: number | null;
  readonly hash: string | null;
}

export interface DatasetState {
  readonly file_count: number;
  readonly total_size: number;
  readonly dataset_file_entries: readonly FileEntry[];
  readonly dataset_link_entries: readonly LinkEntry[];
  readonly dependency_graph: Readonly<Record<string, readonly string[]>>;
  readonly id: string;
  readonly dirty: boolean;
  readonly dependency_chunk_lookup?: Readonly<Record<string, number>>;
}

export interface StructNode {
  readonly job_id: string;
  readonly status: string;
  readonly last_update: number | null;
  readonly parents: readonly string[];
  readonly job_size: number | null;
  readonly name: string;
  readonly version: string | null;
}

export type DatasetStruct = Readonly<Record<string, StructNode>>;

export interface Chunk {
  readonly artifactName: string;
  readonly files: readonly StagedFile[];
}

/** The artifact name of the nth data chunk: "data", "data_001", "data_002", ... */
export function chunkArtifactName(index: number): string {
  return index === 0 ? 'data' : `data_${String(index).padStart(3, '0')}`;
}

/** Packs files in order into chunks of at most `chunkSizeBytes` (a larger file gets a chunk of its own). */
export function packChunks(files: readonly StagedFile[], chunkSizeBytes: number): Chunk[] {
  const groups: StagedFile[][] = [];
  let current: StagedFile[] = [];
  let size = 0;
  for (const file of files) {
    if (current.length > 0 && size + file.sizeBytes > chunkSizeBytes) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(file);
    size += file.sizeBytes;
  }
  if (current.length > 0) groups.push(current);
  return groups.map((group, i) => ({ artifactName: chunkArtifactName(i), files: group }));
}

export interface StateInput {
  readonly datasetId: string;
  readonly parentId: string | null;
  readonly parentState: DatasetState | null;
  readonly chunks: readonly Chunk[];
}

export interface ChangeStats {
  readonly added: number;
  readonly modified: number;
  readonly removed: number;
  readonly changeSizeBytes: number;
}

/** The new version's state (inherited entries first, ours replacing same-path ones) and its change counts. */
export function buildState(input: StateInput, chunkLookup: Readonly<Record<string, number>>): { state: DatasetState; changes: ChangeStats } {
  const entries = new Map<string, FileEntry>();
  for (const entry of input.parentState?.dataset_file_entries ?? []) entries.set(entry.relative_path, entry);
  const parentEntries = new Map(entries);
  let added = 0;
  let modified = 0;
  let changeSizeBytes = 0;
  for (const chunk of input.chunks) {
    for (const file of chunk.files) {
      const previous = parentEntries.get(file.relativePath);
      if (previous) {
        modified += 1;
        changeSizeBytes += file.sizeBytes - previous.size;
      } else {
        added += 1;
        changeSizeBytes += file.sizeBytes;
      }
      entries.set(file.relativePath, {
        relative_path: file.relativePath,
        hash: file.sha256,
        parent_dataset_id: input.datasetId,
        size: file.sizeBytes,
        artifact_name: chunk.artifactName,
      });
    }
  }
  const list = [...entries.values()];
  // External links of earlier versions stay, unless one of our files now has the same path.
  const ours = new Set(input.chunks.flatMap((c) => c.files.map((f) => f.relativePath)));
  const links = (input.parentState?.dataset_link_entries ?? []).filter((l) => !ours.has(l.relative_path));
  const graph = dependencyGraph(input.datasetId, input.parentId, input.parentState, [...list, ...links]);
  const lookup: Record<string, number> = {};
  for (const id of Object.keys(graph)) lookup[id] = id === input.datasetId ? input.chunks.length : (chunkLookup[id] ?? 0);
  const state: DatasetState = {
    file_count: list.length + links.length,
    total_size: list.reduce((n, e) => n + e.size, 0) + links.reduce((n, l) => n + (l.size ?? 0), 0),
    dataset_file_entries: list,
    dataset_link_entries: links,
    dependency_graph: graph,
    id: input.datasetId,
    dirty: false,
    dependency_chunk_lookup: lookup,
  };
  return { state, changes: { added, modified, removed: 0, changeSizeBytes } };
}

/**
 * The parents' graph plus this version, keeping (as the SDK does) only versions that hold files of
 * this dataset, while this version always keeps its direct parents.
 */
export function dependencyGraph(
  datasetId: string,
  parentId: string | null,
  parentState: DatasetState | null,
  entries: ReadonlyArray<{ readonly parent_dataset_id: string }>,
): Record<string, string[]> {
  const used = new Set(entries.map((e) => e.parent_dataset_id));
  used.add(datasetId);
  const merged: Record<string, readonly string[]> = { ...(parentState?.dependency_graph ?? {}) };
  if (parentId && !(parentId in merged)) merged[parentId] = [];
  const graph: Record<string, string[]> = {};
  for (const [id, parents] of Object.entries(merged)) {
    if (used.has(id)) graph[id] = parents.filter((p) => used.has(p));
  }
  graph[datasetId] = parentId ? [parentId] : [];
  return graph;
}

export interface LineageTask {
  readonly id: string;
  readonly status: string;
  readonly lastUpdateSec: number | null;
  readonly totalSizeBytes: number | null;
  readonly name: string;
  readonly version: string | null;
}

/** Parent links of every version in the lineage: from the parent's Dataset Struct, else its state. */
export function lineageParents(parentId: string | null, parentStruct: DatasetStruct | null, parentState: DatasetState | null): Map<string, string[]> {
  const parents = new Map<string, string[]>();
  if (!parentId) return parents;
  if (parentStruct) {
    for (const node of Object.values(parentStruct)) {
      parents.set(node.job_id, node.parents.map((p) => parentStruct[p]?.job_id).filter((id): id is string => typeof id === 'string'));
    }
  }
  for (const [id, ps] of Object.entries(parentState?.dependency_graph ?? {})) {
    const known = parents.get(id) ?? [];
    parents.set(id, [...new Set([...known, ...ps])]);
  }
  if (!parents.has(parentId)) parents.set(parentId, []);
  for (const ps of [...parents.values()]) for (const p of ps) if (!parents.has(p)) parents.set(p, []);
  return parents;
}

/** The `Dataset Struct` object: one node per version of the lineage, oldest first, this version last. */
export function buildStruct(self: LineageTask, selfParents: readonly string[], lineage: ReadonlyMap<string, readonly string[]>, tasks: ReadonlyMap<string, LineageTask>): DatasetStruct {
  const order: string[] = [];
  const visit = (id: string, trail: Set<string>): void => {
    if (order.includes(id) || trail.has(id)) return;
    trail.add(id);
    for (const p of lineage.get(id) ?? []) visit(p, trail);
    order.push(id);
  };
  for (const id of lineage.keys()) visit(id, new Set());
  const ids = [...order.filter((id) => id !== self.id), self.id];
  const indexOf = new Map(ids.map((id, i) => [id, String(i)]));
  const struct: Record<string, StructNode> = {};
  for (const id of ids) {
    const task = id === self.id ? self : tasks.get(id);
    const parents = id === self.id ? selfParents : (lineage.get(id) ?? []);
    struct[indexOf.get(id)!] = {
      job_id: id,
      status: task?.status ?? 'unknown',
      last_update: task?.lastUpdateSec ?? null,
      parents: parents.map((p) => indexOf.get(p)).filter((p): p is string => p !== undefined),
      job_size: task?.totalSizeBytes ?? null,
      name: task?.name ?? self.name,
      version: task?.version ?? null,
    };
  }
  return struct;
}

/** Runtime properties of the version task, as the SDK writes them. */
export function runtimeProperties(input: {
  readonly datasetName: string;
  readonly datasetId: string;
  readonly version: string;
  readonly state: DatasetState;
  readonly changes: ChangeStats;
  readonly compressedBytes: number;
  readonly parentCompressedBytes: number;
  readonly extra: Readonly<Record<string, string>>;
}): Record<string, string | number> {
  return {
    ...input.extra,
    orig_dataset_name: input.datasetName,
    orig_dataset_id: input.datasetId,
    version: input.version,
    ds_file_count: input.state.dataset_file_entries.length,
    ds_link_count: input.state.dataset_link_entries.length,
    ds_total_size: input.state.total_size,
    ds_total_size_compressed: input.compressedBytes + input.parentCompressedBytes,
    ds_change_add: input.changes.added,
    ds_change_remove: input.changes.removed,
    ds_change_modify: input.changes.modified,
    ds_change_size: input.changes.changeSizeBytes,
  };
}

/** The "Dataset Content" preview table the SDK attaches (CSV). */
export function contentPreview(state: DatasetState): string {
  const entries = [...state.dataset_file_entries].sort((a, b) => (a.relative_path < b.relative_path ? -1 : 1));
  const header = `File Name (${entries.length} files), File Size (total ${state.total_size} B), Hash (SHA2)`;
  return [header, ...entries.slice(0, 1000).map((e) => `${e.relative_path}, ${e.size}, ${e.hash}`)].join('\n');
}

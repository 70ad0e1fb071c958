// The files one dataset version adds, written to a staging folder before they are zipped. Names
// carry the version ("labels/1.0.1.jsonl") so files inherited from earlier versions never collide
// with new ones and a local copy of the newest version holds every label ever uploaded; only
// manifest.json is rewritten each version, as the table of contents of the whole dataset.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import { DecodeError } from '../audio/decode';
import { writeExcerpt } from './excerpt';
import { compareVersions, isValidVersion } from './version';

export interface CorrectionForUpload {
  /** Stable id of this correction snapshot; used to record what went up and never upload it twice. */
  readonly key: string;
  /** Content hash identifying the audio. */
  readonly trackHash: string;
  readonly artist: string | null;
  readonly album: string | null;
  readonly title: string | null;
  readonly durationSec: number;
  readonly finalTags: readonly string[];
  readonly tagsAdded: readonly string[];
  readonly tagsRemoved: readonly string[];
  /** Final tags made from the music file's own genre or mood values. */
  readonly tagsFromFile?: readonly string[];
  readonly predictedScores: Readonly<Record<string, number>>;
  readonly modelId: string;
  readonly modelVersion: string;
  /** ISO 8601. */
  readonly reviewedAt: string | null;
  readonly embedding: Float32Array | null;
  /** For the optional excerpt. */
  readonly audioPath: string | null;
  /** The learned tags (on-device classifiers) this correction confirmed or rejected, with their scores. */
  readonly learned?: ReadonlyArray<{ readonly tag: string; readonly score: number; readonly verdict: 'confirmed' | 'rejected' }>;
}

export const MANIFEST_SCHEMA = 1;

/** One version's entry in manifest.json. */
export interface ManifestVersion {
  readonly version: string;
  readonly dataset_id: string;
  readonly created_at: string;
  readonly app_version: string;
  readonly labels: string;
  readonly embeddings: string | null;
  readonly embeddings_index: string | null;
  readonly records: number;
  readonly embedding_rows: number;
  readonly embedding_dim: number | null;
  readonly excerpts: number;
}

/** manifest.json: what the whole dataset holds, newest version last. */
export interface DatasetManifest {
  readonly schema: number;
  readonly app: string;
  readonly app_version: string;
  readonly project: string;
  readonly dataset: string;
  readonly version: string;
  readonly dataset_id: string;
  readonly parent_id: string | null;
  readonly tag_vocabulary: readonly string[];
  readonly counts: { readonly records: number; readonly tracks_in_this_version: number; readonly embedding_rows: number; readonly excerpts: number };
  /** Every version written by the app, oldest first; versions made by other tools are not listed. */
  readonly versions: readonly ManifestVersion[];
  /** Every labels file in the dataset (all versions, by any tool), oldest first. */
  readonly label_files: readonly string[];
}

export interface StagedFile {
  readonly relativePath: string;
  readonly localPath: string;
  readonly sizeBytes: number;
  readonly sha256: string;
}

export interface StageOptions {
  readonly stagingDir: string;
  readonly project: string;
  readonly datasetName: string;
  readonly version: string;
  readonly datasetId: string;
  readonly parentId: string | null;
  readonly appVersion: string;
  readonly createdAt: string;
  /** The parent's manifest.json, when the parent was written by the app. */
  readonly parentManifest: DatasetManifest | null;
  /** Relative paths the dataset already holds (inherited entries). */
  readonly inheritedPaths: ReadonlySet<string>;
  readonly includeExcerpts: boolean;
  readonly excerptSeconds?: number;
  readonly signal?: AbortSignal;
}

export interface StagedVersion {
  readonly files: readonly StagedFile[];
  readonly manifest: DatasetManifest;
  readonly warnings: readonly string[];
}

/** The labels.jsonl record of one correction (snake_case, as training code reads it). */
export function labelRecord(c: CorrectionForUpload, embeddingRow: number | null, excerpt: string | null): Record<string, unknown> {
  return {
    key: c.key,
    track_hash: c.trackHash,
    artist: c.artist,
    album: c.album,
    title: c.title,
    duration_sec: c.durationSec,
    final_tags: [...c.finalTags],
    tags_added: [...c.tagsAdded],
    tags_removed: [...c.tagsRemoved],
    tags_from_file: [...(c.tagsFromFile ?? [])],
    predicted_scores: { ...c.predictedScores },
    model_id: c.modelId,
    model_version: c.modelVersion,
    reviewed_at: c.reviewedAt,
    embedding_row: embeddingRow,
    excerpt,
    learned_tags: (c.learned ?? []).map((l) => ({ tag: l.tag, score: l.score, verdict: l.verdict })),
  };
}

function float32Le(rows: readonly Float32Array[], dim: number): Buffer {
  const out = Buffer.alloc(rows.length * dim * 4);
  rows.forEach((row, r) => row.forEach((v, i) => out.writeFloatLE(v, (r * dim + i) * 4)));
  return out;
}

/** Orders "labels/1.0.9.jsonl" before "labels/1.0.10.jsonl". */
function byVersionName(a: string, b: string): number {
  const va = a.replace(/^labels\/|\.jsonl$/g, '');
  const vb = b.replace(/^labels\/|\.jsonl$/g, '');
  if (isValidVersion(va) && isValidVersion(vb)) return compareVersions(va, vb);
  return a < b ? -1 : a > b ? 1 : 0;
}

function stagedPath(dir: string, relativePath: string): string {
  return join(dir, ...relativePath.split('/'));
}

async function describe(dir: string, relativePath: string): Promise<StagedFile> {
  const localPath = stagedPath(dir, relativePath);
  const bytes = await fs.readFile(localPath);
  return { relativePath, localPath, sizeBytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

async function put(dir: string, relativePath: string, data: Buffer | string): Promise<StagedFile> {
  const localPath = stagedPath(dir, relativePath);
  await fs.mkdir(dirname(localPath), { recursive: true });
  await fs.writeFile(localPath, data);
  return describe(dir, relativePath);
}

/** Writes this version's files (sorted by key, so a retry produces the same bytes) and its manifest. */
export async function stageVersion(corrections: readonly CorrectionForUpload[], options: StageOptions): Promise<StagedVersion> {
  const sorted = [...corrections].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const warnings: string[] = [];
  const files: StagedFile[] = [];
  const v = options.version;

  const rows: Float32Array[] = [];
  const index: Array<{ row: number; key: string; track_hash: string; labels_line: number }> = [];
  const dim = sorted.find((c) => c.embedding && c.embedding.length > 0)?.embedding?.length ?? null;
  const excerptDone = new Set<string>();
  const lines: string[] = [];
  for (const [line, c] of sorted.entries()) {
    let row: number | null = null;
    if (c.embedding && dim !== null) {
      if (c.embedding.length === dim) {
        row = rows.length;
        rows.push(c.embedding);
        index.push({ row, key: c.key, track_hash: c.trackHash, labels_line: line });
      } else {
        warnings.push(`${c.key}: embedding has ${c.embedding.length} values, expected ${dim}; left out`);
      }
    }
    let excerpt: string | null = null;
    if (options.includeExcerpts && c.audioPath) {
      const path = `excerpts/${c.trackHash}.wav`;
      if (options.inheritedPaths.has(path) || excerptDone.has(path)) excerpt = path;
      else {
        try {
          const localPath = stagedPath(options.stagingDir, path);
          await fs.mkdir(dirname(localPath), { recursive: true });
          await writeExcerpt(c.audioPath, localPath, { durationSec: c.durationSec, seconds: options.excerptSeconds, signal: options.signal });
          files.push(await describe(options.stagingDir, path));
          excerptDone.add(path);
          excerpt = path;
        } catch (error) {
          if (!(error instanceof DecodeError)) throw error;
          if (error.reason === 'cancelled') throw error;
          warnings.push(`${c.key}: no excerpt (${error.reason})`);
        }
      }
    }
    lines.push(JSON.stringify(labelRecord(c, row, excerpt)));
  }
  const labelsPath = `labels/${v}.jsonl`;
  files.unshift(await put(options.stagingDir, labelsPath, lines.length > 0 ? `${lines.join('\n')}\n` : ''));
  let embeddingsPath: string | null = null;
  let indexPath: string | null = null;
  if (rows.length > 0 && dim !== null) {
    embeddingsPath = `embeddings/${v}.f32`;
    indexPath = `embeddings/${v}.index.json`;
    files.splice(1, 0, await put(options.stagingDir, embeddingsPath, float32Le(rows, dim)));
    const indexJson = { schema: MANIFEST_SCHEMA, dtype: 'float32', byte_order: 'little', dim, rows: index, labels: labelsPath };
    files.splice(2, 0, await put(options.stagingDir, indexPath, `${JSON.stringify(indexJson, null, 1)}\n`));
  }

  const parent = options.parentManifest;
  const vocabulary = new Set(parent?.tag_vocabulary ?? []);
  for (const c of sorted) for (const tag of [...c.finalTags, ...c.tagsAdded, ...c.tagsRemoved, ...Object.keys(c.predictedScores)]) vocabulary.add(tag);
  const thisVersion: ManifestVersion = {
    version: v,
    dataset_id: options.datasetId,
    created_at: options.createdAt,
    app_version: options.appVersion,
    labels: labelsPath,
    embeddings: embeddingsPath,
    embeddings_index: indexPath,
    records: sorted.length,
    embedding_rows: rows.length,
    embedding_dim: dim,
    excerpts: excerptDone.size,
  };
  const versions = [...(parent?.versions ?? []), thisVersion];
  const inheritedLabels = [...options.inheritedPaths].filter((p) => /^labels\/[^/]+\.jsonl$/.test(p)).sort(byVersionName);
  const labelFiles = [...new Set([...(parent?.label_files ?? []), ...inheritedLabels, labelsPath])];
  const manifest: DatasetManifest = {
    schema: MANIFEST_SCHEMA,
    app: 'eno',
    app_version: options.appVersion,
    project: options.project,
    dataset: options.datasetName,
    version: v,
    dataset_id: options.datasetId,
    parent_id: options.parentId,
    tag_vocabulary: [...vocabulary].sort(),
    counts: {
      records: versions.reduce((n, x) => n + x.records, 0),
      tracks_in_this_version: new Set(sorted.map((c) => c.trackHash)).size,
      embedding_rows: versions.reduce((n, x) => n + x.embedding_rows, 0),
      excerpts: versions.reduce((n, x) => n + x.excerpts, 0),
    },
    versions,
    label_files: labelFiles,
  };
  files.push(await put(options.stagingDir, 'manifest.json', `${JSON.stringify(manifest, null, 1)}\n`));
  return { files, manifest, warnings };
}

// Refits every learned tag from the person's examples and scores the whole library with it. Runs
// in the learning worker (the app) or in process (`eno learn`); reads and writes the store through
// its own connection. A refit skips the tags whose examples and embeddings did not change.
import { createHash } from 'node:crypto';
import type { Db } from '../library/store';
import { getSetting, ModelRegistry, SETTINGS } from '../library/store';
import { TrackSummaries } from '../library/summary';
import { blobFloat32 } from '../library/blobs';
import { EmbeddingIndex, spaceModels, type SpaceKey } from './embedding-index';
import { readExamples } from './examples';
import { dropLearnedTag, learnedTags, refreshUncertainties, writeFit, writeScores, type TagScores, type WriteResult } from './learned-store';
import { DEFAULT_C, learnTag, scoreMany, type LearnOptions, type StoredClassifier, type TagExamples, type TagFit } from './tag-learner';

/** What one refit did. */
export interface RefitReport {
  readonly space: SpaceKey | null;
  /** Tracks with an embedding in the space. */
  readonly embeddings: number;
  /** Tags fitted this time (the others were unchanged). */
  readonly fitted: number;
  /** Tags learned and suggesting, after the refit. */
  readonly learned: number;
  /** Suggestions that appeared and went away across all tags. */
  readonly added: number;
  readonly removed: number;
  readonly durationMs: number;
  /** Tracks whose learned scores changed (for refreshing what is on screen). */
  readonly changedTracks: readonly number[];
  /** Why nothing could be learned, when nothing could. */
  readonly problem: string | null;
}

/** The embedding space learned tags use: the active model's embedding. */
export function activeSpace(db: Db): SpaceKey | null {
  return getSetting(db, SETTINGS.activeModel) ?? null;
}

/** Reads every track's embedding in a space into an index. */
export function loadIndex(db: Db, space: SpaceKey): EmbeddingIndex {
  const models = spaceModels(space);
  const perModel = models.map(
    (key) =>
      new Map(
        (db.prepare('SELECT track_id, embedding FROM predictions WHERE model_key = ? AND embedding IS NOT NULL').raw().all(key) as Array<[number, Buffer]>).map(
          ([id, blob]) => [id, blobFloat32(blob)] as const,
        ),
      ),
  );
  const ids = [...perModel[0]!.keys()].filter((id) => perModel.every((m) => m.has(id))).sort((a, b) => a - b);
  const dims = perModel.map((m) => m.values().next().value?.length ?? 0);
  const d = dims.reduce((a, b) => a + b, 0);
  const rows = new Float32Array(ids.length * d);
  ids.forEach((id, i) => {
    let offset = i * d;
    perModel.forEach((m, k) => {
      const e = m.get(id)!;
      rows.set(e.subarray(0, dims[k]), offset);
      offset += dims[k]!;
    });
  });
  return new EmbeddingIndex(space, Int32Array.from(ids), rows, d, indexGeneration(db, space));
}

/** Changes whenever a prediction of a model in the space is written or removed. */
export function indexGeneration(db: Db, space: SpaceKey): string {
  return spaceModels(space)
    .map((key) => {
      const r = db.prepare('SELECT count(*) AS n, max(id) AS top FROM predictions WHERE model_key = ? AND embedding IS NOT NULL').get(key) as {
        n: number;
        top: number | null;
      };
      return `${r.n}:${r.top ?? 0}`;
    })
    .join('|');
}

/** Refits learned tags; keeps the embedding index and what it last fitted between calls. */
export class Learner {
  private index: EmbeddingIndex | null = null;
  private readonly summaries: TrackSummaries;

  constructor(
    private readonly db: Db,
    private readonly options: LearnOptions = {},
  ) {
    this.summaries = new TrackSummaries(db, new ModelRegistry(db));
  }

  /** What a fit depends on: the space, the classifier settings and the examples it can use. */
  private fitKey(index: EmbeddingIndex | null, ex: TagExamples, enabled: boolean): string {
    const usable = (ids: readonly number[]): number[] => (index ? ids.filter((id) => index.row(id) !== undefined) : []);
    const text = JSON.stringify([index?.space ?? null, this.options.kind ?? 'logistic', this.options.c ?? DEFAULT_C, usable(ex.positives), usable(ex.negatives), enabled]);
    return createHash('sha256').update(text).digest('hex');
  }

  /** The index of the active space, read again only when predictions changed. */
  currentIndex(): EmbeddingIndex | null {
    const space = activeSpace(this.db);
    if (!space) return null;
    if (this.index && this.index.space === space && this.index.generation === indexGeneration(this.db, space)) return this.index;
    this.index = loadIndex(this.db, space);
    return this.index;
  }

  /** Refits every tag whose examples or embeddings changed and rescores the library. */
  refit(onTag?: (tag: string) => void): RefitReport {
    const steps = this.refitSteps(onTag);
    for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
  }

  /**
   * The refit one tag at a time: the worker runs it with a pause between tags, so a "more like
   * this" asked meanwhile is answered without waiting for the whole refit.
   */
  *refitSteps(onTag?: (tag: string) => void): Generator<string, RefitReport> {
    const started = performance.now();
    const index = this.currentIndex();
    const examples = readExamples(this.db);
    const stored = new Map(learnedTags(this.db).map((t) => [t.tag, t]));
    const changed = new Set<number>();
    let added = 0;
    let removed = 0;
    let fitted = 0;
    const tally = (r: WriteResult): void => {
      added += r.added;
      removed += r.removed;
      for (const id of r.changedTracks) changed.add(id);
      refreshUncertainties(this.db, this.summaries, r.changedTracks);
    };
    for (const tag of stored.keys()) {
      if (examples.has(tag)) continue;
      tally(dropLearnedTag(this.db, tag));
    }
    const space = index?.space ?? null;
    const generation = index?.generation ?? null;
    // Fit what changed, one tag at a time; a tag whose examples did not change but whose library
    // did (new tracks tagged) keeps its classifier and is only scored again.
    const toWrite: Array<{ tag: string; fit: TagFit; fitKey: string }> = [];
    const toRescore: Array<{ tag: string; classifier: StoredClassifier; threshold: number }> = [];
    for (const [tag, ex] of examples) {
      const setting = stored.get(tag);
      const enabled = setting?.enabled !== false;
      const fitKey = this.fitKey(index, ex, enabled);
      if (setting && setting.fitKey === fitKey && setting.space === space) {
        if (setting.scoredGeneration === generation) continue;
        if (setting.status === 'learned' && setting.enabled && setting.classifier && setting.threshold !== null) {
          toRescore.push({ tag, classifier: setting.classifier, threshold: setting.threshold });
          continue;
        }
      }
      onTag?.(tag);
      const usable = index !== null && index.n > 0 && enabled;
      toWrite.push({ tag, fitKey, fit: usable ? learnTag(index, ex, this.options) : { status: 'too-few', positives: ex.positives.length, negatives: ex.negatives.length } });
      fitted++;
      yield tag;
    }
    // ...score the library with every new fit in one pass, then store each tag in its own transaction.
    const scored = toWrite.filter((w): w is { tag: string; fitKey: string; fit: Exclude<TagFit, { status: 'too-few' }> } => w.fit.status === 'learned');
    const classifiers = [...scored.map((w) => w.fit.classifier), ...toRescore.map((r) => r.classifier)];
    const scores = index && classifiers.length ? scoreMany(index, classifiers) : [];
    const scoresOf = new Map([...scored.map((w) => w.tag), ...toRescore.map((r) => r.tag)].map((tag, k) => [tag, scores[k]!]));
    const allOf = (tag: string): TagScores | null => (index && scoresOf.has(tag) ? { trackIds: index.trackIds, scores: scoresOf.get(tag)! } : null);
    for (const { tag, fit, fitKey } of toWrite) {
      tally(writeFit(this.db, tag, space ?? '', fit, allOf(tag), { fitKey, generation }));
      yield tag;
    }
    for (const { tag, threshold } of toRescore) {
      tally(writeScores(this.db, tag, threshold, allOf(tag)!, generation!));
      yield tag;
    }
    const learned = learnedTags(this.db).filter((t) => t.status === 'learned').length;
    return {
      space,
      embeddings: index?.n ?? 0,
      fitted,
      learned,
      added,
      removed,
      durationMs: Math.round(performance.now() - started),
      changedTracks: [...changed],
      problem: problemOf(this.db, index),
    };
  }
}

/** Why learned tags cannot work in this library, if they cannot. */
function problemOf(db: Db, index: EmbeddingIndex | null): string | null {
  if (!index) return 'no model has tagged this library yet';
  if (index.n > 0) return null;
  const tracks = db.prepare('SELECT count(*) FROM tracks WHERE file_count > 0').pluck().get() as number;
  const failed = db.prepare("SELECT count(*) FROM tracks WHERE file_count > 0 AND status = 'error'").pluck().get() as number;
  if (tracks === 0) return 'the library is empty: add a folder or drop files';
  if (failed === tracks) return `none of the ${tracks} tracks could be read, so there are no embeddings to learn from`;
  return `no track has an embedding from the active model (${index.space}) yet: they are still being tagged`;
}

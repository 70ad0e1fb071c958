// The denormalised per-track summary that keeps the table fast: final tags (track_tags), the review
// queue's uncertainty, and the search index row. Rebuilt from the predictions of the active model set
// (the union of their tags, each keeping its model) and the labels whenever either changes, inside
// the caller's transaction.
import type { Statement } from 'better-sqlite3';
import type { LabelState } from '../../src-preload/contract';
import { finalTags, type PredictedScore } from '../review/final-tags';
import { uncertainty } from '../review/uncertainty';
import { blobFloat32 } from './blobs';
import { activeModelKeys, type Db, type ModelRegistry, type StoredModel } from './store';

/** The newest prediction of a track, with its scores decoded. */
export interface LatestPrediction {
  readonly id: number;
  readonly model: StoredModel;
  readonly provider: string;
  readonly createdAt: string;
  readonly patches: number;
  readonly predicted: readonly PredictedScore[];
}

/**
 * The review queue's key: the smallest doubt of the model's tags and of the learned tags, each the
 * distance of an unlabelled tag's score from its threshold (learned tags only while suggesting).
 */
const COMBINE_UNCERTAINTY = `
  UPDATE tracks SET uncertainty = nullif(min(
    coalesce(model_uncertainty, 1e9),
    coalesce((SELECT min(abs(s.score - lt.threshold)) FROM learned_scores s JOIN learned_tags lt ON lt.tag = s.tag
              WHERE s.track_id = tracks.id AND lt.status = 'learned' AND lt.enabled = 1
                AND NOT EXISTS (SELECT 1 FROM labels x WHERE x.track_id = s.track_id AND x.tag = s.tag)), 1e9)
  ), 1e9)
  WHERE id = ?`;

/** Pairs a model's tags with a score blob's values. */
export function predictedScores(model: StoredModel, scores: ArrayLike<number>): PredictedScore[] {
  return model.tags.map((t, i) => ({ tag: t.name, category: t.category, threshold: t.threshold, score: scores[i] ?? 0, model: model.key }));
}

/** The union of several models' scores; a tag two models share keeps the higher score. */
export function unionOfPredictions(predictions: readonly LatestPrediction[]): PredictedScore[] {
  const byTag = new Map<string, PredictedScore>();
  for (const p of predictions.flatMap((x) => x.predicted)) {
    const known = byTag.get(p.tag);
    if (!known || p.score > known.score) byTag.set(p.tag, p);
  }
  return [...byTag.values()];
}

interface PredictionRow {
  id: number;
  model_key: string;
  provider: string;
  created_at: string;
  patches: number;
  scores: Buffer;
}

/** Reads and rebuilds track summaries with statements prepared once. */
export class TrackSummaries {
  private readonly all: Statement<[number], PredictionRow>;
  private readonly labels: Statement<[number], { tag: string; state: LabelState }>;
  private readonly clearTags: Statement<[number]>;
  private readonly insertTag: Statement<[number, string, string | null, number, number, string | null]>;
  private readonly setUncertainty: Statement<[number | null, number]>;
  private readonly combineUncertainty: Statement<[number]>;
  private readonly searchSource: Statement<[number], { title: string; artist: string | null; album: string | null; paths: string | null }>;
  private readonly clearSearch: Statement<[number]>;
  private readonly insertSearch: Statement<[number, string, string, string, string]>;

  /** `activeKeys` gives the keys of the active model set, first model first (default: the store's setting). */
  constructor(
    db: Db,
    private readonly models: ModelRegistry,
    private readonly activeKeys: () => readonly string[] = () => activeModelKeys(db),
  ) {
    this.all = db.prepare('SELECT id, model_key, provider, created_at, patches, scores FROM predictions WHERE track_id = ? ORDER BY id DESC');
    this.labels = db.prepare('SELECT tag, state FROM labels WHERE track_id = ?');
    this.clearTags = db.prepare('DELETE FROM track_tags WHERE track_id = ?');
    this.insertTag = db.prepare('INSERT INTO track_tags (track_id, tag, category, confidence, position, model_key) VALUES (?, ?, ?, ?, ?, ?)');
    this.setUncertainty = db.prepare('UPDATE tracks SET model_uncertainty = ? WHERE id = ?');
    this.combineUncertainty = db.prepare(COMBINE_UNCERTAINTY);
    this.searchSource = db.prepare(
      `SELECT coalesce(t.title, t.name) AS title, t.artist, t.album,
              (SELECT group_concat(path, char(10)) FROM files WHERE track_id = t.id) AS paths
       FROM tracks t WHERE t.id = ?`,
    );
    this.clearSearch = db.prepare('DELETE FROM track_search WHERE rowid = ?');
    this.insertSearch = db.prepare('INSERT INTO track_search (rowid, title, artist, album, path) VALUES (?, ?, ?, ?, ?)');
  }

  /**
   * The track's predictions from the active model set, in the set's order. A track tagged only by
   * models outside the set (an earlier model, `eno tag` with another bundle) gets its newest one.
   */
  setPredictions(trackId: number): LatestPrediction[] {
    const rows = this.all.all(trackId);
    const decode = (row: PredictionRow): LatestPrediction | null => {
      const model = this.models.get(row.model_key);
      if (!model) return null;
      return { id: row.id, model, provider: row.provider, createdAt: row.created_at, patches: row.patches, predicted: predictedScores(model, blobFloat32(row.scores)) };
    };
    const active = this.activeKeys();
    if (active.length === 0) return rows.slice(0, 1).map(decode).filter((p): p is LatestPrediction => p !== null);
    // Per model of the set: its own prediction, else one of an earlier version of it; the first
    // model's place may also be held by a model the set replaced (a pulled model in musicnn's).
    const used = new Set<number>();
    const pick = (wanted: (r: PredictionRow) => boolean): PredictionRow | undefined => {
      const row = rows.find((r) => !used.has(r.id) && wanted(r));
      if (row) used.add(row.id);
      return row;
    };
    const idOf = (key: string): string => key.slice(0, key.lastIndexOf('@'));
    const exact = active.map((key) => pick((r) => r.model_key === key));
    const chosen = exact
      .map((row, i) => row ?? pick((r) => idOf(r.model_key) === idOf(active[i]!)) ?? (i === 0 ? pick((r) => !active.includes(r.model_key)) : undefined))
      .filter((r): r is PredictionRow => r !== undefined);
    return chosen.map(decode).filter((p): p is LatestPrediction => p !== null);
  }

  /** The prediction of the set's first model (or the newest), or null when the track was never tagged. */
  latestPrediction(trackId: number): LatestPrediction | null {
    return this.setPredictions(trackId)[0] ?? null;
  }

  /** Every tag's score from the active model set, each naming its model. */
  predictedOfSet(trackId: number): PredictedScore[] {
    return unionOfPredictions(this.setPredictions(trackId));
  }

  /** The track's labels by tag. */
  labelsOf(trackId: number): Map<string, LabelState> {
    return new Map(this.labels.all(trackId).map((l) => [l.tag, l.state]));
  }

  /** Rebuilds the final tags and uncertainty of a track. */
  refresh(trackId: number): void {
    const predicted = this.predictedOfSet(trackId);
    const labels = this.labelsOf(trackId);
    this.clearTags.run(trackId);
    finalTags(predicted, labels).forEach((t, i) => this.insertTag.run(trackId, t.tag, t.category, t.confidence, i, t.model ?? null));
    this.setUncertainty.run(predicted.length ? uncertainty(predicted, new Set(labels.keys())) : null, trackId);
    this.combineUncertainty.run(trackId);
  }

  /** Recomputes the review-queue key of a track after its learned scores changed. */
  refreshUncertainty(trackId: number): void {
    this.combineUncertainty.run(trackId);
  }

  /** Rebuilds the search row of a track (title, artist, album and every path). */
  refreshSearch(trackId: number): void {
    this.clearSearch.run(trackId);
    const s = this.searchSource.get(trackId);
    if (s) this.insertSearch.run(trackId, s.title, s.artist ?? '', s.album ?? '', s.paths ?? '');
  }
}

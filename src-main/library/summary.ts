// The denormalised per-track summary that keeps the table fast: final tags (track_tags), the review
// queue's uncertainty, and the search index row. Rebuilt from the latest prediction and the labels
// whenever either changes, inside the caller's transaction.
import type { Statement } from 'better-sqlite3';
import type { LabelState } from '../../src-preload/contract';
import { finalTags, type PredictedScore } from '../review/final-tags';
import { uncertainty } from '../review/uncertainty';
import { blobFloat32 } from './blobs';
import type { Db, ModelRegistry, StoredModel } from './store';

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
  return model.tags.map((t, i) => ({ tag: t.name, category: t.category, threshold: t.threshold, score: scores[i] ?? 0 }));
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
  private readonly latest: Statement<[number], PredictionRow>;
  private readonly labels: Statement<[number], { tag: string; state: LabelState }>;
  private readonly clearTags: Statement<[number]>;
  private readonly insertTag: Statement<[number, string, string | null, number, number]>;
  private readonly setUncertainty: Statement<[number | null, number]>;
  private readonly combineUncertainty: Statement<[number]>;
  private readonly searchSource: Statement<[number], { title: string; artist: string | null; album: string | null; paths: string | null }>;
  private readonly clearSearch: Statement<[number]>;
  private readonly insertSearch: Statement<[number, string, string, string, string]>;

  constructor(
    db: Db,
    private readonly models: ModelRegistry,
  ) {
    this.latest = db.prepare(
      'SELECT id, model_key, provider, created_at, patches, scores FROM predictions WHERE track_id = ? ORDER BY id DESC LIMIT 1',
    );
    this.labels = db.prepare('SELECT tag, state FROM labels WHERE track_id = ?');
    this.clearTags = db.prepare('DELETE FROM track_tags WHERE track_id = ?');
    this.insertTag = db.prepare('INSERT INTO track_tags (track_id, tag, category, confidence, position) VALUES (?, ?, ?, ?, ?)');
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

  /** The track's newest prediction, or null when it was never tagged (or its model is unknown). */
  latestPrediction(trackId: number): LatestPrediction | null {
    const row = this.latest.get(trackId);
    const model = row && this.models.get(row.model_key);
    if (!row || !model) return null;
    return {
      id: row.id,
      model,
      provider: row.provider,
      createdAt: row.created_at,
      patches: row.patches,
      predicted: predictedScores(model, blobFloat32(row.scores)),
    };
  }

  /** The track's labels by tag. */
  labelsOf(trackId: number): Map<string, LabelState> {
    return new Map(this.labels.all(trackId).map((l) => [l.tag, l.state]));
  }

  /** Rebuilds the final tags and uncertainty of a track. */
  refresh(trackId: number): void {
    const predicted = this.latestPrediction(trackId)?.predicted ?? [];
    const labels = this.labelsOf(trackId);
    this.clearTags.run(trackId);
    finalTags(predicted, labels).forEach((t, i) => this.insertTag.run(trackId, t.tag, t.category, t.confidence, i));
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

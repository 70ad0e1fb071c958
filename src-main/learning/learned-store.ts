// The learned tags in the store: writing a fit (the classifier, its figures and its scores, in ONE
// transaction, so a crash never leaves half a learned tag), and reading them back for the app.
import type { Db } from '../library/store';
import { nowIso } from '../library/store';
import type { TrackSummaries } from '../library/summary';
import type { StoredClassifier, TagFit } from './tag-learner';

/** Rows kept below a tag's threshold, nearest first: the doubt that orders the review queue. */
export const DOUBT_ROWS = 500;
/** ...and no further below it than this. */
export const DOUBT_BAND = 0.25;
/** A stored score is rewritten only when it moved this much or crossed the threshold. */
const SCORE_TOLERANCE = 1e-3;

/** A learned tag as stored. */
export interface LearnedTagRecord {
  readonly tag: string;
  readonly enabled: boolean;
  readonly status: 'learned' | 'not-learnable' | 'too-few' | 'off';
  readonly space: string | null;
  readonly classifier: StoredClassifier | null;
  readonly threshold: number | null;
  readonly positives: number;
  readonly negatives: number;
  readonly precision: number | null;
  readonly recall: number | null;
  readonly auc: number | null;
  readonly fittedAt: string | null;
  readonly revision: number;
  readonly fitKey: string | null;
  readonly scoredGeneration: string | null;
}

interface LearnedRow {
  tag: string;
  enabled: number;
  status: LearnedTagRecord['status'];
  space: string | null;
  classifier: string | null;
  threshold: number | null;
  positives: number;
  negatives: number;
  precision: number | null;
  recall: number | null;
  auc: number | null;
  fitted_at: string | null;
  revision: number;
  fit_key: string | null;
  scored_generation: string | null;
}

function record(r: LearnedRow): LearnedTagRecord {
  return {
    tag: r.tag,
    enabled: r.enabled === 1,
    status: r.status,
    space: r.space,
    classifier: r.classifier ? (JSON.parse(r.classifier) as StoredClassifier) : null,
    threshold: r.threshold,
    positives: r.positives,
    negatives: r.negatives,
    precision: r.precision,
    recall: r.recall,
    auc: r.auc,
    fittedAt: r.fitted_at,
    revision: r.revision,
    fitKey: r.fit_key,
    scoredGeneration: r.scored_generation,
  };
}

/** Every learned tag, by name. */
export function learnedTags(db: Db): LearnedTagRecord[] {
  return (db.prepare('SELECT * FROM learned_tags ORDER BY tag').all() as LearnedRow[]).map(record);
}

/** One learned tag, or undefined. */
export function learnedTag(db: Db, tag: string): LearnedTagRecord | undefined {
  const row = db.prepare('SELECT * FROM learned_tags WHERE tag = ?').get(tag) as LearnedRow | undefined;
  return row && record(row);
}

/** What writing a fit changed. */
export interface WriteResult {
  /** Tracks that became / stopped being suggestions of the tag. */
  readonly added: number;
  readonly removed: number;
  /** Tracks whose scores or doubt changed. */
  readonly changedTracks: readonly number[];
}

/** The scores a fit gives the library, which the store keeps in part (see DOUBT_ROWS). */
export interface TagScores {
  readonly trackIds: Int32Array;
  readonly scores: Float32Array;
}

/** The rows worth keeping: every suggestion, and the nearest few below the threshold. */
export function rowsToKeep(all: TagScores, threshold: number): Map<number, number> {
  const keep = new Map<number, number>();
  const below: number[] = [];
  for (let i = 0; i < all.scores.length; i++) {
    const s = all.scores[i]!;
    if (s >= threshold) keep.set(all.trackIds[i]!, s);
    else if (threshold - s <= DOUBT_BAND) below.push(i);
  }
  below.sort((a, b) => all.scores[b]! - all.scores[a]!);
  for (const i of below.slice(0, DOUBT_ROWS)) keep.set(all.trackIds[i]!, all.scores[i]!);
  return keep;
}

function hashesOf(db: Db, ids: readonly number[]): string[] {
  const stmt = db.prepare('SELECT hash FROM tracks WHERE id = ?').pluck();
  return ids.map((id) => (stmt.get(id) as string | null) ?? `track:${id}`);
}

/**
 * Writes a tag's fit and its scores in one transaction: the stored rows are brought to what the
 * new scores say (only those that changed are written), and the review-queue key of every track
 * whose doubt changed is recomputed. A tag that is not learnable, or has too few examples, keeps
 * no scores.
 */
export function writeFit(
  db: Db,
  tag: string,
  space: string,
  fit: TagFit,
  all: TagScores | null,
  stamps: { readonly fitKey: string; readonly generation: string | null },
): WriteResult {
  return db.transaction((): WriteResult => {
    const before = learnedTag(db, tag);
    const enabled = before ? before.enabled : true;
    const suggesting = enabled && fit.status === 'learned' && all !== null;
    const threshold = fit.status === 'too-few' ? null : fit.threshold;
    const wanted = suggesting && threshold !== null ? rowsToKeep(all!, threshold) : new Map<number, number>();
    const status = !enabled ? 'off' : fit.status;
    const learned = fit.status === 'too-few' ? null : fit;
    db.prepare(
      `INSERT INTO learned_tags (tag, enabled, status, space, classifier, threshold, positives, negatives, precision, recall, auc, fitted_at, revision, fit_key, scored_generation)
       VALUES (@tag, @enabled, @status, @space, @classifier, @threshold, @positives, @negatives, @precision, @recall, @auc, @fittedAt, 1, @fitKey, @generation)
       ON CONFLICT (tag) DO UPDATE SET status = excluded.status, space = excluded.space, classifier = excluded.classifier,
         threshold = excluded.threshold, positives = excluded.positives, negatives = excluded.negatives,
         precision = excluded.precision, recall = excluded.recall, auc = excluded.auc,
         fitted_at = excluded.fitted_at, revision = learned_tags.revision + 1, fit_key = excluded.fit_key,
         scored_generation = excluded.scored_generation`,
    ).run({
      tag,
      enabled: enabled ? 1 : 0,
      status,
      space,
      classifier: learned ? JSON.stringify(learned.classifier) : null,
      threshold,
      positives: fit.positives,
      negatives: fit.negatives,
      precision: learned ? learned.precision : null,
      recall: learned ? learned.recall : null,
      auc: learned && Number.isFinite(learned.auc) ? learned.auc : null,
      fittedAt: nowIso(),
      fitKey: stamps.fitKey,
      generation: stamps.generation,
    });
    if (learned) {
      const examples = JSON.stringify({ positives: hashesOf(db, learned.used.positives), negatives: hashesOf(db, learned.used.negatives) });
      db.prepare('INSERT INTO learned_examples (tag, examples) VALUES (?, ?) ON CONFLICT (tag) DO UPDATE SET examples = excluded.examples').run(tag, examples);
    } else db.prepare('DELETE FROM learned_examples WHERE tag = ?').run(tag);
    return syncScores(db, tag, before?.status === 'learned' && before.enabled ? before.threshold : null, threshold, wanted);
  }).immediate();
}

/** Rescores a learned tag whose fit is unchanged (new tracks were tagged): its scores only, one transaction. */
export function writeScores(db: Db, tag: string, threshold: number, all: TagScores, generation: string): WriteResult {
  return db
    .transaction((): WriteResult => {
      db.prepare('UPDATE learned_tags SET scored_generation = ? WHERE tag = ?').run(generation, tag);
      return syncScores(db, tag, threshold, threshold, rowsToKeep(all, threshold));
    })
    .immediate();
}

/** Brings a tag's stored scores to `wanted`; call inside a transaction. */
function syncScores(db: Db, tag: string, oldThreshold: number | null, newThreshold: number | null, wanted: ReadonlyMap<number, number>): WriteResult {
  const existing = new Map(
    (db.prepare('SELECT track_id, score FROM learned_scores WHERE tag = ?').all(tag) as Array<{ track_id: number; score: number }>).map((r) => [r.track_id, r.score]),
  );
  const suggestedBefore = (score: number | undefined): boolean => score !== undefined && oldThreshold !== null && score >= oldThreshold;
  const suggestedAfter = (score: number | undefined): boolean => score !== undefined && newThreshold !== null && score >= newThreshold;
  const del = db.prepare('DELETE FROM learned_scores WHERE tag = ? AND track_id = ?');
  const put = db.prepare('INSERT INTO learned_scores (tag, track_id, score) VALUES (?, ?, ?) ON CONFLICT (tag, track_id) DO UPDATE SET score = excluded.score');
  const changed = new Set<number>();
  let added = 0;
  let removed = 0;
  const thresholdMoved = oldThreshold !== newThreshold;
  for (const [id, score] of existing) {
    if (wanted.has(id)) continue;
    del.run(tag, id);
    changed.add(id);
    if (suggestedBefore(score)) removed++;
  }
  for (const [id, score] of wanted) {
    const old = existing.get(id);
    const flips = suggestedBefore(old) !== suggestedAfter(score);
    if (flips) {
      if (suggestedAfter(score)) added++;
      else removed++;
    }
    if (old === undefined || flips || Math.abs(old - score) >= SCORE_TOLERANCE) {
      put.run(tag, id, score);
      changed.add(id);
    } else if (thresholdMoved) {
      changed.add(id);
    }
  }
  return { added, removed, changedTracks: [...changed] };
}

/** Tracks whose review-queue key is recomputed per transaction: short, so other writers wait little. */
const UNCERTAINTY_CHUNK = 250;

/**
 * Recomputes the review-queue key of tracks whose learned scores changed, in small transactions
 * after the fit's own: the key is derived data, so a crash in between only leaves it stale until
 * the next refit, never a learned tag half written.
 */
export function refreshUncertainties(db: Db, summaries: TrackSummaries, trackIds: readonly number[]): void {
  for (let i = 0; i < trackIds.length; i += UNCERTAINTY_CHUNK) {
    const chunk = trackIds.slice(i, i + UNCERTAINTY_CHUNK);
    db.transaction(() => chunk.forEach((id) => summaries.refreshUncertainty(id))).immediate();
  }
}

/** Forgets a tag that no longer has any example (a switched-off tag keeps its row and setting). */
export function dropLearnedTag(db: Db, tag: string): WriteResult {
  return db.transaction((): WriteResult => {
    const before = learnedTag(db, tag);
    const result = syncScores(db, tag, before?.status === 'learned' && before.enabled ? before.threshold : null, null, new Map());
    if (before?.enabled === false) {
      db.prepare("UPDATE learned_tags SET status = 'off', classifier = NULL, threshold = NULL, positives = 0, negatives = 0 WHERE tag = ?").run(tag);
    } else {
      db.prepare('DELETE FROM learned_tags WHERE tag = ?').run(tag);
    }
    return result;
  }).immediate();
}

// What the app reads about learned tags: a track's suggestions, the "Learned tags" panel, the
// tracks a tag was fitted on, and which tracks a tag suggests (for the table filter and "accept
// all above X"). A suggestion is a score at or above the tag's threshold on a track in the library
// that neither carries the tag already nor has a label on it.
import type { LearnedSuggestion, LearnedTagRow, TrackRow } from '../../src-preload/contract';
import type { Db } from '../library/store';
import { trackRows } from '../library/track-query';
import { SUGGESTED } from './suggested-sql';
import { MIN_EXAMPLES } from './tag-learner';

/** The learned tags suggesting themselves for a track, best first. */
export function suggestionsFor(db: Db, trackId: number): LearnedSuggestion[] {
  return db
    .prepare(
      `SELECT s.tag, s.score, lt.threshold, lt.precision, lt.recall FROM learned_scores s JOIN learned_tags lt ON lt.tag = s.tag
       WHERE s.track_id = ? AND ${SUGGESTED} ORDER BY s.score DESC, s.tag`,
    )
    .all(trackId) as LearnedSuggestion[];
}

/** Track ids (in the library) a learned tag suggests with a score of at least `minScore`. */
export function suggestedTracks(db: Db, tag: string, minScore: number): number[] {
  return db
    .prepare(
      `SELECT s.track_id FROM learned_scores s JOIN learned_tags lt ON lt.tag = s.tag JOIN tracks t ON t.id = s.track_id
       WHERE s.tag = ? AND s.score >= ? AND t.file_count > 0 AND ${SUGGESTED} ORDER BY s.score DESC, s.track_id`,
    )
    .pluck()
    .all(tag, minScore) as number[];
}

interface PanelRow {
  tag: string;
  enabled: number;
  status: LearnedTagRow['status'];
  positives: number;
  negatives: number;
  precision: number | null;
  recall: number | null;
  auc: number | null;
  threshold: number | null;
  space: string | null;
  fitted_at: string | null;
  suggested: number;
}

/** Every learned tag with its figures and how many tracks it suggests now. */
export function learnedTagRows(db: Db, modelTags: ReadonlySet<string>): LearnedTagRow[] {
  const rows = db
    .prepare(
      `SELECT lt.tag, lt.enabled, lt.status, lt.positives, lt.negatives, lt.precision, lt.recall, lt.auc, lt.threshold, lt.space,
              lt.fitted_at,
              (SELECT count(*) FROM learned_scores s JOIN tracks t ON t.id = s.track_id
                 WHERE s.tag = lt.tag AND t.file_count > 0 AND ${SUGGESTED}) AS suggested
       FROM learned_tags lt ORDER BY lt.status = 'learned' DESC, lt.tag COLLATE NOCASE`,
    )
    .all() as PanelRow[];
  return rows.map((r) => ({
    tag: r.tag,
    enabled: r.enabled === 1,
    status: r.status,
    positives: r.positives,
    negatives: r.negatives,
    positivesNeeded: Math.max(0, MIN_EXAMPLES - r.positives),
    negativesNeeded: Math.max(0, MIN_EXAMPLES - r.negatives),
    precision: r.precision,
    recall: r.recall,
    auc: r.auc,
    threshold: r.threshold,
    suggested: r.suggested,
    modelTag: modelTags.has(r.tag),
    space: r.space,
    fittedAt: r.fitted_at,
  }));
}

/** The tracks a learned tag was fitted on, found by their content hashes (at most `limit` of each). */
export function learnedTagExamples(db: Db, tag: string, limit: number): { positives: TrackRow[]; negatives: TrackRow[] } {
  const json = db.prepare('SELECT examples FROM learned_examples WHERE tag = ?').pluck().get(tag) as string | null | undefined;
  if (!json) return { positives: [], negatives: [] };
  const examples = JSON.parse(json) as { positives: string[]; negatives: string[] };
  const idOf = db.prepare('SELECT id FROM tracks WHERE hash = ?').pluck();
  const rows = (hashes: readonly string[]): TrackRow[] =>
    trackRows(
      db,
      hashes.slice(0, limit).flatMap((h) => {
        const id = idOf.get(h) as number | undefined;
        return id === undefined ? [] : [id];
      }),
    );
  return { positives: rows(examples.positives), negatives: rows(examples.negatives) };
}

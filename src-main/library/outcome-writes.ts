// What tagging writes: the prediction (taggram, scores, embedding as float32 BLOBs), the compact
// peaks, the track's status, and its rebuilt summary, with the job removed in the same transaction.
import { predictedTagNames } from '../review/final-tags';
import type { TaggedTrack, TagOutcome } from '../tagging/tag-file';
import { float32Blob, peaksBlob } from './blobs';
import type { JobStore } from './job-store';
import { modelKey, nowIso, type Db, type ModelRegistry, type StoredModel } from './store';
import type { TrackSummaries } from './summary';

/** Writes tagging results. */
export class OutcomeWriter {
  /** Tracks showing provisional tags from their first patches. */
  private readonly provisionalTracks = new Set<number>();

  constructor(
    private readonly db: Db,
    private readonly summaries: TrackSummaries,
    private readonly jobs: JobStore,
  ) {}

  /** Records a finished track: its prediction, or its error (dropping provisional tags it showed). */
  record(trackId: number, outcome: TagOutcome, models: ModelRegistry): void {
    const wasProvisional = this.provisionalTracks.delete(trackId);
    if (outcome.status === 'ok') {
      this.tagged(trackId, outcome, modelOfOutcome(models, outcome));
      return;
    }
    if (wasProvisional) {
      const active = this.db.prepare('SELECT model_key FROM predictions WHERE track_id = ?').pluck().get(trackId) as string | undefined;
      const model = active ? models.get(active) : undefined;
      if (model) this.dropProvisional(trackId, model);
    }
    this.failed(trackId, outcome.reason);
  }

  /** Records provisional tags of a track still being analysed; true when they were stored. */
  recordPartial(trackId: number, partial: TaggedTrack, models: ModelRegistry): boolean {
    if (!this.provisional(trackId, partial, modelOfOutcome(models, partial))) return false;
    this.provisionalTracks.add(trackId);
    return true;
  }

  /** Stores a prediction for a track; returns true when it flagged the track for another look. */
  tagged(trackId: number, outcome: TaggedTrack, model: StoredModel): boolean {
    return this.db.transaction((): boolean => {
      const before = this.summaries.latestPrediction(trackId);
      this.db.prepare('DELETE FROM predictions WHERE track_id = ? AND model_key = ?').run(trackId, model.key);
      this.db
        .prepare(
          `INSERT INTO predictions (track_id, model_key, provider, created_at, patches, taggram, scores, embedding)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          trackId,
          model.key,
          outcome.provider,
          nowIso(),
          outcome.patches,
          float32Blob(outcome.taggram),
          float32Blob(outcome.scores),
          outcome.embedding.length ? float32Blob(outcome.embedding) : null,
        );
      const flag = before !== null && before.model.key !== model.key && this.judged(trackId) && topTagsChanged(before, this.summaries.latestPrediction(trackId));
      this.db
        .prepare(
          `UPDATE tracks SET status = 'tagged', error = NULL, duration_sec = ?, peaks = ?,
             needs_review = CASE WHEN ? THEN 1 ELSE needs_review END
           WHERE id = ?`,
        )
        .run(outcome.durationSec, peaksBlob(outcome.peaks), flag ? 1 : 0, trackId);
      this.summaries.refresh(trackId);
      this.jobs.finish(trackId);
      return flag;
    }).immediate();
  }

  /**
   * Stores provisional tags of a track still being analysed (from its first patches), so they show
   * at once; the final result replaces them. Only for tracks with no prediction yet, so an earlier
   * model's result (and the review flags that compare against it) is never hidden.
   */
  private provisional(trackId: number, partial: TaggedTrack, model: StoredModel): boolean {
    return this.db.transaction((): boolean => {
      const status = this.db.prepare('SELECT status FROM tracks WHERE id = ?').pluck().get(trackId);
      if (status !== 'tagging') return false;
      const others = this.db.prepare('SELECT count(*) FROM predictions WHERE track_id = ? AND model_key <> ?').pluck().get(trackId, model.key) as number;
      if (others > 0) return false;
      this.db.prepare('DELETE FROM predictions WHERE track_id = ? AND model_key = ?').run(trackId, model.key);
      this.db
        .prepare(
          `INSERT INTO predictions (track_id, model_key, provider, created_at, patches, taggram, scores, embedding)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(trackId, model.key, partial.provider, nowIso(), partial.patches, float32Blob(partial.taggram), float32Blob(partial.scores), null);
      this.summaries.refresh(trackId);
      return true;
    }).immediate();
  }

  /** Removes provisional tags that never became a result (the rest of the file failed). */
  private dropProvisional(trackId: number, model: StoredModel): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM predictions WHERE track_id = ? AND model_key = ?').run(trackId, model.key);
      this.summaries.refresh(trackId);
    }).immediate();
  }

  /** Records why a track could not be tagged. */
  failed(trackId: number, reason: string): void {
    this.db.transaction(() => {
      this.db.prepare("UPDATE tracks SET status = 'error', error = ? WHERE id = ?").run(reason, trackId);
      this.jobs.finish(trackId);
    }).immediate();
  }

  /** Whether a person has judged the track (reviewed it or labelled it). */
  private judged(trackId: number): boolean {
    return Boolean(
      this.db
        .prepare('SELECT reviewed_at IS NOT NULL OR EXISTS (SELECT 1 FROM labels WHERE track_id = ?) FROM tracks WHERE id = ?')
        .pluck()
        .get(trackId, trackId),
    );
  }
}

function topTagsChanged(
  a: { readonly predicted: Parameters<typeof predictedTagNames>[0] } | null,
  b: { readonly predicted: Parameters<typeof predictedTagNames>[0] } | null,
): boolean {
  const x = new Set(predictedTagNames(a?.predicted ?? []));
  const y = new Set(predictedTagNames(b?.predicted ?? []));
  return x.size !== y.size || [...x].some((t) => !y.has(t));
}

/**
 * The stored model a result came from. A result of a model the store has not seen (an `eno tag`
 * run with another bundle) registers it from what the result carries: tag names, categories and
 * thresholds, and the seconds per patch as measured on this track.
 */
export function modelOfOutcome(models: ModelRegistry, outcome: TaggedTrack): StoredModel {
  const known = models.get(modelKey(outcome.modelId, outcome.modelVersion));
  if (known) return known;
  const byName = new Map(outcome.ranked.map((t) => [t.name, t]));
  const tags = outcome.tagNames.map((name) => ({
    name,
    category: byName.get(name)?.category ?? ('other' as const),
    threshold: byName.get(name)?.threshold ?? 0.5,
  }));
  const patchSec = outcome.patches > 0 ? outcome.durationSec / outcome.patches : 0;
  return models.registerTags(outcome.modelId, outcome.modelVersion, outcome.modelId, 'unknown', patchSec, tags);
}

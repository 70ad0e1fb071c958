// What tagging writes: a prediction per model of the set (taggram, scores, embedding as float32
// BLOBs), the compact peaks, the track's status and music verdict, and its rebuilt summary, with the
// job removed in the same transaction.
import { predictedTagNames } from '../review/final-tags';
import type { ModelTagging, TaggedTrack, TagOutcome } from '../tagging/tag-file';
import { float32Blob, peaksBlob } from './blobs';
import type { JobStore } from './job-store';
import { modelKey, nowIso, type Db, type ModelRegistry, type StoredModel } from './store';
import { unionOfPredictions, type LatestPrediction, type TrackSummaries } from './summary';

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
      this.tagged(trackId, outcome, models);
      return;
    }
    if (wasProvisional) this.dropProvisional(trackId);
    this.failed(trackId, outcome.reason);
  }

  /** Records provisional tags of a track still being analysed; true when they were stored. */
  recordPartial(trackId: number, partial: TaggedTrack, models: ModelRegistry): boolean {
    if (!this.provisional(trackId, partial, models)) return false;
    this.provisionalTracks.add(trackId);
    return true;
  }

  /**
   * Stores every model's prediction for a track; returns true when it flagged the track for another
   * look (a person had judged it, and a model new to it changed its tags).
   */
  tagged(trackId: number, outcome: TaggedTrack, models: ModelRegistry): boolean {
    return this.db.transaction((): boolean => {
      const before = this.summaries.setPredictions(trackId);
      const stored = outcome.models.map((m) => modelOfOutcome(models, m, outcome.durationSec));
      outcome.models.forEach((m, i) => this.writePrediction(trackId, stored[i]!, outcome.provider, m, m.embedding));
      const newModel = stored.some((s) => !before.some((b) => b.model.key === s.key));
      const flag = before.length > 0 && newModel && this.judged(trackId) && topTagsChanged(before, this.summaries.setPredictions(trackId));
      this.db
        .prepare(
          `UPDATE tracks SET status = 'tagged', error = NULL, duration_sec = ?, peaks = ?, music_verdict = ?,
             needs_review = CASE WHEN ? THEN 1 ELSE needs_review END
           WHERE id = ?`,
        )
        .run(outcome.durationSec, peaksBlob(outcome.peaks), outcome.content?.verdict ?? null, flag ? 1 : 0, trackId);
      this.summaries.refresh(trackId);
      this.jobs.finish(trackId);
      return flag;
    }).immediate();
  }

  private writePrediction(trackId: number, model: StoredModel, provider: string, m: ModelTagging, embedding: Float32Array | null): void {
    this.db.prepare('DELETE FROM predictions WHERE track_id = ? AND model_key = ?').run(trackId, model.key);
    this.db
      .prepare(
        `INSERT INTO predictions (track_id, model_key, provider, created_at, patches, taggram, scores, embedding)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(trackId, model.key, provider, nowIso(), m.patches, float32Blob(m.taggram), float32Blob(m.scores), embedding?.length ? float32Blob(embedding) : null);
  }

  /**
   * Stores provisional tags of a track still being analysed (from its first patches), so they show
   * at once; the final result replaces them. Only for tracks with no prediction yet, so an earlier
   * model's result (and the review flags that compare against it) is never hidden.
   */
  private provisional(trackId: number, partial: TaggedTrack, models: ModelRegistry): boolean {
    return this.db.transaction((): boolean => {
      const status = this.db.prepare('SELECT status FROM tracks WHERE id = ?').pluck().get(trackId);
      if (status !== 'tagging') return false;
      const stored = partial.models.filter((m) => m.patches > 0).map((m) => [m, modelOfOutcome(models, m, partial.durationSec)] as const);
      const keys = stored.map(([, s]) => s.key);
      const others = this.db
        .prepare(`SELECT count(*) FROM predictions WHERE track_id = ? AND model_key NOT IN (${keys.map(() => '?').join(', ') || "''"})`)
        .pluck()
        .get(trackId, ...keys) as number;
      if (others > 0 || stored.length === 0) return false;
      for (const [m, model] of stored) this.writePrediction(trackId, model, partial.provider, m, null);
      this.summaries.refresh(trackId);
      return true;
    }).immediate();
  }

  /** Removes provisional tags that never became a result (the rest of the file failed). */
  private dropProvisional(trackId: number): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM predictions WHERE track_id = ?').run(trackId);
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

function topTagsChanged(a: readonly LatestPrediction[], b: readonly LatestPrediction[]): boolean {
  const x = new Set(predictedTagNames(unionOfPredictions(a)));
  const y = new Set(predictedTagNames(unionOfPredictions(b)));
  return x.size !== y.size || [...x].some((t) => !y.has(t));
}

/**
 * The stored model a result came from. A result of a model the store has not seen (an `eno tag`
 * run with another bundle) registers it from what the result carries: tag names, categories and
 * thresholds, and the seconds per patch.
 */
export function modelOfOutcome(models: ModelRegistry, outcome: ModelTagging, durationSec: number): StoredModel {
  const known = models.get(modelKey(outcome.modelId, outcome.modelVersion));
  if (known) return known;
  const byName = new Map(outcome.ranked.map((t) => [t.name, t]));
  const tags = outcome.tagNames.map((name) => ({
    name,
    category: byName.get(name)?.category ?? ('other' as const),
    threshold: byName.get(name)?.threshold ?? 0.5,
  }));
  const patchSec = outcome.patchSec > 0 ? outcome.patchSec : outcome.patches > 0 ? durationSec / outcome.patches : 0;
  return models.registerTags(outcome.modelId, outcome.modelVersion, outcome.modelId, 'unknown', patchSec, tags);
}
